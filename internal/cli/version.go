package cli

import (
	"fmt"
	"runtime"
	"runtime/debug"
)

// Version is the lpm release, set when building a release:
//
//	go build -ldflags "-X github.com/lpm-project/lpm/internal/cli.Version=v1.2.0" ./cmd/lpm
var Version = "dev"

// versionCmd prints the version.
type versionCmd struct{}

// Run prints "lpm <version> (<go version>)".
func (versionCmd) Run(e *env) error {
	_, err := fmt.Fprintf(e.stdout, "lpm %s (%s)\n", version(), runtime.Version())
	return err
}

// version is Version, or for a development build what the Go toolchain
// recorded: the module version of a `go install …@v1.2.0`, else the VCS
// revision the binary was built from.
func version() string {
	if Version != "dev" {
		return Version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return Version
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev string
	var dirty bool
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return Version
	}
	v := "dev+" + rev[:min(len(rev), 12)]
	if dirty {
		v += "-dirty"
	}
	return v
}
