# Convenience targets; the README's Quick start needs only bash.
# Every command runs through scripts/run: the environment named by NKREPORT_VENV
# (or .venv) and this checkout's code and data.
RUN = scripts/run
SPHINX = $(RUN) sphinx-build -W --keep-going -n -c .
# Empties a Sphinx output directory when something Sphinx does not track changed (see nkreport/buildstate.py).
REFRESH = $(RUN) python -m nkreport.buildstate

PORT ?= 8000

.PHONY: build test validate check update html pdf doctest preview bench clean

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

html: validate
	$(REFRESH) _build/work
	$(SPHINX) -b html report _build/work/html

doctest: validate
	$(REFRESH) _build/work
	$(SPHINX) -b doctest report _build/work/doctest

pdf: validate
	$(REFRESH) _build/work
	$(SPHINX) -b latex report _build/work/latex
	$(MAKE) -C _build/work/latex all-pdf

# Live preview on http://127.0.0.1:$(PORT), warnings as errors as in the build: invalid data, a
# broken reference or (after each good build) a failing claim is reported in its log. Generated
# charts are ignored so that drawing them does not trigger another rebuild.
preview:
	$(RUN) sphinx-autobuild --port $(PORT) -c . -W -n --ignore "*/_generated/*" \
		--watch data --watch references.bib --watch scripts/nkreport \
		--pre-build "python -m nkreport.buildstate _build/preview" \
		--post-build "python -m sphinx -q -W -n -c . -b doctest report _build/work/doctest" \
		report _build/preview

bench:
	$(RUN) python scripts/bench.py

clean:
	rm -rf _build report/_generated
