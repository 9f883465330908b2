package logminer

import (
	"fmt"
	"sort"
)

// LogFile is one redo log file as V$LOG / V$LOGFILE (online) or
// V$ARCHIVED_LOG (archived) describe it.
type LogFile struct {
	Name      string
	Thread    int
	Sequence  int
	FirstSCN  uint64 // FIRST_CHANGE#
	NextSCN   uint64 // NEXT_CHANGE#: the first SCN not in the file (the maximum SCN for the current online log)
	Archived  bool
	Resetlogs uint64 // RESETLOGS_CHANGE# of the incarnation that wrote it
}

// SelectLogs picks the files to add to a LogMiner session mining
// [start, end]: for each redo thread, files of the current incarnation
// (resetlogs) that together cover the range with no gap, an archived copy
// preferred to the online log of the same sequence. A gap (a deleted
// archive log, a thread not covered) is an error naming the missing SCNs,
// because mining around it would lose changes.
func SelectLogs(logs []LogFile, resetlogs uint64, threads []int, start, end uint64) ([]LogFile, error) {
	if end < start {
		return nil, fmt.Errorf("empty SCN range %d..%d", start, end)
	}
	var out []LogFile
	for _, th := range threads {
		files := threadFiles(logs, resetlogs, th)
		picked, err := cover(files, th, start, end)
		if err != nil {
			return nil, err
		}
		out = append(out, picked...)
	}
	return out, nil
}

// threadFiles is a thread's files of the incarnation, one per sequence
// (archived preferred), in sequence order.
func threadFiles(logs []LogFile, resetlogs uint64, thread int) []LogFile {
	bySeq := map[int]LogFile{}
	for _, l := range logs {
		if l.Thread != thread || l.Resetlogs != resetlogs {
			continue
		}
		if cur, ok := bySeq[l.Sequence]; !ok || l.Archived && !cur.Archived {
			bySeq[l.Sequence] = l
		}
	}
	out := make([]LogFile, 0, len(bySeq))
	for _, l := range bySeq {
		out = append(out, l)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Sequence < out[j].Sequence })
	return out
}

// cover picks the files of one thread spanning [start, end].
func cover(files []LogFile, thread int, start, end uint64) ([]LogFile, error) {
	var out []LogFile
	at := start // the first SCN not yet covered
	for _, f := range files {
		if f.NextSCN <= at || f.FirstSCN > end {
			continue
		}
		if f.FirstSCN > at {
			return nil, fmt.Errorf("redo thread %d has no log file for SCNs %d..%d (archive log deleted or not yet archived?): restore it, or restart the export from a new snapshot with --start-clean", thread, at, f.FirstSCN-1)
		}
		out = append(out, f)
		at = f.NextSCN
		if at > end {
			return out, nil
		}
	}
	return nil, fmt.Errorf("redo thread %d has no log file for SCNs %d..%d: check V$ARCHIVED_LOG and the archive destination", thread, at, end)
}
