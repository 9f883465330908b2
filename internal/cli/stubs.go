package cli

import (
	"fmt"

	"github.com/spf13/cobra"
)

// notYet builds a documented command that a later release fills in. It
// accepts any flags (so the documented invocation parses) and fails with a
// clear message: never a silent success.
func notYet(use, short, plan string) *cobra.Command {
	return &cobra.Command{
		Use:                use,
		Short:              short + " (not available yet)",
		DisableFlagParsing: true,
		RunE: func(c *cobra.Command, args []string) error {
			for _, a := range args {
				if a == "-h" || a == "--help" {
					return c.Help()
				}
			}
			return fmt.Errorf("%q is not available yet in this build of yb-voyager (%s)", c.CommandPath(), plan)
		},
	}
}

func newArchiveCmd(*IO) *cobra.Command {
	return group("archive", "Archive commands", notYet("changes", "Delete or archive applied change segments", "live migration is planned"))
}
