# luogen: `make generate` regenerates generated/ from spec/; `make test` runs every check.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
KERNEL_TOOLS := .cache/kernel-tools

.PHONY: all generate check-generated test lint goldens tools e2e fuzz bench clean

all: generate

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

generate: $(VENV)/.installed
	$(PY) -m luogen generate spec/*.yaml

check-generated: $(VENV)/.installed
	$(PY) -m luogen check spec/*.yaml
	$(PY) -m luogen generate --check spec/*.yaml

tools:
	bash tests/tools/setup-kernel-tools.sh $(KERNEL_TOOLS)
	bash tests/tools/install-cross-headers.sh

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check luogen tests bench
	$(VENV)/bin/mypy

test: $(VENV)/.installed tools check-generated lint
	$(PY) -m pytest -q

e2e: $(VENV)/.installed
	$(PY) tests/kmod/run_e2e.py

fuzz: $(VENV)/.installed tools
	LUOGEN_EXAMPLES=20000 $(PY) -m pytest -q tests/test_properties.py tests/test_python_properties.py \
		tests/test_robustness.py

bench: $(VENV)/.installed
	$(PY) bench/run.py --out bench/results.md

goldens: $(VENV)/.installed
	LUOGEN_OVERWRITE_EXPECTED=1 $(PY) -m pytest -q tests/test_golden.py tests/test_errors.py

clean:
	rm -rf $(VENV) .cache build *.egg-info
