"""The configuration Sphinx saves equals the one the next run reads, so a rebuild reports no change.

Sphinx compares the configuration with the one it saved with the last build,
and the theme changes some values after that comparison: the ones it sets when
conf.py does not are stated in conf.py, but it adds its template folders to
``templates_path`` whatever the value, when the HTML builder loads it.  The
builder has read the folders by ``builder-inited``, so they are taken out
again there, and what Sphinx saves is what conf.py says.
"""

from __future__ import annotations

from pathlib import Path


def forget_theme_templates(app) -> None:
    theme = getattr(app.builder, "theme", None)
    if theme is None:  # a builder without a theme (LaTeX, doctest) changes nothing
        return
    added = {str(Path(folder) / "components") for folder in theme.get_theme_dirs()}
    app.config.templates_path[:] = [path for path in app.config.templates_path if str(path) not in added]
