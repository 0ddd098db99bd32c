// Command lpm is the Lean Portfolio Management server and its tools; run
// `lpm help` for the commands.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/lpm-project/lpm/internal/cli"
)

func main() {
	// The first SIGINT or SIGTERM ends the context: the server shuts down
	// gracefully and a load test reports what it measured. Signal handling
	// is then given back, so a second one ends a shutdown that hangs.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		<-ctx.Done()
		stop()
	}()
	os.Exit(cli.Run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
