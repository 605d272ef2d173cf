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

# Rebuild both event classifiers from the written training corpus: the TF-IDF model (seconds) and the
# fine-tuned MiniLM that ships by default (about 18 minutes on 2 cores, in its own torch venv,
# .venv-train, so that `make run` and `make test` stay torch-free). The card gets the bench figures last.
# `make train-tfidf` alone skips the fine-tune. Same machine, same pins: same weights each run
# (tools/minilm/README.md, "Reproducibility").
TRAIN_VENV  := .venv-train
TRAIN_STAMP := $(TRAIN_VENV)/.installed-stamp
EVENTS_DATA := data/training/events/train.jsonl

.PHONY: train-corpus train-tfidf train-minilm

# pip finds torch==2.13.0 (CPU build) on this machine's disk; plain PyPI would bring a CUDA build.
$(TRAIN_STAMP): tools/minilm/requirements.txt
	$(PYTHON) -m venv $(TRAIN_VENV)
	$(TRAIN_VENV)/bin/python -m pip install --quiet -r tools/minilm/requirements.txt
	touch $(TRAIN_STAMP)

train-corpus: setup
	$(PY) data/training/events/build.py

train-tfidf: train-corpus
	$(VENV)/bin/dateline train --data $(EVENTS_DATA) --out models/event-classifier.npz

# after train-tfidf: the card's comparison table measures the TF-IDF model too
train-minilm: train-tfidf $(TRAIN_STAMP)
	$(TRAIN_VENV)/bin/python tools/minilm/finetune.py --data $(EVENTS_DATA) --out models/event-minilm
	$(PY) bench/classifier.py --update-card

train: train-tfidf train-minilm

clean:
	rm -rf $(VENV) .venv-train $(DB) $(DB)-wal $(DB)-shm
