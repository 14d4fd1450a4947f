# The one way to set up, run and test hepkit. `make lab` and `make test` build .venv when it is
# missing or older than pyproject.toml / constraints.txt, then do their job.

PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
NBVAL  := --nbval --nbval-sanitize-with notebooks/sanitize.cfg --nbval-current-env
PORT   ?= 8866
# Lab as a local-first tool: no news pop-up, no update check, and an extension manager that
# does not search PyPI, so no request leaves 127.0.0.1.
# The settings go where this .venv's Lab reads its defaults (users can still change them).
LAB_SETTINGS := $(VENV)/share/jupyter/lab/settings
LAB_OPTIONS  := --ServerApp.ip=127.0.0.1 --LabApp.news_url=None \
	--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate \
	--LabApp.extension_manager=readonly

.PHONY: lab test lint unit notebooks app bench lock schema clean refresh-notebooks

$(STAMP): pyproject.toml constraints.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check \
		-c constraints.txt -e '.[lab,dev,scale]'
	@touch $(STAMP)

lab: $(STAMP) $(LAB_SETTINGS)/overrides.json  ## open JupyterLab on the notebooks
	$(BIN)/jupyter lab --notebook-dir=notebooks $(LAB_OPTIONS)

$(LAB_SETTINGS)/overrides.json: app/lab/settings/overrides.json $(STAMP)
	@mkdir -p $(@D)
	cp $< $@

test: lint unit notebooks  ## every check: lint, types, unit tests, notebooks

lint: $(STAMP)
	$(BIN)/ruff check toolkit tests benchmarks
	$(BIN)/ruff format --check toolkit tests benchmarks
	$(BIN)/mypy toolkit

unit: $(STAMP)
	$(BIN)/python -m pytest

# The notebooks run in a fresh temporary workspace ($HEPKIT_WORKSPACE), removed afterwards:
# running them never writes into the clinician's own workspace/.
notebooks: $(STAMP)
	@ws=$$(mktemp -d) && HEPKIT_WORKSPACE=$$ws $(BIN)/python -m pytest $(NBVAL) notebooks/; \
		status=$$?; rm -rf "$$ws"; exit $$status

app: $(STAMP)  ## the routine editor as a web app on http://127.0.0.1:$(PORT)
	JUPYTER_PATH=$(CURDIR)/app/jupyter $(BIN)/python -m toolkit.editor.serve --port=$(PORT) \
		--template=hepkit app/editor.ipynb

bench: $(STAMP)  ## speed figures quoted in the README
	$(BIN)/python benchmarks/run_all.py

schema: $(STAMP)  ## regenerate toolkit/data/schema/ from the models
	$(BIN)/hepkit schema

lock: $(STAMP)  ## re-pin every installed package into constraints.txt
	$(BIN)/python -m pip freeze --exclude-editable > constraints.txt

clean:
	rm -rf $(VENV)

refresh-notebooks: $(STAMP)  ## re-run every notebook and store its outputs (then review the diff)
	@ws=$$(mktemp -d) && cd notebooks && for nb in [0-9]*.ipynb; do \
		HEPKIT_WORKSPACE=$$ws $(abspath $(BIN))/jupyter nbconvert --to notebook --execute \
			--inplace --ExecutePreprocessor.store_widget_state=False "$$nb" \
			|| { rm -rf "$$ws"; exit 1; }; \
	done; rm -rf "$$ws"
	$(BIN)/python -c "import json, pathlib; \
	[p.write_text(json.dumps({**d, 'metadata': {k: v for k, v in d['metadata'].items() if k != 'widgets'}}, indent=1, ensure_ascii=False) + '\n') \
	 for p in sorted(pathlib.Path('notebooks').glob('[0-9]*.ipynb')) for d in [json.loads(p.read_text())]]"
