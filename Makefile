# newscrawler: `make demo` runs a real crawl of the bundled offline demo site; `make test` runs
# every check. Both create the virtual environment (.venv) and install what they need.

VENV    := .venv
BIN     := $(VENV)/bin
PY      := $(BIN)/python
STAMP   := $(VENV)/.installed
# hazm 0.12 needs Python 3.12 or 3.13; take the first such interpreter on PATH.
PYTHON  ?= $(shell for p in python3.13 python3.12 python3 python; do \
             command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(not ((3,12) <= sys.version_info[:2] < (3,14)))' 2>/dev/null && { echo $$p; break; }; \
           done)
PYTEST_ARGS ?=
# Test processes (pytest-xdist); a module's tests stay in one process, so its servers and crawls
# are shared as written. Most tests wait on crawls and servers: 2 halve the time on 2 cores.
PYTEST_WORKERS ?= 2

.PHONY: help install bytecode demo demo-serve test test-quick lint format typecheck golden crawl extract clean bench bench-quick bench-long eval

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 14

$(STAMP): pyproject.toml
	@if [ -z "$(PYTHON)" ]; then \
	  echo "newscrawler needs Python 3.12 or 3.13 (hazm 0.12); none found on PATH. Install one, or run: make PYTHON=/path/to/python3.12" >&2; exit 1; fi
	@test -x $(PY) || { echo "creating $(VENV) with $$($(PYTHON) --version)"; $(PYTHON) -m venv $(VENV); }
	@$(PY) -c 'import sys; sys.exit(not ((3,12) <= sys.version_info[:2] < (3,14)))' || { \
	  echo "$(VENV) uses $$($(PY) --version); remove it (make clean) and retry with Python 3.12+" >&2; exit 1; }
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $(STAMP)

install: $(STAMP)  ## create .venv and install newscrawler with its test tools

# The package's bytecode, as pip writes it for a wheel: with PYTHONDONTWRITEBYTECODE=1 (set on
# many machines and container images) Python never writes __pycache__ for the editable install,
# and every crawl process compiled ~100 modules again (docs/performance.md). Up to date: ~0.1 s.
bytecode: $(STAMP)  ## write the package's bytecode (the targets below run it first)
	@$(PY) -m compileall -q newscrawler

demo: $(STAMP) bytecode  ## crawl the bundled offline demo site (127.0.0.1) and write JSONL under output/
	$(PY) -m tools.demo --output output

demo-serve: $(STAMP) bytecode  ## only serve the demo sources (Ctrl-C stops), to crawl them by hand
	$(PY) -m tools.demo --serve

test: $(STAMP) bytecode  ## every check: ruff, mypy, the whole test suite (end-to-end crawls included)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/pytest -q -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

test-quick: $(STAMP) bytecode  ## the fast subset while working (no end-to-end crawls)
	$(BIN)/pytest -q -n $(PYTEST_WORKERS) --dist loadfile -m "not e2e" $(PYTEST_ARGS)

lint: $(STAMP)  ## ruff and mypy only
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: $(STAMP)  ## rewrite code in the house style
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

golden: $(STAMP)  ## rewrite expected JSON of golden fixtures (read the diff!): make golden SITES="irna yjc"
	$(PY) -m tools.golden $(SITES)

crawl: $(STAMP) bytecode  ## crawl a real site: make crawl SITE=irna ARGS="-a province=qazvin -a max_articles=20"
	@test -n "$(SITE)" || { echo "usage: make crawl SITE=<site> [ARGS='-a ...']; sites: $$($(BIN)/scrapy list | tr '\n' ' ')" >&2; exit 2; }
	$(BIN)/scrapy crawl $(SITE) $(ARGS)

extract: $(STAMP) bytecode  ## print the article JSON of a saved page or URL: make extract PAGE=page.html
	$(PY) -m newscrawler extract $(PAGE) $(ARGS)

# make bench / make eval: extra tools (trafilatura, pyinstrument) from the "bench" extra.
BENCH_STAMP := $(VENV)/.installed-bench
N ?= 5000
SCALE ?= 1000000
LONG ?= 25000

$(BENCH_STAMP): $(STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[bench]'
	@touch $(BENCH_STAMP)

bench: $(BENCH_STAMP) bytecode  ## crawl cost vs bare Scrapy, a Scrapy+trafilatura peer and one core; goals; state and syndication index at SCALE → output/bench/: make bench [N=5000] [SCALE=1000000 (0 skips)] [ARGS="--runs 3" | ARGS=--quick]
	$(PY) -m tools.bench $(if $(filter --quick,$(ARGS)),,--n $(N) --scale $(SCALE)) $(ARGS)

bench-quick: $(BENCH_STAMP)  ## every bench row in under a minute (one source, N=200, indicative figures), for pull requests
	$(PY) -m tools.bench --quick $(ARGS)

bench-long: $(BENCH_STAMP)  ## RSS of one source's long crawl at 10/50/100 %: make bench-long [LONG=25000] (several minutes)
	$(PY) -m tools.bench --long $(LONG) $(ARGS)

eval: $(BENCH_STAMP)  ## extraction quality per site and CMS vs trafilatura → output/eval/: make eval [EXTRA=dir]
	$(PY) -m tools.eval $(if $(EXTRA),--extra $(EXTRA)) $(ARGS)

clean:  ## remove the virtual environment and caches (output/ is kept)
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache *.egg-info
	find newscrawler tools tests -type d -name __pycache__ -prune -exec rm -rf {} +
