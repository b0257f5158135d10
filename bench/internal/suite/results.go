package suite

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"time"
)

// Results is everything one run measured; it is saved as results.json.
type Results struct {
	Machine Machine   `json:"machine"`
	Date    time.Time `json:"date"`
	Flags   Flags     `json:"flags"`
	Load    Load      `json:"load"`
	Rows    []Row     `json:"rows"`
}

// Machine describes where the run happened.
type Machine struct {
	CPU string `json:"cpu"`
	// CPUFamily is "family F, model M, stepping S" as the kernel reports
	// them: a virtual machine's model name ("AMD EPYC") can stand for
	// several generations, which these numbers tell apart.
	CPUFamily  string `json:"cpu_family,omitempty"`
	Cores      int    `json:"cores"`
	GoVersion  string `json:"go_version"`
	OS         string `json:"os"`
	Arch       string `json:"arch"`
	GOMAXPROCS int    `json:"gomaxprocs"` // at start, before -procs
}

// Flags records the settings the run used.
type Flags struct {
	Duration  string   `json:"duration"`
	Reps      int      `json:"reps"`
	Scenarios []string `json:"scenarios"`
	Procs     []int    `json:"procs"`
	Smoke     bool     `json:"smoke"`
	// Interleaved: sample i of every case was taken in repetition i, which
	// measured every case once (false in results.json files of older
	// versions, which took all samples of a case back to back).
	Interleaved bool `json:"interleaved"`
}

// Row is one case at one GOMAXPROCS: every sample and the medians.
type Row struct {
	Scenario string  `json:"scenario"`
	Impl     string  `json:"impl"`
	Series   string  `json:"series"`
	Param    float64 `json:"param,omitempty"`
	Procs    int     `json:"procs"`
	Unit     string  `json:"unit"`
	Baseline bool    `json:"baseline,omitempty"`
	// Items is the item count of every sample (fixed by calibration).
	Items   int      `json:"items_per_sample"`
	Samples []Sample `json:"samples"`
	// Medians over the samples.
	NSPerItem     float64            `json:"ns_per_item"`
	ItemsPerSec   float64            `json:"items_per_sec"`
	AllocsPerItem float64            `json:"allocs_per_item"`
	Metrics       map[string]float64 `json:"metrics,omitempty"`
	// Ratio is baseline ns / this ns within the scenario and GOMAXPROCS
	// (above 1: faster than the baseline); absent without a baseline. It
	// is the median of the per-repetition ratios (see PairedRatios), and
	// RatioLo and RatioHi are the lowest and highest of them.
	Ratio   *float64 `json:"ratio,omitempty"`
	RatioLo *float64 `json:"ratio_lo,omitempty"`
	RatioHi *float64 `json:"ratio_hi,omitempty"`
}

// Sample is one timed run of a case.
type Sample struct {
	Items   int                `json:"items"`
	NS      int64              `json:"ns"`
	Allocs  uint64             `json:"allocs"`
	Bytes   uint64             `json:"bytes"`
	Metrics map[string]float64 `json:"metrics,omitempty"`
	// OthersCPU is the share of the machine (0 to 1) that other processes
	// used while the sample ran (see Load).
	OthersCPU float64 `json:"others_cpu"`
}

// Spread returns the fastest and slowest ns per item over r's samples
// (lo <= median <= hi); both are NaN without samples.
func (r Row) Spread() (lo, hi float64) {
	lo, hi = math.NaN(), math.NaN()
	for i, s := range r.Samples {
		v := float64(s.NS) / float64(max(s.Items, 1))
		if i == 0 || v < lo {
			lo = v
		}
		if i == 0 || v > hi {
			hi = v
		}
	}
	return lo, hi
}

// summarize fills the medians of r from its samples.
func (r *Row) summarize() {
	var ns, allocs []float64
	metrics := map[string][]float64{}
	for _, s := range r.Samples {
		n := float64(max(s.Items, 1))
		ns = append(ns, float64(s.NS)/n)
		allocs = append(allocs, float64(s.Allocs)/n)
		for k, v := range s.Metrics {
			metrics[k] = append(metrics[k], v)
		}
	}
	r.NSPerItem = Median(ns)
	r.ItemsPerSec = 0
	if r.NSPerItem > 0 {
		r.ItemsPerSec = 1e9 / r.NSPerItem
	}
	r.AllocsPerItem = Median(allocs)
	if len(metrics) > 0 {
		r.Metrics = map[string]float64{}
		for k, v := range metrics {
			r.Metrics[k] = Median(v)
		}
	}
}

// nsPerItem is a sample's time per item.
func (s Sample) nsPerItem() float64 { return float64(s.NS) / float64(max(s.Items, 1)) }

// PairedRatios returns num's time over den's for every repetition both
// rows have a sample of: sample i of each row was taken in repetition i,
// moments apart (see Flags.Interleaved), so each ratio compares two
// samples that met the same machine.
func PairedRatios(num, den Row) []float64 {
	var out []float64
	for i := range min(len(num.Samples), len(den.Samples)) {
		if x := Ratio(num.Samples[i].nsPerItem(), den.Samples[i].nsPerItem()); !math.IsNaN(x) {
			out = append(out, x)
		}
	}
	return out
}

// RatioStat is a ratio of two rows: the median of the paired
// per-repetition ratios and their lowest and highest. With no pair it
// falls back to the ratio of the medians; with fewer than two pairs there
// is no range (Lo, Hi NaN).
type RatioStat struct{ Median, Lo, Hi float64 }

// RatioOf returns the ratio num/den of two rows' times.
func RatioOf(num, den Row) RatioStat {
	xs := PairedRatios(num, den)
	switch len(xs) {
	case 0:
		return RatioStat{Ratio(num.NSPerItem, den.NSPerItem), math.NaN(), math.NaN()}
	case 1:
		return RatioStat{xs[0], math.NaN(), math.NaN()}
	}
	return RatioStat{Median(xs), slices.Min(xs), slices.Max(xs)}
}

// Inverse returns den/num: the same comparison the other way round.
func (s RatioStat) Inverse() RatioStat { return RatioStat{1 / s.Median, 1 / s.Hi, 1 / s.Lo} }

// computeRatios sets every row's Ratio, RatioLo and RatioHi against its
// scenario's baseline row at the same GOMAXPROCS and parameter (pairs' N,
// E2's interval).
func (res *Results) computeRatios() {
	type key struct {
		scenario string
		procs    int
		param    float64
	}
	base := map[key]Row{}
	for _, r := range res.Rows {
		if r.Baseline {
			base[key{r.Scenario, r.Procs, r.Param}] = r
		}
	}
	for i := range res.Rows {
		r := &res.Rows[i]
		b, ok := base[key{r.Scenario, r.Procs, r.Param}]
		if !ok {
			continue
		}
		st := RatioOf(b, *r)
		if !math.IsNaN(st.Median) {
			r.Ratio = &st.Median
		}
		if !math.IsNaN(st.Lo) {
			r.RatioLo, r.RatioHi = &st.Lo, &st.Hi
		}
	}
}

// Save writes res as indented JSON to path.
func (res *Results) Save(path string) error {
	data, err := json.MarshalIndent(res, "", "  ")
	if err != nil {
		return fmt.Errorf("encode results: %w", err)
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}

// LoadResults reads a results.json written by Save.
func LoadResults(path string) (*Results, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w", err)
	}
	var res Results
	if err := json.Unmarshal(data, &res); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Base(path), err)
	}
	return &res, nil
}

// ScenariosIn returns the distinct scenario names of res, in row order.
func (res *Results) ScenariosIn() []string {
	seen := map[string]bool{}
	var out []string
	for _, r := range res.Rows {
		if !seen[r.Scenario] {
			seen[r.Scenario] = true
			out = append(out, r.Scenario)
		}
	}
	return out
}

// thisMachine describes the machine the process runs on.
func thisMachine() Machine {
	cpu, family := cpuModel()
	return Machine{
		CPU:        cpu,
		CPUFamily:  family,
		Cores:      runtime.NumCPU(),
		GoVersion:  runtime.Version(),
		OS:         runtime.GOOS,
		Arch:       runtime.GOARCH,
		GOMAXPROCS: runtime.GOMAXPROCS(0),
	}
}

// cpuModel reads the first processor's "model name" of /proc/cpuinfo
// ("unknown" elsewhere) and its family, model and stepping ("" where
// there are none, as on arm64).
func cpuModel() (name, family string) {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return "unknown", ""
	}
	defer f.Close()
	fields := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if sc.Text() == "" {
			break // the end of the first processor's block
		}
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok {
			fields[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	name = fields["model name"]
	if name == "" {
		name = "unknown"
	}
	if fields["cpu family"] != "" {
		family = fmt.Sprintf("family %s, model %s, stepping %s", fields["cpu family"], fields["model"], fields["stepping"])
	}
	return name, family
}
