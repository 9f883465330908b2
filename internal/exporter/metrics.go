package exporter

import (
	"context"
	"fmt"
	"time"

	"github.com/yugabyte/yb-voyager-go/internal/capture"
	"github.com/yugabyte/yb-voyager-go/internal/exportdir"
)

// ExportStats are the CDC metrics shown on the terminal and by export data
// status (the metrics record of the direction's exporter).
type ExportStats struct {
	Events     int64                `json:"events"`
	ByOp       map[string]int64     `json:"by_op"`
	ByTable    map[string]*[3]int64 `json:"by_table"` // inserts, updates, deletes per schema.table
	Rate       float64              `json:"events_per_second"`
	LagBytes   int64                `json:"lag_bytes"`
	LagSeconds float64              `json:"lag_seconds"`
	DurableLSN string               `json:"durable_lsn"` // the durable source position, whatever the engine
	UpdatedAt  time.Time            `json:"updated_at"`
}

// LoadStats reads the metrics the direction's exporter last published.
func LoadStats(ctx context.Context, st *exportdir.Store, dir exportdir.Direction) (ExportStats, bool, error) {
	return exportdir.LoadMetrics[ExportStats](ctx, st, dir, exportdir.RoleExporter)
}

// metrics is the sink's view for the rate and lag.
type metrics struct {
	rateFrom   int64
	rateAt     time.Time
	lastReport time.Time
	lastTx     time.Time        // commit time of the newest transaction seen
	end        capture.Position // newest end of the source's change log seen
	lagBytes   int64
}

func (m *metrics) start(events int64) { m.rateFrom, m.rateAt = events, time.Now() }

// idle makes the next report show no rate.
func (m *metrics) idle(events int64) {
	m.lastReport, m.rateFrom, m.rateAt = time.Time{}, events, time.Now().Add(-time.Second)
}

// report publishes the metrics every 2 s.
func (s *sink) report() {
	if time.Since(s.metrics.lastReport) < 2*time.Second {
		return
	}
	s.publish(s.ctx)
}

// publish computes the rate and the lag and shows them on the terminal and
// in the store. The lag in bytes is the source's (a failed reading keeps
// the last one: a lag reading is not worth stopping the export for); the
// lag in seconds is the age of the newest transaction seen while behind:
// caught up (no lag in bytes), there is none however long ago the source
// last wrote.
func (s *sink) publish(ctx context.Context) {
	m := &s.metrics
	lctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	if n, err := s.src.LagBytes(lctx, s.durable, m.end); err != nil {
		s.o.Log.Debug("read source lag", "from", s.durable.String(), "err", err)
	} else {
		m.lagBytes = n
	}
	cancel()
	now := time.Now()
	c := s.mark.Counts
	st := ExportStats{Events: c.Events, ByOp: c.ByOp, ByTable: c.ByTable, LagBytes: m.lagBytes,
		DurableLSN: s.durable.String(), UpdatedAt: now}
	if d := now.Sub(m.rateAt).Seconds(); d > 0 {
		st.Rate = float64(c.Events-m.rateFrom) / d
	}
	if st.LagBytes > 0 && !m.lastTx.IsZero() {
		st.LagSeconds = now.Sub(m.lastTx).Seconds()
	}
	m.rateFrom, m.rateAt, m.lastReport = c.Events, now, now
	if err := s.o.Store.SaveMetrics(ctx, s.dir, exportdir.RoleExporter, st); err != nil {
		s.o.Log.Debug("publish export metrics", "err", err)
	}
	fmt.Fprintf(s.o.Out, "CDC export: %d events (I %d, U %d, D %d, T %d), %.0f events/s, lag %.1f s / %d bytes\n",
		c.Events, c.ByOp["I"], c.ByOp["U"], c.ByOp["D"], c.ByOp["T"], st.Rate, st.LagSeconds, st.LagBytes)
}
