package cli

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

// Var is an environment variable an example reads with -live.
type Var struct {
	Name     string
	Help     string
	Optional bool
}

// Missing returns the names of the required variables that are unset or
// blank, all of them, so one run tells the user everything to set.
func Missing(vars []Var) []string {
	var out []string
	for _, v := range vars {
		if !v.Optional && strings.TrimSpace(os.Getenv(v.Name)) == "" {
			out = append(out, v.Name)
		}
	}
	return out
}

// CheckLive returns an error naming every missing variable, or nil.
func CheckLive(vars []Var) error {
	missing := Missing(vars)
	if len(missing) == 0 {
		return nil
	}
	return errors.New("-live needs these environment variables: " + strings.Join(missing, ", "))
}

// Usage returns a flag.FlagSet Usage func that prints the synopsis, the
// flags and the environment variables -live reads.
func Usage(fs *flag.FlagSet, w io.Writer, synopsis string, vars []Var) func() {
	return func() {
		fmt.Fprintln(w, synopsis)
		fmt.Fprintln(w, "\nflags:")
		fs.SetOutput(w)
		fs.PrintDefaults()
		if len(vars) == 0 {
			return
		}
		fmt.Fprintln(w, "\nenvironment (read with -live):")
		rows := make([][]string, 0, len(vars))
		for _, v := range vars {
			help := v.Help
			if v.Optional {
				help += " (optional)"
			}
			rows = append(rows, []string{"  " + v.Name, help})
		}
		_ = Table(w, []string{"  VARIABLE", "MEANING"}, rows)
	}
}
