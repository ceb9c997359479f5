# The two commands of the README, and what they need. Each creates .venv and installs the project on first use.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
ARGS ?=

.PHONY: train test notebooks readme export clean-nbs pretrained dist docs check-docs check-repo

$(VENV)/.installed: pyproject.toml
	test -x $(VENV)/bin/python || $(PY) -m venv $(VENV)
	$(VENV)/bin/pip install -q -e ".[dev]"
	touch $@

## The main job: train the default CNN on EMNIST Balanced, evaluate on its test set (EMNIST_DATA: where the data is)
train: $(VENV)/.installed
	$(VENV)/bin/emnist-train $(ARGS)

## The tests: every notebook, fast cells only (cells flagged slow or cuda are skipped), then a summary line
test: $(VENV)/.installed
	@set -o pipefail; $(VENV)/bin/nbdev-test --do-print --timing 2>&1 | tee .nbdev-test.log; rc=$$?; \
	total=$$(grep -c '^Starting ' .nbdev-test.log); failed=$$(grep -cP '^\t\S+\.ipynb$$' .nbdev-test.log); \
	rm -f .nbdev-test.log; echo "$$((total-failed)) passed, $$failed failed"; exit $$rc

## The same fast path run as a reader runs it: each notebook top to bottom in a fresh Jupyter kernel (nbclient), never
## written back; NBS="nbs/course/02_dataloaders.ipynb ..." for a subset
NBS ?=
notebooks: $(VENV)/.installed
	$(VENV)/bin/python tools/run_notebooks.py $(NBS)

readme: $(VENV)/.installed
	$(VENV)/bin/python tools/build_readme.py nbs/index.ipynb README.md

export: $(VENV)/.installed
	$(VENV)/bin/nbdev-export && $(VENV)/bin/nbdev-clean
	$(VENV)/bin/python -c "from emnist_nb.cli import write_cli_spec; write_cli_spec()"

## The bundled model: train it with emnist-train (unless PRETRAINED_RUN already holds one) and copy it into the package.
## The recipe is make train's default with one logit offset per class, chosen for equally likely classes in nbs/course/34_best.ipynb (tools/bundle_candidates.py; about 30 minutes on 2 CPU cores).
PRETRAINED_ARGS ?= --class-bias
PRETRAINED_RUN ?= runs/pretrained
pretrained: $(VENV)/.installed
	test -f $(PRETRAINED_RUN)/model.safetensors || $(VENV)/bin/emnist-train $(PRETRAINED_ARGS) --out $(PRETRAINED_RUN)
	$(VENV)/bin/python -c "from emnist_nb.infer import bundle_model; print('bundled in', bundle_model('$(PRETRAINED_RUN)'))"

## The package: sdist and wheel in dist/, with the committed bundled model and EMNIST sample
dist: $(VENV)/.installed
	rm -rf dist build && $(VENV)/bin/python -m build

## The documentation site, built offline from the notebooks' committed outputs (nbdev's processing, then MkDocs): _site/.
## Needs Node.js and npm: `npm ci` installs onnxruntime-web, pinned by package-lock.json, for the Draw a character page
docs: $(VENV)/.installed
	$(VENV)/bin/python tools/build_docs.py _site

## The page's JavaScript against the package's Python (npm test: web/*.test.mjs); then _site in headless Chromium
## (Debian's chromium): every page, link, anchor and image, console errors, search; the Draw a character page drawn on
## with the mouse and a finger and given picture files (tools/check_draw.py); screenshots in _site_check/
check-docs: $(VENV)/.installed
	PYTHON=$(VENV)/bin/python npm test
	$(VENV)/bin/python tools/check_site.py _site _site_check
	$(VENV)/bin/python tools/check_draw.py _site _site_check

## The repository's own files, offline: the GitHub workflows (actionlint), CITATION.cff (cffconvert), the versions in
## CITATION.cff and CHANGELOG.md, the pre-commit config, the shell scripts' syntax (tools/check_repo.sh)
check-repo: $(VENV)/.installed
	bash tools/check_repo.sh
