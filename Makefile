# yb-voyager: see README.md. Every target installs what it needs.
GO      ?= go
BIN     := bin/yb-voyager
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X github.com/yugabyte/yb-voyager-go/internal/cli.Version=$(VERSION)

.PHONY: build test deps demo bench vet clean

build:
	$(GO) build -ldflags "$(LDFLAGS)" -o $(BIN) ./cmd/yb-voyager

# The test binaries share a source and a target PostgreSQL cluster and a source MariaDB that
# testenv starts for the whole run and stops at the end.
test: deps build
	$(GO) build -o bin/testenv ./tools/testenv
	YBV_BIN=$(CURDIR)/$(BIN) bin/testenv -- $(GO) test ./... -count=1 -timeout 25m
	@[ -n "$$ORACLE_TEST_DSN" ] || echo "oracle: skipped: no Oracle server (set ORACLE_TEST_DSN to run the live-server tests, docs/oracle.md)"

vet:
	$(GO) vet ./...

deps:
	scripts/install-deps.sh

demo: deps build
	scripts/demo.sh

bench: deps build
	bench/snapshot.sh
	bench/cdc.sh
	bench/mysql.sh
	bench/mysql_cdc.sh
	bench/oracle_redo.sh
	bench/oracle_cdc.sh

clean:
	rm -rf bin
