package oracle

// synthetic.go is a stand-in Oracle for tests that drive the real binary
// (kill -9 and resume through the real exporter and importer): with
// YB_VOYAGER_ORACLE_SYNTHETIC naming a directory, --source-db-type oracle
// reads its tables, snapshot and change stream from files there instead of
// a server. Everything above the live part is the real code (the SQL_REDO
// parser, the converter, the transaction buffer, the position, the
// streamer); only the server is replaced. The files:
//
//	tables.sql    CREATE TABLE statements, with primary keys
//	snapshot.sql  INSERT statements: the rows as of the snapshot SCN
//	scn           the snapshot SCN
//	redo.tsv      V$LOGMNR_CONTENTS rows, appended while the export runs:
//	              SCN, XID, OPERATION, ROW_ID, ROLLBACK (0/1), CSF (0/1), SQL_REDO, tab-separated
//
// It is synthetic: a state-machine test's input, never a claim about
// Oracle's behaviour.

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/yugabyte/yb-voyager-go/internal/capture"
	"github.com/yugabyte/yb-voyager-go/internal/datafile"
	"github.com/yugabyte/yb-voyager-go/internal/dbconn"
	"github.com/yugabyte/yb-voyager-go/internal/engine"
	"github.com/yugabyte/yb-voyager-go/internal/queue"
	"github.com/yugabyte/yb-voyager-go/internal/schema"
	"github.com/yugabyte/yb-voyager-go/internal/source"
	"github.com/yugabyte/yb-voyager-go/internal/source/oracle/ddl"
	"github.com/yugabyte/yb-voyager-go/internal/source/oracle/logminer"
	"github.com/yugabyte/yb-voyager-go/internal/source/oracle/redo"
	"github.com/yugabyte/yb-voyager-go/internal/sqlname"
)

// SyntheticEnv names the directory of a synthetic source.
const SyntheticEnv = "YB_VOYAGER_ORACLE_SYNTHETIC"

type synthSource struct {
	dir    string
	owner  string
	target string
	tables map[string]*ddl.Table // by catalog name
	order  []string
}

var _ engine.Source = (*synthSource)(nil)

func openSynthetic(dir string, cfg dbconn.Config) (*synthSource, error) {
	text, err := os.ReadFile(filepath.Join(dir, "tables.sql"))
	if err != nil {
		return nil, fmt.Errorf("synthetic Oracle source: %w", err)
	}
	s := &synthSource{dir: dir, owner: cfg.Schemas[0], target: cfg.TargetSchema, tables: map[string]*ddl.Table{}}
	if s.target == "" {
		s.target = "public"
	}
	stmts, _, _ := ddl.Split("tables.sql", text)
	for _, st := range stmts {
		if t, err := ddl.ParseTable(st.Text); err == nil {
			s.tables[t.Object.Name] = t
			s.order = append(s.order, t.Object.Name)
		}
	}
	return s, nil
}

func (s *synthSource) Identity(context.Context) (string, error) {
	return "oracle synthetic " + s.dir + " schema " + s.owner, nil
}
func (s *synthSource) Close()             {}
func (s *synthSource) Warnings() []string { return nil }
func (s *synthSource) Engine() string     { return "oracle" }
func (s *synthSource) Label(string) string {
	return "synthetic LogMiner stream " + filepath.Join(s.dir, "redo.tsv")
}
func (s *synthSource) CheckLive(context.Context, []source.Table) error { return nil }
func (s *synthSource) Release(context.Context, string) error           { return nil }
func (s *synthSource) Reconnect(context.Context) error                 { return nil }
func (s *synthSource) CutoverValues(context.Context) ([]queue.CutoverValue, error) {
	return nil, nil
}
func (s *synthSource) LagBytes(context.Context, capture.Position, capture.Position) (int64, error) {
	return 0, nil
}
func (s *synthSource) ExportSchema(context.Context, engine.SchemaOptions, schema.Filter) ([]schema.Statement, []schema.Note, error) {
	return nil, nil, fmt.Errorf("synthetic Oracle source: export schema with --source-ddl-file %s", filepath.Join(s.dir, "tables.sql"))
}
func (s *synthSource) ParsePosition(data []byte) (capture.Position, error) {
	p, err := logminer.ParsePosition(data)
	return scnPosition{p}, err
}

func (s *synthSource) ListTables(_ context.Context, include, exclude []sqlname.Pattern) ([]source.Table, error) {
	selected, byPG, err := selectTables(s.order, s.target, include, exclude)
	if err != nil {
		return nil, err
	}
	var out []source.Table
	for _, name := range selected {
		t := s.tables[byPG[name.Name]]
		st := source.Table{Name: name, Relations: []sqlname.Table{name}, PrimaryKey: newChangeTable(t).pgKey()}
		for _, c := range t.Columns {
			st.Columns = append(st.Columns, PGName(c.Name))
		}
		out = append(out, st)
	}
	return out, nil
}

func (s *synthSource) scn() (uint64, error) {
	b, err := os.ReadFile(filepath.Join(s.dir, "scn"))
	if err != nil {
		return 0, err
	}
	return strconv.ParseUint(strings.TrimSpace(string(b)), 10, 64)
}

// synthSnap is the snapshot side of the synthetic source.
type synthSnap struct{ *synthSource }

func (synthSnap) Close(context.Context) error { return nil }

func (s *synthSource) BeginSnapshot(context.Context, int) (source.Snapshot, error) {
	return synthSnap{s}, nil
}

func (s *synthSource) BeginLive(ctx context.Context, _ capture.LiveOptions) (*capture.Live, error) {
	scn, err := s.scn()
	if err != nil {
		return nil, err
	}
	return &capture.Live{Snapshot: synthSnap{s}, Start: scnPosition{logminer.AtSnapshot(scn, 0)}}, nil
}

func (s *synthSource) PlanChunks(_ context.Context, tables []source.Table, _ int64) ([]source.Chunk, error) {
	return source.ChunksOf(tables, func(source.Table, sqlname.Table) ([]string, error) { return []string{""}, nil })
}

// ExportChunk writes the table's snapshot rows through the change path's
// converter, in the export's column order.
func (s *synthSource) ExportChunk(_ context.Context, _ int, c source.Chunk, columns []string, w io.Writer) (int64, error) {
	text, err := os.ReadFile(filepath.Join(s.dir, "snapshot.sql"))
	if err != nil {
		return 0, err
	}
	stmts, _, _ := ddl.Split("snapshot.sql", text)
	var n int64
	var buf []byte
	for _, st := range stmts {
		rows, err := redo.ParseRows(st.Text)
		if err != nil {
			return n, fmt.Errorf("snapshot.sql line %d: %w", st.Line, err)
		}
		for _, r := range rows {
			t := s.tables[r.Table]
			if t == nil || PGName(r.Table) != c.Table.Name {
				continue
			}
			row, err := newChangeTable(t).row(r.Set)
			if err != nil {
				return n, err
			}
			buf = buf[:0]
			for i, col := range columns {
				if i > 0 {
					buf = append(buf, '\t')
				}
				if v := row.Value(col); v != nil {
					buf = datafile.AppendEscaped(buf, []byte(*v))
				} else {
					buf = append(buf, '\\', 'N')
				}
			}
			if _, err := w.Write(append(buf, '\n')); err != nil {
				return n, err
			}
			n++
		}
	}
	return n, nil
}

func (s *synthSource) Stream(ctx context.Context, o capture.StreamOptions, sink capture.Sink) error {
	from, ok := o.From.(scnPosition)
	if !ok {
		return fmt.Errorf("synthetic stream: no start position")
	}
	tables := map[string]changeTable{}
	for n, t := range s.tables {
		tables[n] = newChangeTable(t)
	}
	st := &streamer{m: &fileMiner{path: filepath.Join(s.dir, "redo.tsv")}, tables: tables, owner: s.owner, target: s.target,
		sink: sink, idle: 50 * time.Millisecond, buf: logminer.NewBuffer(o.SpillDir, 64<<10)}
	defer st.buf.Close()
	return st.run(ctx, from.Position)
}

func (s *synthSource) RequestStop(ctx context.Context, _ capture.StreamOptions) (capture.Stop, error) {
	scn, err := (&fileMiner{path: filepath.Join(s.dir, "redo.tsv")}).CurrentSCN(ctx)
	return capture.Stop{At: scnPosition{logminer.Position{RestartSCN: scn, CommitSCN: scn}}}, err
}

// fileMiner reads redo.tsv: its last complete line's SCN is the current
// SCN, and one log covers every SCN. Rows are in SCN order, so it keeps
// line offsets by SCN and starts each read near the window, not at the
// top of the file.
type fileMiner struct {
	path  string
	index []scnOffset // every 1024th line start, in order
	lines int         // lines indexed so far
	cur   uint64      // the SCN of the last complete line read
}

type scnOffset struct {
	scn uint64
	off int64
}

// rows calls each with every complete row from the last indexed line
// before SCN from onward.
func (f *fileMiner) rows(from uint64, each func(minedRow) error) error {
	file, err := os.Open(f.path)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return err
	}
	defer file.Close()
	start, line := int64(0), 0
	for i, x := range f.index {
		if x.scn >= from {
			break
		}
		start, line = x.off, i*1024
	}
	if _, err := file.Seek(start, io.SeekStart); err != nil {
		return err
	}
	r := bufio.NewReaderSize(file, 1<<16)
	off := start
	for ; ; line++ {
		text, err := r.ReadString('\n')
		if err == io.EOF {
			return nil // a line still being written is read next time
		}
		if err != nil {
			return err
		}
		row, perr := parseRedoLine(strings.TrimSuffix(text, "\n"))
		if perr != nil {
			return fmt.Errorf("%s: %w", f.path, perr)
		}
		if line == f.lines {
			if line%1024 == 0 {
				f.index = append(f.index, scnOffset{row.SCN, off})
			}
			f.lines++
			if !row.CSF { // a row whose statement continues is not complete yet
				f.cur = max(f.cur, row.SCN)
			} else if row.SCN > 0 {
				f.cur = max(f.cur, row.SCN-1)
			}
		}
		off += int64(len(text))
		if err := each(row); err != nil {
			return err
		}
	}
}

func parseRedoLine(line string) (minedRow, error) {
	f := strings.SplitN(line, "\t", 7)
	if len(f) != 7 {
		return minedRow{}, fmt.Errorf("a line of %d fields, want 7", len(f))
	}
	scn, err := strconv.ParseUint(f[0], 10, 64)
	if err != nil {
		return minedRow{}, err
	}
	return minedRow{Row: logminer.Row{SCN: scn, XID: f[1], Op: f[2], RowID: f[3], Rollback: f[4] == "1", Redo: f[6], Time: time.Now()}, CSF: f[5] == "1"}, nil
}

func (f *fileMiner) CurrentSCN(context.Context) (uint64, error) {
	err := f.rows(f.cur+1, func(minedRow) error { return nil })
	return f.cur, err
}

func (f *fileMiner) Logs(context.Context) ([]logminer.LogFile, uint64, []int, error) {
	return []logminer.LogFile{{Name: f.path, Thread: 1, Sequence: 1, FirstSCN: 0, NextSCN: 1 << 62, Resetlogs: 1}}, 1, []int{1}, nil
}

var errWindowEnd = errors.New("past the window")

func (f *fileMiner) Mine(_ context.Context, _ []logminer.LogFile, start, end uint64, each func(minedRow) error) error {
	err := f.rows(start, func(r minedRow) error {
		if r.SCN > end {
			return errWindowEnd
		}
		if r.SCN >= start {
			return each(r)
		}
		return nil
	})
	if errors.Is(err, errWindowEnd) {
		return nil
	}
	return err
}
