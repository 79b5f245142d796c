# Two commands on a fresh clone with only python3:
#   make run    start the web app on the bundled catalogue
#   make test   lint, format check and the whole test suite
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test venv seed clean messages vectors

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

seed: $(STAMP)
	$(BIN)/kb init
	$(BIN)/kb import data/catalogue

run: seed
	$(BIN)/streamlit run app.py

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) var

# Extract every user-visible string into kb/locales/messages.pot and merge it into each
# language's .po (new strings arrive untranslated; see README, "Adding or reviewing a language").
messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _ -k N_ -k ngettext:1,2 --no-location --sort-output \
		--project urban-digital-kb -o kb/locales/messages.pot .
	for lang in fr es ar zh ru; do \
		if [ -f kb/locales/$$lang/LC_MESSAGES/messages.po ]; then \
			$(BIN)/pybabel update -i kb/locales/messages.pot -d kb/locales -l $$lang --no-fuzzy-matching; \
		else \
			$(BIN)/pybabel init -i kb/locales/messages.pot -d kb/locales -l $$lang; \
		fi; \
	done

# Ship the vectors of the bundled catalogue's passages (after changing data/catalogue).
vectors: $(STAMP)
	$(BIN)/python bench/vectors_seed.py
