// Package progress owns what a command shows on the terminal while it moves
// data: one bar per table (vbauerster/mpb) or nothing with --disable-pb.
// Callers report rows from hot loops, so Add is an atomic add; a ticker moves
// the counts to the bars a few times a second.
package progress

import (
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
)

// Reporter receives row counts per table.
type Reporter interface {
	// Table registers a table with its expected row total (an estimate; 0 if
	// unknown) and the rows already done by an earlier run.
	Table(name string, total, done int64)
	// Add counts rows; cheap enough to call per row.
	Add(name string, rows int64)
	// Finish marks a table complete.
	Finish(name string)
	// Wait draws the final state and stops drawing.
	Wait()
}

// New returns bars drawn on w, or a silent reporter when disabled.
func New(w io.Writer, disabled bool) Reporter {
	if disabled {
		return Nop{}
	}
	b := &bars{p: mpb.New(mpb.WithOutput(w), mpb.WithWidth(40), mpb.WithRefreshRate(200*time.Millisecond)),
		byName: map[string]*bar{}, stop: make(chan struct{}), stopped: make(chan struct{})}
	go b.tick()
	return b
}

// Nop draws nothing.
type Nop struct{}

func (Nop) Table(string, int64, int64) {}
func (Nop) Add(string, int64)          {}
func (Nop) Finish(string)              {}
func (Nop) Wait()                      {}

type bar struct {
	b        *mpb.Bar
	total    int64
	count    atomic.Int64
	finished atomic.Bool
}

type bars struct {
	mu      sync.Mutex
	p       *mpb.Progress
	byName  map[string]*bar
	order   []*bar
	stop    chan struct{}
	stopped chan struct{}
	waited  sync.Once
	ended   bool // Wait has run: no bar may be added (mpb refuses them)
}

func (b *bars) Table(name string, total, done int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if _, ok := b.byName[name]; ok || b.ended {
		return
	}
	br := &bar{total: max(total, done, 1)}
	br.count.Store(done)
	// Total 0 puts mpb in dynamic-total mode: the bar completes only when
	// Finish forces it, so a low estimate never ends a bar early.
	br.b = b.p.AddBar(0,
		mpb.PrependDecorators(decor.Name(name, decor.WCSyncSpaceR)),
		mpb.AppendDecorators(decor.CountersNoUnit("%d / %d rows", decor.WCSyncSpace), decor.Percentage(decor.WCSyncSpace)),
	)
	br.b.SetTotal(br.total, false)
	br.b.SetCurrent(done)
	b.byName[name] = br
	b.order = append(b.order, br)
}

func (b *bars) lookup(name string) *bar {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.byName[name]
}

func (b *bars) Add(name string, rows int64) {
	if br := b.lookup(name); br != nil {
		br.count.Add(rows)
	}
}

func (b *bars) Finish(name string) {
	if br := b.lookup(name); br != nil {
		br.finished.Store(true)
	}
}

// tick copies counters to bars; totals are estimates, so a bar grows its
// total rather than completing before the table is finished.
func (b *bars) tick() {
	defer close(b.stopped)
	t := time.NewTicker(150 * time.Millisecond)
	defer t.Stop()
	for {
		b.sync()
		select {
		case <-b.stop:
			b.sync()
			return
		case <-t.C:
		}
	}
}

func (b *bars) sync() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, br := range b.order {
		if br.b.Completed() || br.b.Aborted() {
			continue
		}
		cur := br.count.Load()
		switch {
		case br.finished.Load():
			br.b.SetCurrent(cur)
			br.b.SetTotal(-1, true)
		case cur >= br.total:
			br.total = cur + cur/10 + 1
			br.b.SetTotal(br.total, false)
			br.b.SetCurrent(cur)
		default:
			br.b.SetCurrent(cur)
		}
	}
}

// Wait may be called more than once (a live export stops drawing after the
// snapshot, and its command again at the end).
func (b *bars) Wait() { b.waited.Do(b.wait) }

func (b *bars) wait() {
	b.mu.Lock()
	b.ended = true
	b.mu.Unlock()
	close(b.stop)
	<-b.stopped
	b.mu.Lock()
	for _, br := range b.order {
		if !br.finished.Load() { // a run that failed or was interrupted
			br.b.Abort(false)
		}
	}
	b.mu.Unlock()
	b.p.Wait()
}
