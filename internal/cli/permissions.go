package cli

import (
	"fmt"

	"github.com/lpm-project/lpm/internal/lpm"
)

// permissionsCmd prints the permission matrix.
type permissionsCmd struct{}

// Run prints lpm.PermissionMatrix as Markdown on stdout: docs/PERMISSIONS.md
// is this output (go run ./cmd/lpm permissions > docs/PERMISSIONS.md).
func (permissionsCmd) Run(e *env) error {
	_, err := fmt.Fprint(e.stdout, lpm.PermissionMatrix())
	return err
}
