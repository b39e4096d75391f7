// Command dingtalk-gen writes the generated dingtalk files from api.json
// and refreshes the endpoint index in doc.go. The dingtalk package runs it
// through go generate.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/hetong-go/hetong/dingtalk/internal/gen"
)

func main() {
	spec := flag.String("spec", "", "path to api.json")
	out := flag.String("out", ".", "the dingtalk package directory")
	flag.Parse()
	if err := run(*spec, *out); err != nil {
		fmt.Fprintln(os.Stderr, "dingtalk-gen:", err)
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
		if err := os.WriteFile(filepath.Join(out, name), src, 0o644); err != nil {
			return err
		}
	}
	docPath := filepath.Join(out, "doc.go")
	doc, err := os.ReadFile(docPath)
	if err != nil {
		return err
	}
	index, err := gen.Index(spec)
	if err != nil {
		return err
	}
	updated, err := gen.ReplaceIndex(doc, index)
	if err != nil {
		return err
	}
	return os.WriteFile(docPath, updated, 0o644)
}
