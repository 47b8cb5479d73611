"""Author-year labels that stay unambiguous: "Yonhap News Agency 2013a".

sphinxcontrib-bibtex's author-year references give two Yonhap reports of
2013 the same text; pybtex's alpha label style already appends a, b, c to
clashing labels, so only the label itself needs redefining.  Citations are
made from the same label: "[Yonhap News Agency 2013b]" in parentheses, and
"Yonhap News Agency (2013b)" in a sentence, the author named once.
"""

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from pybtex.richtext import Text
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.labels.alpha import LabelStyle as AlphaLabelStyle
from pybtex.style.sorting.author_year_title import SortingStyle
from pybtex.style.template import field, href, words
from sphinxcontrib.bibtex.style.referencing import BracketStyle, GroupReferenceStyle
from sphinxcontrib.bibtex.style.referencing.basic_label import (
    BasicLabelParentheticalReferenceStyle,
    BasicLabelTextualReferenceStyle,
)
from sphinxcontrib.bibtex.style.referencing.extra_author import ExtraAuthorReferenceStyle
from sphinxcontrib.bibtex.style.referencing.extra_empty import ExtraEmptyReferenceStyle
from sphinxcontrib.bibtex.style.referencing.extra_label import ExtraLabelReferenceStyle
from sphinxcontrib.bibtex.style.referencing.extra_year import ExtraYearReferenceStyle
from sphinxcontrib.bibtex.style.template import join, join2, node, post_text, pre_text, reference

from . import bibcache


class AuthorYearLabelStyle(AlphaLabelStyle):
    def format_label(self, entry):
        people = entry.persons.get("author", [])
        if people:
            person = people[0]
            name = " ".join(person.last_names)
            if len(people) > 1:
                name += " et al."
        else:
            name = entry.fields.get("organization", entry.fields.get("journal", "Anon."))
        return f"{name.replace('{', '').replace('}', '')} {entry.fields.get('year', 'n.d.')}"


class AuthorYearSortingStyle(SortingStyle):
    def person_key(self, person):
        # "{Yonhap News Agency}" sorts under Y, not after every personal name.
        return super().person_key(person).replace("{", "").replace("}", "")


SHORT_ADDRESS = 40  # characters: a third of a printed line, so that an address wraps with the words around it


def short_address(url: str) -> str:
    """A web address as a reader can read it: its host and the start of its path, never percent-encoded
    ("news.zum.com/articles/103516446/…"); a copy on a mirror by the original's address. The link keeps
    the whole address.

    >>> short_address("https://mdsite.deno.dev/http://www.nkhiddengulag.org/1/post/2021/08/why-so-low.html")
    'nkhiddengulag.org/1/post/2021/08/…'
    >>> short_address("https://m.ajunews.com/view/20131002000130")
    'm.ajunews.com/view/20131002000130'
    """
    parts = urlsplit(url)
    mirrored = re.fullmatch(r"/(https?://.+)", parts.path)
    if mirrored:
        parts = urlsplit(mirrored[1] + (f"?{parts.query}" if parts.query else ""))
    shown = parts.netloc.removeprefix("www.")
    for segment in filter(None, parts.path.split("/")):
        if "%" in segment or len(shown) + 1 + len(segment) > SHORT_ADDRESS:
            return f"{shown}/\u2026"
        shown += f"/{segment}"
    return f"{shown}?\u2026" if parts.query or parts.fragment else shown


class ReportStyle(UnsrtStyle):
    default_label_style = AuthorYearLabelStyle
    default_sorting_style = AuthorYearSortingStyle

    def format_entry(self, label, entry, bib_data=None):
        """As unsrt formats it, once per label and entry (:mod:`.bibcache`); cross-references unkept."""
        if bib_data is not None:
            return super().format_entry(label, entry, bib_data)
        return bibcache.formatted(label, entry, lambda: super(ReportStyle, self).format_entry(label, entry))

    def format_url(self, e):
        """The address shortened for reading (:func:`short_address`), linked in full."""
        url = field("url", raw=True)
        return words["URL:", href(url)[field("url", raw=True, apply_func=short_address)]]


def _label_parts(data) -> tuple[str, str]:
    """The entry's label as its author and its year with the clash suffix: ("Yonhap News Agency", "2013b")."""
    author, _, year = data["formatted_entry"].label.rpartition(" ")
    return author, year


@node
def label_author(children, data):
    assert not children
    return Text(_label_parts(data)[0])


@node
def label_year(children, data):
    assert not children
    return Text(_label_parts(data)[1])


@dataclass
class LabelYearTextualReferenceStyle(BasicLabelTextualReferenceStyle):
    """``{cite:t}``: the label's author, then its year in brackets as the link."""

    def inner(self, role_name: str):
        return join(sep=self.text_reference_sep)[
            label_author,
            join[
                self.bracket.left,
                join2(sep1=self.pre_text_sep, sep2=self.post_text_sep)[pre_text, reference[label_year], post_text],
                self.bracket.right,
            ],
        ]


@dataclass
class ReportReferenceStyle(GroupReferenceStyle):
    """sphinxcontrib-bibtex's label style, but textual citations read author-year, as in QuantEcon's lectures."""

    def __post_init__(self):
        self.styles.extend([
            BasicLabelParentheticalReferenceStyle(),
            LabelYearTextualReferenceStyle(bracket=BracketStyle(left="(", right=")")),
            ExtraAuthorReferenceStyle(),
            ExtraLabelReferenceStyle(),
            ExtraYearReferenceStyle(),
            ExtraEmptyReferenceStyle(),
        ])
        super().__post_init__()
