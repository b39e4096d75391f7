package conformance

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// platforms are the six public packages, as directories from the repo root.
var platforms = []string{"zhenling", "essbasic", "qiyuesuo", "zeyi", "dingtalk", "kingdee"}

// publicDirs are the platform packages and their fakes.
func publicDirs() []string {
	var dirs []string
	for _, p := range platforms {
		dirs = append(dirs, p, filepath.Join(p, p+"test"))
	}
	return append(dirs, ".")
}

// parseDir parses the non-test Go files of a directory below the repo root.
func parseDir(t *testing.T, dir string) []*ast.File {
	t.Helper()
	root := filepath.Join("..", "..", dir)
	entries, err := os.ReadDir(root)
	require.NoError(t, err)
	fset := token.NewFileSet()
	var files []*ast.File
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(root, name), nil, parser.ParseComments)
		require.NoError(t, err)
		files = append(files, f)
	}
	return files
}

// TestNoPublicAliasOfInternalTypes: go doc must show every public type's
// fields and methods, so no exported name is an alias (type X = y.Z) of
// an internal type — nor of anything else from another package.
func TestNoPublicAliasOfInternalTypes(t *testing.T) {
	for _, dir := range publicDirs() {
		for _, f := range parseDir(t, dir) {
			for _, d := range f.Decls {
				gd, ok := d.(*ast.GenDecl)
				if !ok || gd.Tok != token.TYPE {
					continue
				}
				for _, s := range gd.Specs {
					ts := s.(*ast.TypeSpec)
					if ts.Assign.IsValid() && ts.Name.IsExported() {
						if _, sel := ts.Type.(*ast.SelectorExpr); sel {
							t.Errorf("%s: type %s is an alias of another package's type", dir, ts.Name.Name)
						}
					}
				}
			}
		}
	}
}

var moneyName = regexp.MustCompile(`(?i)(amount|money|price|fee|balance|total|sum|yuan|cost)`)

// TestNoFloat64Money: no exported struct field or function result whose
// name says money is a float64.
func TestNoFloat64Money(t *testing.T) {
	for _, dir := range publicDirs() {
		for _, f := range parseDir(t, dir) {
			ast.Inspect(f, func(n ast.Node) bool {
				switch x := n.(type) {
				case *ast.Field:
					if !isFloat64(x.Type) {
						return true
					}
					for _, name := range x.Names {
						if name.IsExported() && moneyName.MatchString(name.Name) {
							t.Errorf("%s: field %s is a float64", dir, name.Name)
						}
					}
				case *ast.FuncDecl:
					if x.Name.IsExported() && moneyName.MatchString(x.Name.Name) && x.Type.Results != nil {
						for _, r := range x.Type.Results.List {
							if isFloat64(r.Type) {
								t.Errorf("%s: func %s returns a float64", dir, x.Name.Name)
							}
						}
					}
				}
				return true
			})
		}
	}
}

func isFloat64(e ast.Expr) bool {
	switch x := e.(type) {
	case *ast.Ident:
		return x.Name == "float64" || x.Name == "float32"
	case *ast.StarExpr:
		return isFloat64(x.X)
	case *ast.ArrayType:
		return isFloat64(x.Elt)
	}
	return false
}

// TestNoMutableExportedVariables: exported package variables are error
// sentinels only (kingdee.True could be reassigned).
func TestNoMutableExportedVariables(t *testing.T) {
	for _, dir := range publicDirs() {
		for _, f := range parseDir(t, dir) {
			for _, d := range f.Decls {
				gd, ok := d.(*ast.GenDecl)
				if !ok || gd.Tok != token.VAR {
					continue
				}
				for _, s := range gd.Specs {
					for _, name := range s.(*ast.ValueSpec).Names {
						if name.IsExported() && !strings.HasPrefix(name.Name, "Err") {
							t.Errorf("%s: exported variable %s can be changed by any importer", dir, name.Name)
						}
					}
				}
			}
		}
	}
}

// TestIteratorsAreNamedAll: every exported method returning iter.Seq2 is
// All<Things>, and no other exported method starts with All.
func TestIteratorsAreNamedAll(t *testing.T) {
	for _, dir := range platforms {
		for _, f := range parseDir(t, dir) {
			for _, d := range f.Decls {
				fd, ok := d.(*ast.FuncDecl)
				if !ok || !fd.Name.IsExported() || fd.Type.Results == nil {
					continue
				}
				returnsSeq := false
				for _, r := range fd.Type.Results.List {
					if sel, ok := typeBase(r.Type).(*ast.SelectorExpr); ok && sel.Sel.Name == "Seq2" {
						returnsSeq = true
					}
				}
				n := fd.Name.Name
				isAll := strings.HasPrefix(n, "All") && len(n) > 3 && n[3] >= 'A' && n[3] <= 'Z' // not Allocate
				if returnsSeq && !isAll {
					t.Errorf("%s: %s returns an iterator; name it All<Things>", dir, fd.Name.Name)
				}
				if isAll && !returnsSeq {
					t.Errorf("%s: %s is named like an iterator but returns none", dir, fd.Name.Name)
				}
			}
		}
	}
}

func typeBase(e ast.Expr) ast.Expr {
	if ix, ok := e.(*ast.IndexListExpr); ok {
		return ix.X
	}
	if ix, ok := e.(*ast.IndexExpr); ok {
		return ix.X
	}
	return e
}

// TestQueryStringsUseGoQuerystring: the hand-written builders are gone
// and every package that sends a query encodes it with go-querystring.
func TestQueryStringsUseGoQuerystring(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "go.mod"))
	require.NoError(t, err)
	assert.Contains(t, string(b), "github.com/google/go-querystring")
	for _, dir := range platforms {
		for _, f := range parseDir(t, dir) {
			ast.Inspect(f, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "Encode" {
					if x, ok := sel.X.(*ast.CompositeLit); ok {
						if s, ok := x.Type.(*ast.SelectorExpr); ok && s.Sel.Name == "Values" {
							t.Errorf("%s: a url.Values literal is encoded by hand", dir)
						}
					}
				}
				return true
			})
		}
	}
}
