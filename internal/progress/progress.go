// Package progress owns what a command shows on the terminal while it moves
// data: one bar per table (vbauerster/mpb) or nothing with --disable-pb.
// Callers report rows; they never know whether bars are drawn.
package progress

import (
	"io"
	"sync"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
)

// Reporter receives row counts per table.
type Reporter interface {
	// Table registers a table with its expected row total (an estimate; 0 if unknown)
	// and the rows already done by an earlier run.
	Table(name string, total, done int64)
	Add(name string, rows int64)
	// Finish marks a table complete.
	Finish(name string)
	// Wait stops drawing.
	Wait()
}

// New returns bars drawn on w, or a silent reporter when disabled.
func New(w io.Writer, disabled bool) Reporter {
	if disabled {
		return Nop{}
	}
	return &bars{p: mpb.New(mpb.WithOutput(w), mpb.WithWidth(40)), bars: map[string]*bar{}}
}

// Nop draws nothing.
type Nop struct{}

func (Nop) Table(string, int64, int64) {}
func (Nop) Add(string, int64)          {}
func (Nop) Finish(string)              {}
func (Nop) Wait()                      {}

type bar struct {
	b     *mpb.Bar
	total int64
	cur   int64
}

type bars struct {
	mu   sync.Mutex
	p    *mpb.Progress
	bars map[string]*bar
}

func (b *bars) Table(name string, total, done int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, ok := b.bars[name]; ok {
		return
	}
	if total < done {
		total = done
	}
	pb := b.p.AddBar(max(total, 1),
		mpb.PrependDecorators(decor.Name(name, decor.WCSyncSpaceR)),
		mpb.AppendDecorators(decor.CountersNoUnit("%d / %d rows"), decor.Percentage(decor.WCSyncSpace)),
	)
	pb.SetCurrent(done)
	b.bars[name] = &bar{b: pb, total: max(total, 1), cur: done}
}

func (b *bars) Add(name string, rows int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	br, ok := b.bars[name]
	if !ok {
		return
	}
	br.cur += rows
	if br.cur >= br.total { // estimates are estimates: grow rather than finish early
		br.total = br.cur + 1
		br.b.SetTotal(br.total, false)
	}
	br.b.SetCurrent(br.cur)
}

func (b *bars) Finish(name string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if br, ok := b.bars[name]; ok {
		br.b.SetTotal(br.cur, true)
	}
}

func (b *bars) Wait() {
	b.mu.Lock()
	for _, br := range b.bars {
		if !br.b.Completed() {
			br.b.Abort(false)
		}
	}
	b.mu.Unlock()
	b.p.Wait()
}
