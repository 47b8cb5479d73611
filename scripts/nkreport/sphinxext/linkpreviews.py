"""Link previews: sphinxext-opengraph's page descriptions, without loading matplotlib.

The report generates no social-card images (``ogp_social_cards`` in conf.py),
yet sphinxext-opengraph imports their module, and with it matplotlib's pyplot,
whenever it is loaded: half a second or more at every Sphinx start, a no-op
build included.  Without that module it makes no cards, as configured; this
gives it that empty module rather than the message it prints when the import
fails.
"""

from __future__ import annotations

import sys
from types import ModuleType

from sphinx.application import Sphinx

CARDS_MODULE = "sphinxext.opengraph._social_cards"


def setup(app: Sphinx) -> dict:
    no_cards = ModuleType(CARDS_MODULE, "Social cards are off: nothing to draw them with.")
    no_cards.DEFAULT_SOCIAL_CONFIG = {}
    no_cards.create_social_card = None
    sys.modules.setdefault(CARDS_MODULE, no_cards)
    app.setup_extension("sphinxext.opengraph")
    return {"parallel_read_safe": True, "parallel_write_safe": True}
