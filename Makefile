# Commons Ledger (小区公共收益阳光监管平台) — build, test and demo.
#
#   make            = make test: install missing tools (as root), swift build, swift test, browser tests
#   make e2e        browser tests only, against the already built debug binary
#   make bench      release build, then the benchmark (make bench ARGS="...") and the HTTP figures (scripts/bench-http.sh)
#   make bench-http only the HTTP figures: a release `ledger serve` in its own process, loaded by wrk
#   make bench-cluster  nginx in front of two release servers over one PostgreSQL, a mixed load, errors and job runs
#   make demo       demo data and server (make demo ARGS="--port 8081")
#
# swift test runs the storage tests on PostgreSQL too when LEDGER_TEST_POSTGRES_URL is set
# (.ci/run starts a throw-away cluster and sets it; .ci/postgres.sh start does it by hand).

SHELL := /bin/bash
.DEFAULT_GOAL := test

SWIFT   ?= swift
PYTHON  ?= python3
ARGS    ?=
APT_PACKAGES := postgresql chromium chromium-driver fonts-noto-cjk zbar-tools wrk sqlite3 libreoffice-calc-nogui time
PIP_PACKAGES := selenium openpyxl pytest schemathesis

.PHONY: test deps build swift-test e2e bench bench-http bench-cluster demo

test: deps build swift-test e2e

# Installs only what is missing; quick when everything is present. Needs root to install anything.
deps:
	@missing=""; \
	for pkg in $(APT_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$pkg 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$pkg"; \
	done; \
	command -v chromium >/dev/null && command -v chromedriver >/dev/null || missing="$$missing chromium chromium-driver"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "== installing Debian packages:$$missing"; \
	    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; } >/tmp/ledger-apt.log 2>&1 \
	      || { tail -n 40 /tmp/ledger-apt.log; exit 1; }; \
	  else \
	    echo "warning: missing Debian packages:$$missing (run make as root to install them)" >&2; \
	  fi; \
	fi; \
	if ! $(PYTHON) -c 'import selenium, openpyxl, pytest, schemathesis' 2>/dev/null; then \
	  echo "== installing Python packages: $(PIP_PACKAGES)"; \
	  $(PYTHON) -m pip install -q --disable-pip-version-check $(PIP_PACKAGES) \
	    || $(PYTHON) -m pip install -q --disable-pip-version-check --break-system-packages $(PIP_PACKAGES); \
	fi

build:
	$(SWIFT) build

swift-test:
	@if [ -n "$$LEDGER_TEST_POSTGRES_URL" ]; then echo "== swift test (SQLite and PostgreSQL)"; else echo "== swift test (SQLite only; set LEDGER_TEST_POSTGRES_URL for PostgreSQL)"; fi
	SWIFT=$(SWIFT) scripts/swift-test.sh

e2e:
	$(PYTHON) -m pytest -q e2e

bench:
	$(SWIFT) build -c release --product ledger-bench
	$(SWIFT) build -c release --product ledger
	"$$($(SWIFT) build -c release --show-bin-path)/ledger-bench" $(ARGS)
	@# The warning rules scored against the demo's planted truth (precision and recall per rule).
	@tmp=$$(mktemp -d); bin="$$($(SWIFT) build -c release --show-bin-path)/ledger"; \
	  "$$bin" demo --no-serve --database "sqlite://$$tmp/ledger.sqlite" --truth "$$tmp/truth.json" >/dev/null && \
	  "$$bin" warnings run --database "sqlite://$$tmp/ledger.sqlite" && \
	  "$$bin" warnings score --database "sqlite://$$tmp/ledger.sqlite" --truth "$$tmp/truth.json"; \
	  status=$$?; rm -rf "$$tmp"; exit $$status
	@# The HTTP figures as peers measure them: the release server in its own process, wrk from outside.
	scripts/bench-http.sh "$$($(SWIFT) build -c release --show-bin-path)"

bench-http:
	$(SWIFT) build -c release --product ledger
	scripts/bench-http.sh "$$($(SWIFT) build -c release --show-bin-path)"

# Two release servers behind nginx over one PostgreSQL, under a mixed load (BENCH_CLUSTER_* as in the script).
bench-cluster: deps
	@command -v nginx >/dev/null || { [ "$$(id -u)" = 0 ] && { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light; } >/tmp/ledger-apt.log 2>&1; } \
	  || { echo "bench-cluster needs nginx (apt-get install nginx-light, as root)" >&2; exit 1; }
	$(SWIFT) build -c release --product ledger
	scripts/bench-cluster.sh "$$($(SWIFT) build -c release --show-bin-path)"

demo:
	$(SWIFT) run ledger demo $(ARGS)
