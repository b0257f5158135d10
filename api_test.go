package handoff_test

import (
	"bytes"
	"flag"
	"go/ast"
	"go/doc"
	"go/parser"
	"go/printer"
	"go/token"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

var updateAPI = flag.Bool("update-api", false, "rewrite testdata/api.txt from the packages' exported declarations")

// publicPackages are the module's public packages, relative to its root.
var publicPackages = []string{".", "channel", "sender", "receiver", "ownership", "ringbuffer"}

// TestPublicAPI keeps the public surface deliberate: the exported
// declarations of every public package (signatures, struct fields,
// interface methods, without comments) must match testdata/api.txt, so
// that an accidental export, or an internal type in an exported signature,
// fails CI. After a deliberate change, run
//
//	go test -run TestPublicAPI -update-api .
//
// and review the diff of testdata/api.txt.
func TestPublicAPI(t *testing.T) {
	var out bytes.Buffer
	for _, dir := range publicPackages {
		out.WriteString(apiOf(t, dir))
	}
	got := out.String()
	if strings.Contains(got, "internal/") || strings.Contains(got, "endpoint.") {
		t.Errorf("an exported declaration mentions an internal package:\n%s", grepLines(got, "endpoint.", "internal/"))
	}
	const golden = "testdata/api.txt"
	if *updateAPI {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run with -update-api to create it)", err)
	}
	if got != string(want) {
		t.Errorf("the public API changed; if that is deliberate, run go test -run TestPublicAPI -update-api . and commit testdata/api.txt\n%s", lineDiff(string(want), got))
	}
}

// apiOf lists the exported declarations of the package in dir, one per
// line, sorted.
func apiOf(t *testing.T, dir string) string {
	t.Helper()
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, dir, func(fi os.FileInfo) bool {
		return !strings.HasSuffix(fi.Name(), "_test.go")
	}, 0)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for name, pkg := range pkgs {
		if strings.HasSuffix(name, "_test") {
			continue
		}
		path := filepath.ToSlash(filepath.Join("handoff", dir))
		dp := doc.New(pkg, path, 0) // exported only
		add := func(node any) {
			var b bytes.Buffer
			if err := printer.Fprint(&b, fset, node); err != nil {
				t.Fatal(err)
			}
			s := strings.Join(strings.Fields(b.String()), " ")
			lines = append(lines, path+": "+s)
		}
		for _, v := range append(dp.Consts, dp.Vars...) {
			for _, spec := range v.Decl.Specs {
				for _, n := range spec.(*ast.ValueSpec).Names {
					if n.IsExported() {
						lines = append(lines, path+": var/const "+n.Name)
					}
				}
			}
		}
		for _, f := range dp.Funcs {
			f.Decl.Body, f.Decl.Doc = nil, nil
			add(f.Decl)
		}
		for _, ty := range dp.Types {
			ty.Decl.Doc = nil
			for _, spec := range ty.Decl.Specs {
				spec.(*ast.TypeSpec).Doc, spec.(*ast.TypeSpec).Comment = nil, nil
				stripComments(spec)
			}
			add(ty.Decl)
			for _, v := range append(ty.Consts, ty.Vars...) {
				for _, spec := range v.Decl.Specs {
					for _, n := range spec.(*ast.ValueSpec).Names {
						if n.IsExported() {
							lines = append(lines, path+": var/const "+n.Name)
						}
					}
				}
			}
			for _, f := range append(ty.Funcs, ty.Methods...) {
				f.Decl.Body, f.Decl.Doc = nil, nil
				add(f.Decl)
			}
		}
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n") + "\n"
}

// stripComments drops the comments inside a type declaration (field and
// method comments), which printer would otherwise print.
func stripComments(n ast.Node) {
	ast.Inspect(n, func(n ast.Node) bool {
		switch f := n.(type) {
		case *ast.Field:
			f.Doc, f.Comment = nil, nil
		}
		return true
	})
}

func grepLines(s string, subs ...string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		for _, sub := range subs {
			if strings.Contains(l, sub) {
				out = append(out, l)
				break
			}
		}
	}
	return strings.Join(out, "\n")
}

// lineDiff lists the lines only in want (-) and only in got (+).
func lineDiff(want, got string) string {
	w, g := map[string]bool{}, map[string]bool{}
	for _, l := range strings.Split(want, "\n") {
		w[l] = true
	}
	for _, l := range strings.Split(got, "\n") {
		g[l] = true
	}
	var out []string
	for _, l := range strings.Split(want, "\n") {
		if !g[l] {
			out = append(out, "- "+l)
		}
	}
	for _, l := range strings.Split(got, "\n") {
		if !w[l] {
			out = append(out, "+ "+l)
		}
	}
	return strings.Join(out, "\n")
}
