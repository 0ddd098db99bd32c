package cli

import "strings"

// helpCmd shows usage, like --help.
type helpCmd struct {
	Command []string `arg:"" optional:"" help:"Command to show help for, e.g. \"serve\" or \"token create\"."`
}

// Run parses the named command with --help on a fresh parser, so `lpm help
// token create` prints exactly what `lpm token create --help` does.
func (c *helpCmd) Run(e *env) error {
	var cmds commands
	printed := false
	k, err := newParser(&cmds, e.stdout, e.stderr, func(int) { printed = true })
	if err != nil {
		return err
	}
	_, err = k.Parse(append(c.Command, "--help"))
	if printed {
		return nil
	}
	if err != nil {
		return usageError{err}
	}
	return usageError{errUnknownCommand(strings.Join(c.Command, " "))}
}

// errUnknownCommand says a help topic does not exist.
type errUnknownCommand string

func (e errUnknownCommand) Error() string {
	return "no command " + string(e) + "; run `lpm help` for the list"
}
