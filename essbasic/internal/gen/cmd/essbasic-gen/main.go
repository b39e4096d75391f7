// Command essbasic-gen writes the generated essbasic files from api.json
// and errors.tsv. The essbasic package runs it through go generate.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/hetong-go/hetong/essbasic/internal/gen"
)

func main() {
	spec := flag.String("spec", "", "path to api.json")
	codes := flag.String("errors", "", "path to errors.tsv")
	out := flag.String("out", ".", "directory to write the generated files to")
	flag.Parse()
	if err := run(*spec, *codes, *out); err != nil {
		fmt.Fprintln(os.Stderr, "essbasic-gen:", err)
		os.Exit(1)
	}
}

func run(specPath, errorsPath, out string) error {
	if specPath == "" || errorsPath == "" {
		return fmt.Errorf("-spec and -errors are required")
	}
	spec, err := os.ReadFile(specPath)
	if err != nil {
		return err
	}
	codes, err := os.ReadFile(errorsPath)
	if err != nil {
		return err
	}
	files, err := gen.Generate(spec, codes)
	if err != nil {
		return err
	}
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(out, name), src, 0o644); err != nil {
			return err
		}
	}
	return nil
}
