"""The site's page templates compiled once, and kept beside Sphinx's environment for the next build.

Jinja compiles each of the thirty-odd templates the theme uses in every run: a quarter of a second of
each rebuild, even one that writes a single page. Its bytecode cache finds a template by its name and
the checksum of its source, so an edited template is compiled again.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import FileSystemBytecodeCache


def keep_compiled_templates(app) -> None:
    templates = getattr(app.builder, "templates", None)
    if templates is None:  # a builder without page templates (LaTeX, doctest)
        return
    folder = Path(app.doctreedir) / "templates"
    folder.mkdir(parents=True, exist_ok=True)
    templates.environment.bytecode_cache = FileSystemBytecodeCache(str(folder))
