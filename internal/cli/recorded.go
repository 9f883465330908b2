package cli

import (
	"encoding/json"
	"fmt"

	"github.com/yugabyte/yb-voyager-go/internal/dbconn"
)

// recordedConfig completes connection settings the user did not give from
// the settings an earlier command recorded (never with a password: that
// comes from the flag, the environment or the config file).
func recordedConfig(given dbconn.Config, givenAny bool, recorded, what string) (dbconn.Config, error) {
	if givenAny {
		return given, nil
	}
	if recorded == "" || recorded == "{}" {
		return given, fmt.Errorf("no %s connection recorded in this export directory: pass the --%s-db-* flags", what, what)
	}
	var rec dbconn.Config
	if err := json.Unmarshal([]byte(recorded), &rec); err != nil {
		return given, fmt.Errorf("read recorded %s settings: %w", what, err)
	}
	rec.Password = given.Password
	return rec, nil
}
