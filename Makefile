# Convenience targets; the README's Quick start needs only bash.
SPHINX = .venv/bin/sphinx-build -W --keep-going -n -c .
# Empties a Sphinx output directory when something Sphinx does not track changed (see nkreport/buildstate.py).
REFRESH = PYTHONPATH=scripts .venv/bin/python -m nkreport.buildstate

.PHONY: build test html pdf doctest preview bench clean

build:
	bash scripts/build

test:
	bash scripts/test

html:
	$(REFRESH) _build/work
	$(SPHINX) -b html report _build/work/html

doctest:
	$(REFRESH) _build/work
	$(SPHINX) -b doctest report _build/work/doctest

pdf:
	$(REFRESH) _build/work
	$(SPHINX) -b latex report _build/work/latex
	$(MAKE) -C _build/work/latex all-pdf

# Live preview; generated charts are ignored so that drawing them does not trigger another rebuild.
preview:
	.venv/bin/sphinx-autobuild -c . --ignore "*/_generated/*" --watch data --watch references.bib --watch scripts/nkreport \
		--pre-build "env $(REFRESH) _build/preview" report _build/preview

bench:
	.venv/bin/python scripts/bench.py

clean:
	rm -rf _build report/_generated
