# Convenience targets; the README's Quick start needs only bash.
# Every command runs through scripts/run: the environment named by NKREPORT_VENV
# (or .venv) and this checkout's code and data.
RUN = scripts/run
# Sphinx with the project's flags (warnings as errors, nitpicky), as scripts/build runs it: BUILDER OUTDIR.
SPHINX = $(RUN) python -m nkreport.check
# Empties a Sphinx output directory when something Sphinx does not track changed (see nkreport/buildstate.py).
REFRESH = $(RUN) python -m nkreport.buildstate

PORT ?= 8000
# The same flags for sphinx-autobuild, which takes sphinx-build's options after its folders.
SPHINX_FLAGS = $(shell $(RUN) python -c 'from nkreport.check import SPHINX_FLAGS; print(*SPHINX_FLAGS)')

.PHONY: build test validate check update html doctest latex pdf preview bench clean

build:
	bash scripts/build

test:
	bash scripts/test

validate:
	$(RUN) python -m nkreport validate

# The writer's fast loop: make check CHAPTER=demographics (all chapters without CHAPTER).
check:
	$(RUN) python -m nkreport check $(CHAPTER)

# A release of the ministry's table of arrivals, recorded in one step (see CONTRIBUTING, "Update the data"):
# make update FILE=table.json PUBLISHED=2027-02-04 URL=https://… [COPY="OWNER/NAME PATH COMMIT"]
update:
	$(RUN) python -m nkreport update "$(FILE)" --published "$(PUBLISHED)" --url "$(URL)" $(if $(COPY),--copy $(COPY))

# One step of scripts/build, in its folders: make html, make doctest, make latex.
html doctest latex: validate
	$(REFRESH) _build/work
	$(SPHINX) $@ _build/work/$@

pdf: latex
	$(MAKE) -C _build/work/latex all-pdf

# Live preview on http://127.0.0.1:$(PORT), warnings as errors as in the build: invalid data, a
# broken reference or (after each good build) a failing claim is reported in its log. Generated
# charts are ignored so that drawing them does not trigger another rebuild.
preview:
	$(RUN) sphinx-autobuild --port $(PORT) --ignore "*/_generated/*" \
		--watch data --watch references.bib --watch scripts/nkreport \
		--pre-build "python -m nkreport.buildstate _build/preview" \
		--post-build "python -m nkreport.check doctest _build/work/doctest -q" \
		report _build/preview -c . $(SPHINX_FLAGS)

bench:
	$(RUN) python scripts/bench.py $(if $(AGAINST),--against $(AGAINST))

clean:
	rm -rf _build report/_generated
