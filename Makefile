# Two commands set up everything on a fresh machine (Python 3.11 + make):
#   make demo   - create .venv if missing, install, run the demo on data/samples
#   make test   - create .venv if missing, install, run the test suite
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test test-fast install browser evaluate bench bench-1m clean

$(STAMP): pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# the CPU build of torch first: anything unpinned would pull a multi-GB CUDA build
	$(BIN)/python -m pip install --quiet -c constraints.txt torch==2.13.0
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev,spark,dask,minilm]"
	touch $(STAMP)

install: $(STAMP)

# Debian's Chromium for the report's browser test (skipped where it cannot be installed)
browser:
	@command -v chromium >/dev/null 2>&1 || { (apt-get update -qq && apt-get install -y -qq chromium chromium-driver fonts-noto-color-emoji >/dev/null) || echo "chromium not installed: the browser test will be skipped"; }

demo: $(STAMP)
	$(BIN)/supportinsight demo

test: $(STAMP) browser
	$(BIN)/python -m pytest -q

test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -m "not slow"

evaluate: $(STAMP)
	$(BIN)/supportinsight evaluate --task all --data-dir ../shared/data

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_speed.py
	$(BIN)/python benchmarks/bench_compare.py --against 582de96
	$(BIN)/python benchmarks/run.py
	$(BIN)/python benchmarks/bench_accurate.py --finetune 200,2000

# the full scale run: bench_speed plus a 1M-message annotate_stream (about an hour on 2 cores),
# then topic fitting against plain BERTopic
bench-1m: $(STAMP)
	$(BIN)/python benchmarks/bench_speed.py --million
	$(BIN)/python benchmarks/bench_topics.py --sizes 10000,100000

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
