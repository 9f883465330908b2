// Package logminer owns the part of Oracle change capture that needs no
// server: the exact restart position (position.go), which redo log files
// cover an SCN window (logs.go), how mining windows grow and shrink with
// load (window.go), and the transactions buffered until they commit, with
// memory bounded by spilling to disk (buffer.go). The session that runs
// DBMS_LOGMNR and reads V$LOGMNR_CONTENTS feeds these; it is the only part
// that needs a live Oracle.
//
// Everything here is driven in tests by synthetic V$LOGMNR_CONTENTS-shaped
// row streams: state machines, not database behaviour.
package logminer
