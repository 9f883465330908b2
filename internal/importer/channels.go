package importer

import (
	"context"
	"math"
	"sync"
)

// tracker knows, per channel, which dispatched events are not committed
// yet, so a channel that met a conflict can wait until every other channel
// has committed everything that came before the conflicting event.
type tracker struct {
	mu      sync.Mutex
	cond    *sync.Cond
	pending [][]int64 // per channel, seqs dispatched and not committed, ascending
}

func newTracker(channels int) *tracker {
	t := &tracker{pending: make([][]int64, channels)}
	t.cond = sync.NewCond(&t.mu)
	return t
}

func (t *tracker) dispatched(ch int, seq int64) {
	t.mu.Lock()
	t.pending[ch] = append(t.pending[ch], seq)
	t.mu.Unlock()
}

// committed drops the channel's pending seqs up to and including seq.
func (t *tracker) committed(ch int, seq int64) {
	t.mu.Lock()
	p := t.pending[ch]
	i := 0
	for i < len(p) && p[i] <= seq {
		i++
	}
	t.pending[ch] = p[i:]
	t.mu.Unlock()
	t.cond.Broadcast()
}

func (t *tracker) minPending(ch int) int64 {
	if len(t.pending[ch]) == 0 {
		return math.MaxInt64
	}
	return t.pending[ch][0]
}

// waitOthers blocks until no channel but ch has an uncommitted event
// before seq. ch itself must have committed its own events before seq, so
// two waiting channels can never wait for each other.
func (t *tracker) waitOthers(ctx context.Context, ch int, seq int64) error {
	stop := context.AfterFunc(ctx, func() { t.cond.Broadcast() })
	defer stop()
	t.mu.Lock()
	defer t.mu.Unlock()
	for {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		ok := true
		for c := range t.pending {
			if c != ch && t.minPending(c) < seq {
				ok = false
				break
			}
		}
		if ok {
			return nil
		}
		t.cond.Wait()
	}
}

// waitAll blocks until every channel has committed everything dispatched.
func (t *tracker) waitAll(ctx context.Context) error { return t.waitOthers(ctx, -1, math.MaxInt64) }

// appliedThrough is the highest seq such that every event at or before it
// is committed: just below the oldest pending event, or `dispatched` when
// nothing is pending.
func (t *tracker) appliedThrough(dispatched int64) int64 {
	t.mu.Lock()
	defer t.mu.Unlock()
	low := dispatched
	for c := range t.pending {
		if m := t.minPending(c); m-1 < low {
			low = m - 1
		}
	}
	return low
}
