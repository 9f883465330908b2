package dbconn

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// IsTransient reports whether err is worth retrying on a fresh connection:
// connection loss, serialization failures and deadlocks, server restarts,
// and YugabyteDB's restart-read and try-again errors.
func IsTransient(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		switch {
		case pgErr.Code == "40001", pgErr.Code == "40P01", pgErr.Code == "53300",
			pgErr.Code == "57P01", pgErr.Code == "57P02", pgErr.Code == "57P03",
			strings.HasPrefix(pgErr.Code, "08"):
			return true
		}
		msg := strings.ToLower(pgErr.Message)
		return strings.Contains(msg, "restart read required") || strings.Contains(msg, "try again") ||
			strings.Contains(msg, "catalog version mismatch")
	}
	if pgconn.SafeToRetry(err) || pgconn.Timeout(err) {
		return true
	}
	var netErr net.Error
	if errors.As(err, &netErr) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return true
	}
	msg := strings.ToLower(err.Error())
	for _, s := range []string{"conn closed", "connection reset", "broken pipe", "connection refused", "unexpected eof", "failed to connect"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// Retry runs fn until it succeeds, fails with a non-transient error, or
// attempts run out, backing off exponentially with jitter (capped at 30 s).
func Retry(ctx context.Context, attempts int, onRetry func(attempt int, err error), fn func() error) error {
	delay := 200 * time.Millisecond
	for attempt := 1; ; attempt++ {
		err := fn()
		if err == nil || !IsTransient(err) || attempt >= attempts {
			return err
		}
		if onRetry != nil {
			onRetry(attempt, err)
		}
		sleep := delay/2 + time.Duration(rand.Int64N(int64(delay)))
		select {
		case <-time.After(sleep):
		case <-ctx.Done():
			return ctx.Err()
		}
		delay = min(delay*2, 30*time.Second)
	}
}
