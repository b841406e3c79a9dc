# luogen: `make generate` regenerates generated/ from spec/; `make test` runs every check.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
KERNEL_TOOLS := .cache/kernel-tools
TEST_PACKAGES := gcc g++ make git linux-libc-dev abigail-tools busybox-static

.PHONY: all generate check-generated test lint goldens tools e2e fuzz bench corpus clean

all: generate

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

# spec/imported/: specs `luogen import` wrote from real installed headers (see README).
SPECS := spec/*.yaml spec/imported/*.yaml

generate: $(VENV)/.installed
	$(PY) -m luogen generate $(SPECS)

check-generated: $(VENV)/.installed
	$(PY) -m luogen check $(SPECS)
	$(PY) -m luogen generate --check $(SPECS)

# Everything the tests use, installed when missing (root, or sudo): the compilers, git, abidiff
# and busybox here; the kernel's checkers, the cross headers and compilers, and the e2e run's
# qemu, kernel headers and kernel image through their scripts. Quiet unless something fails.
tools:
	bash tests/tools/apt-install.sh "the test tools" $(TEST_PACKAGES)
	bash tests/tools/setup-kernel-tools.sh $(KERNEL_TOOLS)
	bash tests/tools/install-cross-headers.sh
	$(PYTHON) tests/e2e/harness.py --setup-only

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check luogen tests bench
	$(VENV)/bin/ruff format --check luogen tests bench
	$(VENV)/bin/mypy

test: $(VENV)/.installed tools check-generated lint
	$(PY) -m pytest -q

# The whole e2e run, line by line, then its negative controls (each must fail as planted).
e2e: $(VENV)/.installed
	$(PY) tests/kmod/run_e2e.py
	$(PY) -m pytest -q tests/kmod/test_negative_controls.py

fuzz: $(VENV)/.installed tools
	LUOGEN_EXAMPLES=20000 $(PY) -m pytest -q tests/test_properties.py tests/test_python_properties.py \
		tests/test_robustness.py

bench: $(VENV)/.installed
	$(PY) bench/run.py --out bench/results.md

# luogen import of every installed uapi header that defines ioctls, generated and checked on the
# 16 architectures: the report (the figure, the reasons, the timings) is bench/roundtrip.md.
corpus: $(VENV)/.installed
	$(PY) bench/roundtrip.py --out bench/roundtrip.md

goldens: $(VENV)/.installed
	LUOGEN_OVERWRITE_EXPECTED=1 $(PY) -m pytest -q tests/test_golden.py tests/test_errors.py

clean:
	rm -rf $(VENV) .cache build *.egg-info
