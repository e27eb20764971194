# Two commands for a fresh Debian-like machine with Python 3.11+: `make run` and `make test`.
# Each creates .venv, installs what it needs (and, as root, the Debian packages Qt needs) and then does its job.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
DEMO := .demo

.PHONY: run test lint clean

run: $(VENV)/.installed-run
	@sh installer/system-deps.sh runtime window
	@sh installer/system-deps.sh --optional speech
	@sh installer/demo.sh $(PY) $(DEMO)

test: $(VENV)/.installed-test
	@sh installer/system-deps.sh runtime
	@sh installer/system-deps.sh --optional window test speech
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(PY) -m pytest

$(VENV)/.created:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Citizen Kiosk needs Python 3.11 or newer; this is " + sys.version.split()[0])'
	@$(PYTHON) -m venv $(VENV) || { echo "Could not create a virtual environment: install Python's venv module (Debian: apt-get install python3-venv)." >&2; exit 1; }
	$(PY) -m pip install --quiet --upgrade pip
	@touch $@

# After every pip install: Qt Virtual Keyboard (GPL) must not stay in the bundle (installer/drop-qt-virtual-keyboard.sh).
$(VENV)/.installed-run: $(VENV)/.created pyproject.toml installer/drop-qt-virtual-keyboard.sh
	$(PY) -m pip install --quiet -e .
	@sh installer/drop-qt-virtual-keyboard.sh $(PY)
	@touch $@

$(VENV)/.installed-test: $(VENV)/.created pyproject.toml installer/drop-qt-virtual-keyboard.sh
	$(PY) -m pip install --quiet -e '.[test]'
	@sh installer/drop-qt-virtual-keyboard.sh $(PY)
	@touch $@ $(VENV)/.installed-run

clean:
	rm -rf $(VENV) $(DEMO) test-artifacts .pytest_cache .mypy_cache .ruff_cache .import_linter_cache
