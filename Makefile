# The course's two set-up commands:  make lab   and   make test
# Both create .venv when it is missing and (re)install only when pyproject.toml changed.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# jupyter refuses to run as root unless told to (containers, CI)
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
PYTEST_NBVAL := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg

# The same numbers on every x86-64 machine: OpenBLAS and numpy use their AVX2 code even where
# AVX-512 exists (dlcourse.course.REPRODUCIBLE_ENV explains; tests/test_package.py checks that
# these values are the same). Kernels started by make lab, make test and make build inherit them.
ifeq ($(shell uname -m),x86_64)
export OPENBLAS_CORETYPE := Haswell
export NPY_DISABLE_CPU_FEATURES := X86_V4 AVX512F AVX512CD AVX512_SKX AVX512_CLX AVX512_CNL AVX512_ICL AVX512_SPR
endif

# make lab LANG=ja opens the Japanese edition. Only a LANG given on make's command line counts
# (a shell's LANG=ja_JP.UTF-8 does not), and the kernels then get a valid locale, not "ja".
LAB_NOTEBOOK := notebooks/00_using_this_course.ipynb
ifeq ($(origin LANG)$(LANG),command lineja)
LAB_NOTEBOOK := ja/notebooks/00_using_this_course.ipynb
override LANG := C.UTF-8
endif

.PHONY: lab test install install-test build benchmark playground clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

## make lab: install the course and open chapter 00 in JupyterLab (make lab LANG=ja: the Japanese edition)
lab: $(VENV)/.installed
	$(BIN)/jupyter lab $(ROOT_FLAG) --ServerApp.root_dir="$(CURDIR)" $(LAB_ARGS) $(LAB_NOTEBOOK)

## make test: install with the test extra and run every test, nbval over notebooks/, solutions/ and
## the Japanese edition's included. One worker per core; --dist loadscope keeps each notebook (and
## each test module's fixtures) on one worker.
PYTEST_JOBS ?= auto
test: $(VENV)/.installed-test
	$(BIN)/python -m pytest -n $(PYTEST_JOBS) --dist loadscope tests/ notebooks/ solutions/ ja/notebooks/ ja/solutions/ $(PYTEST_NBVAL)

## make playground: the chapter 05 Playground as a standalone web page (Voilà), no notebook around it
playground: $(VENV)/.installed-test
	$(BIN)/voila apps/playground.ipynb $(VOILA_ARGS)

## make build: re-execute lessons and solutions, regenerate exercises/ (authors only)
build: $(VENV)/.installed-test
	$(BIN)/dlcourse build

## make benchmark: speed and memory targets (see benchmarks/README.md)
benchmark: $(VENV)/.installed-test
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) build .pytest_cache
