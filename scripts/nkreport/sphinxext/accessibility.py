"""Bibliography entries as plain list items for assistive technology.

docutils marks each entry ``role="doc-biblioentry"`` inside ``role="list"``;
ARIA has deprecated that role, and axe-core reports the list as missing its
required ``listitem`` children (a critical violation).
"""

from docutils import nodes


def visit_citation(self, node: nodes.citation) -> None:
    type(self).visit_citation(self, node)
    self.body[-1] = self.body[-1].replace('role="doc-biblioentry"', 'role="listitem"')


def depart_citation(self, node: nodes.citation) -> None:
    type(self).depart_citation(self, node)
