# make run  : set up, ingest the example corpus into ./dateline.db, serve the UI
# make test : set up, run the whole test suite (browser tests included)
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
DB     ?= dateline.db
HOST   ?= 127.0.0.1
PORT   ?= 8000
SEED   := $(wildcard ../shared/seed/*.txt)

.PHONY: run test setup browser-deps bench train clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,scale]'
	touch $(STAMP)

setup: $(STAMP)

# Debian's chromium for the Playwright browser tests (never `playwright install`).
browser-deps:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = "0" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium missing: run 'sudo apt-get install chromium' (browser tests will be skipped)"; fi; \
	fi

run: setup
	$(VENV)/bin/dateline ingest --db $(DB) examples/corpus $(SEED)
	$(VENV)/bin/dateline stats --db $(DB)
	$(VENV)/bin/dateline serve --db $(DB) --host $(HOST) --port $(PORT)

test: setup browser-deps
	$(PY) -m pytest -q -p no:cacheprovider

bench: setup
	$(PY) bench/extraction.py

# Rebuild the event-type classifier from the written training corpus (reproducible: same weights each run).
train: setup
	$(PY) data/training/events/build.py
	$(VENV)/bin/dateline train --data data/training/events/train.jsonl --out models/event-classifier.npz
	$(PY) bench/classifier.py --update-card

clean:
	rm -rf $(VENV) $(DB) $(DB)-wal $(DB)-shm
