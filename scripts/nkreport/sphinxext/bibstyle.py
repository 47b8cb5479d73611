"""Author-year labels that stay unambiguous: "Yonhap News Agency 2013a".

sphinxcontrib-bibtex's author-year references give two Yonhap reports of
2013 the same text; pybtex's alpha label style already appends a, b, c to
clashing labels, so only the label itself needs redefining.
"""

from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.labels.alpha import LabelStyle as AlphaLabelStyle
from pybtex.style.sorting.author_year_title import SortingStyle


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


class ReportStyle(UnsrtStyle):
    default_label_style = AuthorYearLabelStyle
    default_sorting_style = AuthorYearSortingStyle
