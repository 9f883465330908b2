// Package engines lists the source engines of this build: adding a source
// engine is a package implementing engine.Engine and one line here.
package engines

import (
	"fmt"
	"strings"

	"github.com/yugabyte/yb-voyager-go/internal/engine"
	"github.com/yugabyte/yb-voyager-go/internal/source/mysql"
	"github.com/yugabyte/yb-voyager-go/internal/source/oracle"
	"github.com/yugabyte/yb-voyager-go/internal/source/postgres"
)

var all = []engine.Engine{
	postgres.Engine{},
	mysql.Engine{},
	oracle.Engine{},
}

// aliases are other spellings --source-db-type accepts.
var aliases = map[string]string{"postgres": "postgresql"}

// ErrUnknown is the error for a --source-db-type no engine answers to.
type ErrUnknown struct{ Name string }

func (e ErrUnknown) Error() string {
	if e.Name == "" {
		return "--source-db-type is required: postgresql, mysql or oracle"
	}
	return fmt.Sprintf("--source-db-type %q is not supported: use postgresql, mysql or oracle", e.Name)
}

// For is the engine of a --source-db-type (any case; aliases allowed).
func For(name string) (engine.Engine, error) {
	n := strings.ToLower(strings.TrimSpace(name))
	if a, ok := aliases[n]; ok {
		n = a
	}
	for _, e := range all {
		if e.Name() == n {
			return e, nil
		}
	}
	return nil, ErrUnknown{Name: n}
}
