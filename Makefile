# Convenience targets; the README's Quick start needs only bash.
# Every command runs through scripts/run: the environment named by NKREPORT_VENV
# (or .venv) and this checkout's code and data.
RUN = scripts/run
SPHINX = $(RUN) sphinx-build -W --keep-going -n -c .

.PHONY: build test validate html pdf doctest preview bench clean

build:
	bash scripts/build

test:
	bash scripts/test

validate:
	$(RUN) python -m nkreport validate

html: validate
	$(SPHINX) -b html report _build/work/html

doctest: validate
	$(SPHINX) -b doctest report _build/work/doctest

pdf: validate
	$(SPHINX) -b latex report _build/work/latex
	$(MAKE) -C _build/work/latex all-pdf

# Live preview; generated charts are ignored so that drawing them does not trigger another rebuild.
preview:
	$(RUN) sphinx-autobuild -c . --ignore "*/_generated/*" --watch data --watch references.bib --watch scripts/nkreport report _build/preview

bench:
	$(RUN) python scripts/bench.py

clean:
	rm -rf _build report/_generated
