# conference-reports: `make report` builds everything from a fresh clone; `make test` runs the suite.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO   := output/demo.sqlite3
JOBS   ?=

.PHONY: install bytecode demo report test lint check-notebooks browser bench clean lab

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -e '.[dev]'
	$(BIN)/python -m ipykernel install --sys-prefix --name conference-reports --display-name "conference-reports" >/dev/null
	touch $@

# The package's bytecode, as pip writes it for installed packages: an editable install gets none where
# PYTHONDONTWRITEBYTECODE is set, and every process (each report's kernel too) would compile the source.
bytecode: $(STAMP)
	@$(BIN)/python -m compileall -q lib

demo: $(DEMO)

$(DEMO): | $(STAMP)
	mkdir -p output
	$(BIN)/conference-reports demo-db $(DEMO)

report: $(STAMP) bytecode $(DEMO)
	$(BIN)/conference-reports run --db $(DEMO) --out output $(if $(JOBS),--jobs $(JOBS))
	@echo "open output/index.html"

lint: $(STAMP)
	$(BIN)/ruff check lib tests benchmarks tools

# JupyterLab on copies of the notebooks in lab/ (git-ignored; a copy already there is kept, edits and all).
lab: $(STAMP)
	$(BIN)/python tools/lab_workspace.py notebooks lab
	$(BIN)/jupyter lab --ServerApp.root_dir=lab --MappingKernelManager.default_kernel_name=conference-reports

check-notebooks:
	$(BIN)/python tools/check_notebooks.py notebooks

# Headless Chromium and pdftotext for the browser tests (Debian packages; needs root, as on CI).
browser:
	@{ command -v chromium && command -v pdftotext; } >/dev/null 2>&1 || \
	  { apt-get update -qq && apt-get install -y -qq chromium poppler-utils >/dev/null; }

test: $(STAMP) bytecode lint check-notebooks browser
	$(BIN)/python -m pytest -q

# Metrics, a report, whole runs and memory at demo scales 1, 10 and 100 (databases cached in output/bench/);
# prints a table and writes benchmarks/results.json.
bench: $(STAMP) bytecode
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf output .pytest_cache .ruff_cache
