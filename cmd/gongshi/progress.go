package main

import (
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"time"
)

// progress draws a one-line progress bar with rate and time left: redrawn in place on a
// terminal, a line every few seconds otherwise (logs of a service or CI stay readable).
type progress struct {
	w       io.Writer
	label   string
	unit    string
	start   time.Time
	last    time.Time
	tty     bool
	lastPct int
	// observe, if set, is told of every update (serve --demo shows it on its front page).
	observe func(label, unit string, done, total int)
}

func newProgress(w io.Writer, label, unit string) *progress {
	p := &progress{w: w, label: label, unit: unit, start: time.Now()}
	if f, ok := w.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			p.tty = true
		}
	}
	return p
}

// update reports done of total.
func (p *progress) update(done, total int) {
	if p.observe != nil {
		p.observe(p.label, p.unit, done, total)
	}
	now := time.Now()
	every := 5 * time.Second
	if p.tty {
		every = 200 * time.Millisecond
	}
	if done < total && now.Sub(p.last) < every {
		return
	}
	p.last = now
	el := now.Sub(p.start).Seconds()
	rate := float64(done) / max(el, 1e-9)
	pct := 100 * done / max(total, 1)
	left := "?"
	if rate > 0 {
		left = (time.Duration(float64(total-done)/rate) * time.Second).Round(time.Second).String()
	}
	const width = 30
	bar := make([]byte, width)
	for i := range bar {
		bar[i] = ' '
		if i < width*pct/100 {
			bar[i] = '#'
		}
	}
	line := fmt.Sprintf("%s [%s] %3d%% %d/%d %s, %.0f/s, %s left", p.label, bar, pct, done, total, p.unit, rate, left)
	if p.tty {
		fmt.Fprintf(p.w, "\r%s", line)
		if done >= total {
			fmt.Fprintln(p.w)
		}
		return
	}
	fmt.Fprintln(p.w, line)
}

// startCPUProfile writes a CPU profile to path until the returned stop is called; an empty
// path profiles nothing.
func startCPUProfile(path string) (stop func(), err error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}
