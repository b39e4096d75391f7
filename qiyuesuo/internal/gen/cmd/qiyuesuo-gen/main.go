// Command qiyuesuo-gen writes the generated files of package qiyuesuo (and
// the route table of its fake) from api.json. The package runs it through
// go generate.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/hetong-go/hetong/qiyuesuo/internal/gen"
)

func main() {
	spec := flag.String("spec", "", "path to api.json")
	out := flag.String("out", ".", "the qiyuesuo package directory")
	flag.Parse()
	if err := run(*spec, *out); err != nil {
		fmt.Fprintln(os.Stderr, "qiyuesuo-gen:", err)
		os.Exit(1)
	}
}

func run(specPath, out string) error {
	if specPath == "" {
		return fmt.Errorf("-spec is required")
	}
	spec, err := os.ReadFile(specPath)
	if err != nil {
		return err
	}
	files, err := gen.Generate(spec)
	if err != nil {
		return err
	}
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(out, filepath.FromSlash(name)), src, 0o644); err != nil {
			return err
		}
	}
	return nil
}
