# Convenience targets; the README's Quick start needs only bash.
SPHINX = .venv/bin/sphinx-build -W --keep-going -n -c .

.PHONY: build test html pdf doctest preview bench clean

build:
	bash scripts/build

test:
	bash scripts/test

html:
	$(SPHINX) -b html report _build/work/html

doctest:
	$(SPHINX) -b doctest report _build/work/doctest

pdf:
	$(SPHINX) -b latex report _build/work/latex
	$(MAKE) -C _build/work/latex all-pdf

# Live preview; generated charts are ignored so that drawing them does not trigger another rebuild.
preview:
	.venv/bin/sphinx-autobuild -c . --ignore "*/_generated/*" --watch data --watch references.bib --watch scripts/nkreport report _build/preview

bench:
	.venv/bin/python scripts/bench.py

clean:
	rm -rf _build report/_generated
