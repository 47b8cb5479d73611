"""Sphinx configuration: build with ``sphinx-build -c . report _build/html``."""

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).parent
# This checkout's code, whichever checkout the environment was installed from.
sys.path.insert(0, str(ROOT / "scripts"))

from nkreport.builddate import source_date_epoch  # noqa: E402
from nkreport.citation import published_address  # noqa: E402
from nkreport.project import Project  # noqa: E402

# The checkout the report is built from: its data, bibliography and chapters.
nkreport_project = Project(ROOT)

# Reproducible builds: the date is SOURCE_DATE_EPOCH or the data's own, never the clock or git.
epoch = source_date_epoch(nkreport_project.data_dir)
if epoch:
    os.environ["SOURCE_DATE_EPOCH"] = epoch
build_year = time.gmtime(int(epoch) if epoch else None).tm_year

project = "North Korean Emigration: A Living Report"
author = "The report's contributors"
copyright = f"{build_year}, {author}"
language = "en"
root_doc = "index"

extensions = [
    "myst_parser",
    "sphinx.ext.doctest",
    "sphinxcontrib.bibtex",
    "nkreport.sphinxext",
    # Page descriptions and Open Graph tags for link previews, from each page's own text (sphinxext.opengraph).
    "nkreport.sphinxext.linkpreviews",
]

nitpicky = True
numfig = True
numfig_format = {"figure": "Figure %s", "table": "Table %s"}
numfig_secnum_depth = 0  # figures and tables 1-N through the PDF too, as on the site (not 2.1 by chapter)

myst_enable_extensions = ["colon_fence", "substitution", "deflist"]
myst_heading_anchors = 3
# No rule before a chapter's footnotes: in the PDF the footnotes are at the foot of their pages, and the
# rule, left alone at the chapter's end, could take a page of its own.
myst_footnote_transition = False

bibtex_bibfiles = ["references.bib"]
bibtex_reference_style = "report"
bibtex_default_style = "report"

doctest_global_setup = f"from nkreport.doctests import *\nds, fig = dataset({str(ROOT)!r})"
doctest_test_doctest_blocks = ""

# The report's address, as the host publishing it gives it (Read the Docs, the Pages workflow, NKREPORT_BASE_URL);
# "" for a copy built elsewhere. The cite page, the PDF's title page and link previews use it.
html_baseurl = published_address()
html_theme = "sphinx_book_theme"
html_title = "North Korean Emigration: A Living Report"
html_static_path = ["report/_static"]
templates_path = ["report/_templates"]
# Stated as the theme and Sphinx would set them: values they change during a build differ from the
# next run's, and every rebuild reported "The configuration has changed" (see nkreport.sphinxext.themeconfig).
html_css_files = [("report.css", {"priority": 800})]
html_permalinks_icon = "#"
html_sourcelink_suffix = ""
html_last_updated_fmt = None
html_favicon = "report/_static/favicon.svg"
html_use_index = False  # no index entries: the general index page would be empty
html_context = {
    "default_mode": "light",  # no stored mode on a first visit: start light, not blank
    "pdf_file": "nk-emigration.pdf",  # published beside the pages by scripts/build (pdf-link.html)
}
# The theme's sidebar, then a link to the PDF edition on every page.
html_sidebars = {
    "**": ["navbar-logo.html", "icon-links.html", "search-button-field.html", "sbt-sidebar-nav.html", "pdf-link.html"]
}
html_theme_options = {
    "show_toc_level": 2,
    "use_download_button": False,
    "use_fullscreen_button": False,
    "navbar_persistent": ["search-button-field"],
    "icon_links": [],
    "logo": {},
}

# Per-page social-card metadata without network or images: the description is the page's opening text.
# No generated card images (a matplotlib drawing per page, and they need the site's absolute address).
ogp_social_cards = {"enable": False}
ogp_site_url = html_baseurl
ogp_custom_meta_tags = ['<meta name="twitter:card" content="summary">']

latex_engine = "pdflatex"
latex_documents = [("index", html_context["pdf_file"].replace(".pdf", ".tex"), project, author, "manual")]
latex_elements = {
    "papersize": "a4paper",
    "pointsize": "11pt",
    "figure_align": "htbp",
    "releasename": "Data version",
    # One type family for text and charts (house.mplstyle draws with the same TeX Gyre Heros);
    # TeX Gyre Cursor only for the file and column names a reader types; ko.TeX sets the Korean the data
    # quotes in Nanum Gothic, a sans serif beside Heros (which has the tilde operator Nanum Gothic lacks).
    "fontpkg": r"\usepackage{tgheros}\usepackage{tgcursor}"
    r"\renewcommand{\familydefault}{\sfdefault}\renewcommand{\rmdefault}{qhv}"
    r"\usepackage{kotex}\DeclareUnicodeCharacter{223C}{\textasciitilde}",
    "fncychap": "",
    # No blank pages: chapters start on the next page, left or right.
    "extraclassoptions": "openany,oneside",
    # The title page (with the data version and date) is set by nkreport.sphinxext.latex.
    "preamble": r"""
% Citations in figure captions are links inside a moving argument.
\usepackage{etoolbox}\AtBeginDocument{\robustify\hyperlink}
% The report's Bibliography chapter holds the list: no second heading or contents entry.
\renewenvironment{sphinxthebibliography}[1]
  {\begingroup\renewcommand{\chapter}[2]{}\begin{thebibliography}{#1}}
  {\end{thebibliography}\endgroup}
% The report's page design: numbers, tables, captions, title page.
\usepackage{nkreport}
""",
}
latex_additional_files = ["report/_latex/nkreport.sty"]
latex_show_urls = "no"
