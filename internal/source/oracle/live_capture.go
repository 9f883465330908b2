package oracle

// live_capture.go wires the Oracle source into the capture contract: the
// checks, the snapshot's hand-off SCN, the LogMiner stream, the cutover
// stop and values. The parts that talk to the server are live_miner.go and
// live_snapshot.go; what they feed (stream.go, package logminer) is tested
// without one. None of it has run against a live Oracle.

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/yugabyte/yb-voyager-go/internal/capture"
	"github.com/yugabyte/yb-voyager-go/internal/queue"
	"github.com/yugabyte/yb-voyager-go/internal/source"
	"github.com/yugabyte/yb-voyager-go/internal/source/oracle/logminer"
	"github.com/yugabyte/yb-voyager-go/internal/source/oracle/values"
	"github.com/yugabyte/yb-voyager-go/internal/sqlname"
)

// CheckLive reads what the live checks judge (checkLive) and reports the
// first problem, with how many more there are.
func (s *Source) CheckLive(ctx context.Context, tables []source.Table) error {
	f, err := s.liveFacts(ctx, tables)
	if err != nil {
		return err
	}
	problems := checkLive(f, s.ctx.User)
	switch len(problems) {
	case 0:
		return nil
	case 1:
		return errors.New("live migration check: " + problems[0])
	}
	return fmt.Errorf("live migration check: %s (and %d more problems; the log file lists them all)", problems[0], len(problems)-1)
}

func (s *Source) liveFacts(ctx context.Context, tables []source.Table) (liveFacts, error) {
	f := liveFacts{TablesAllLogging: map[string]bool{}, Privileges: map[string]bool{}}
	c := s.catalogCtx()
	if err := s.db.QueryRowContext(ctx, `SELECT LOG_MODE, SUPPLEMENTAL_LOG_DATA_MIN, SUPPLEMENTAL_LOG_DATA_ALL FROM V$DATABASE`).Scan(&f.LogMode, &f.SupplementalMin, &f.SupplementalAll); err != nil {
		return f, Explain(err, c)
	}
	for q, into := range map[string]map[string]bool{
		`SELECT TABLE_NAME FROM ALL_LOG_GROUPS WHERE OWNER = :1 AND LOG_GROUP_TYPE = 'ALL COLUMN LOGGING'`: f.TablesAllLogging,
		`SELECT PRIVILEGE FROM SESSION_PRIVS UNION ALL SELECT ROLE FROM SESSION_ROLES`:                     f.Privileges,
	} {
		var args []any
		if strings.Contains(q, ":1") {
			args = append(args, s.owner)
		}
		rows, err := s.db.QueryContext(ctx, q, args...)
		if err != nil {
			return f, Explain(err, c)
		}
		for rows.Next() {
			var v string
			if err := rows.Scan(&v); err == nil {
				into[v] = true
			}
		}
		rows.Close()
	}
	for _, t := range tables {
		info := s.info[t.Name.Name]
		lt := liveTable{Name: info.name, HasKey: len(t.PrimaryKey) > 0}
		for i, col := range info.columns {
			lt.Columns = append(lt.Columns, liveColumn{Name: col, Type: info.types[i].Name})
		}
		f.Tables = append(f.Tables, lt)
	}
	return f, nil
}

// BeginLive opens the snapshot and says where the stream starts: at the
// snapshot SCN, reaching back to the oldest transaction open at it (its
// earlier changes are not in the snapshot, as it commits after it).
func (s *Source) BeginLive(ctx context.Context, o capture.LiveOptions) (*capture.Live, error) {
	snap, err := s.BeginSnapshot(ctx, o.Workers)
	if err != nil {
		return nil, err
	}
	var oldest *uint64
	if err := s.db.QueryRowContext(ctx, `SELECT MIN(START_SCN) FROM V$TRANSACTION`).Scan(&oldest); err != nil {
		return nil, Explain(err, s.catalogCtx())
	}
	var o0 uint64
	if oldest != nil {
		o0 = *oldest
	}
	scn := snap.(*liveSnapshot).scn
	return &capture.Live{Snapshot: snap, Start: scnPosition{logminer.AtSnapshot(scn, o0)}}, nil
}

// Stream mines from o.From into sink until ctx ends or something fails.
func (s *Source) Stream(ctx context.Context, o capture.StreamOptions, sink capture.Sink) error {
	from, ok := o.From.(scnPosition)
	if !ok {
		return fmt.Errorf("oracle stream: no start position")
	}
	if o.SpillDir == "" {
		return fmt.Errorf("oracle stream: no spill directory")
	}
	for _, f := range logminer.SpillFiles(o.SpillDir) {
		os.Remove(f) // a killed run's: its transactions are mined again
	}
	tables := map[string]changeTable{}
	var names []string
	for _, t := range o.Tables {
		info := s.info[t.Name.Name]
		tables[info.name] = changeTableOf(info, t.PrimaryKey)
		names = append(names, info.name)
	}
	m, err := openMiner(ctx, s.db, s.ctx, s.owner, names)
	if err != nil {
		return err
	}
	defer m.Close()
	st := &streamer{m: m, tables: tables, owner: s.owner, target: s.target, sink: sink, idle: time.Second,
		buf: logminer.NewBuffer(o.SpillDir, 256<<20)}
	defer st.buf.Close()
	return st.run(ctx, from.Position)
}

// changeTableOf is a listed table as the change path reads it; pk holds
// PostgreSQL names.
func changeTableOf(info liveTableInfo, pk []string) changeTable {
	ct := changeTable{name: info.name, kinds: map[string]values.Kind{}, pg: map[string]string{}}
	for i, c := range info.columns {
		ct.kinds[c] = values.KindOf(info.types[i])
		ct.pg[c] = PGName(c)
		for _, k := range pk {
			if k == PGName(c) {
				ct.key = append(ct.key, c)
			}
		}
	}
	return ct
}

// RequestStop stops at the SCN current when cutover was asked.
func (s *Source) RequestStop(ctx context.Context, _ capture.StreamOptions) (capture.Stop, error) {
	var scn uint64
	if err := s.db.QueryRowContext(ctx, `SELECT CURRENT_SCN FROM V$DATABASE`).Scan(&scn); err != nil {
		return capture.Stop{}, Explain(err, s.catalogCtx())
	}
	return capture.Stop{At: scnPosition{logminer.Position{RestartSCN: scn, CommitSCN: scn}}}, nil
}

// CutoverValues are the identity columns' next values. Sequences not
// attached to a column are not carried, as in Voyager ("resume value
// generation is unsupported"): the cutover report lists them.
func (s *Source) CutoverValues(ctx context.Context) ([]queue.CutoverValue, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT c.TABLE_NAME, c.COLUMN_NAME, q.LAST_NUMBER FROM ALL_TAB_IDENTITY_COLS c
		JOIN ALL_SEQUENCES q ON q.SEQUENCE_OWNER = c.OWNER AND q.SEQUENCE_NAME = c.SEQUENCE_NAME WHERE c.OWNER = :1`, s.owner)
	if err != nil {
		return nil, Explain(err, s.catalogCtx())
	}
	defer rows.Close()
	var out []queue.CutoverValue
	for rows.Next() {
		var table, col string
		var last int64
		if err := rows.Scan(&table, &col, &last); err != nil {
			return nil, err
		}
		out = append(out, queue.CutoverValue{Table: sqlname.Table{Schema: s.target, Name: PGName(table)}.Quoted(), Column: PGName(col), Value: last})
	}
	return out, rows.Err()
}

// LagBytes is not measured for Oracle yet (redo bytes between two SCNs
// need the log list); the lag in time is.
func (s *Source) LagBytes(context.Context, capture.Position, capture.Position) (int64, error) {
	return 0, nil
}

// ParsePosition reads back a position Stream committed.
func (s *Source) ParsePosition(data []byte) (capture.Position, error) {
	p, err := logminer.ParsePosition(data)
	if err != nil {
		return nil, err
	}
	return scnPosition{p}, nil
}
