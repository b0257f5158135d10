package suite

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// CheckOutput validates an output folder written by the command:
// results.json parses, holds at least one sample of every scenario its
// flags selected, report.md is not empty, and there is at least one chart,
// every *.svg starting with "<?xml" or "<svg" and with a PNG of the same
// name beside it.
func CheckOutput(dir string) error {
	res, err := LoadResults(filepath.Join(dir, ResultsFile))
	if err != nil {
		return err
	}
	want, err := SelectScenarios(res.Flags.Scenarios)
	if err != nil {
		return fmt.Errorf("%s: flags: %w", ResultsFile, err)
	}
	have := map[string]bool{}
	for _, r := range res.Rows {
		if len(r.Samples) == 0 {
			return fmt.Errorf("%s: %s/%s has no sample", ResultsFile, r.Scenario, r.Impl)
		}
		have[r.Scenario] = true
	}
	for _, sc := range want {
		if !have[sc.Name] {
			return fmt.Errorf("%s: scenario %s is missing", ResultsFile, sc.Name)
		}
	}
	if st, err := os.Stat(filepath.Join(dir, ReportFile)); err != nil || st.Size() == 0 {
		return fmt.Errorf("%s missing or empty", ReportFile)
	}
	svgs, err := filepath.Glob(filepath.Join(dir, "*.svg"))
	if err != nil {
		return err
	}
	if len(svgs) == 0 {
		return fmt.Errorf("no SVG chart in %s", dir)
	}
	for _, f := range svgs {
		data, err := os.ReadFile(f)
		if err != nil {
			return fmt.Errorf("%w", err)
		}
		if !bytes.HasPrefix(data, []byte("<?xml")) && !bytes.HasPrefix(data, []byte("<svg")) {
			return fmt.Errorf("%s is not an SVG", filepath.Base(f))
		}
		png := strings.TrimSuffix(f, ".svg") + ".png"
		data, err = os.ReadFile(png)
		if err != nil {
			return fmt.Errorf("%s has no PNG beside it: %w", filepath.Base(f), err)
		}
		if !bytes.HasPrefix(data, []byte("\x89PNG\r\n\x1a\n")) {
			return fmt.Errorf("%s is not a PNG", filepath.Base(png))
		}
	}
	return nil
}
