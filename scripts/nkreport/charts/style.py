"""The house style shared by every chart, and the colours that carry meaning.

Mark colours are the Okabe-Ito hues that keep at least 3:1 contrast against
white (WCAG 1.4.11), so marks stay distinct for colour-blind readers and
visible in greyscale print.  Okabe-Ito orange and sky blue fall below 3:1, so
they only fill areas that also carry a dark edge or a label; yellow is not
used at all.  Text is near-black.

Importing it does not import matplotlib: its functions do, when a chart is
drawn, so that a build reads each chart's rows and words without it.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

STYLE = Path(__file__).with_name("house.mplstyle")

BLUE = "#0072B2"
VERMILLION = "#D55E00"
GREEN = "#009E73"
PURPLE = "#CC79A7"
BLACK = "#000000"
MARK_COLOURS = (BLUE, VERMILLION, GREEN, PURPLE, BLACK)

INK = "#222222"
SHADE = "#E4E4E4"
SKY = "#56B4E9"
ORANGE = "#E69F00"

# The smallest text on a chart: 11 pt reads at 11 CSS px in a 375 px phone's column.
NOTE_SIZE = 11
# The takeaway above the chart and the credit below it; characters per line at the drawn width.
TITLE_SIZE = 12.5
CREDIT_SIZE = NOTE_SIZE
TITLE_CHARACTERS = 40
CREDIT_CHARACTERS = 50

# No timestamps or versions in the files: the same rows give the same bytes.
_METADATA = {"svg": {"Date": None}, "pdf": {"CreationDate": None, "ModDate": None}, "png": {"Software": None}}


@cache
def find_house_font() -> None:
    """Make the style's font family findable, or stop with what to install.

    Matplotlib caches the list of system fonts when it first runs: a font installed since
    (scripts/setup.sh installs fonts-texgyre) is missing from that list, and matplotlib would
    draw every chart in its fallback font with no more than a log message.
    """
    from matplotlib import font_manager, rc_params_from_file

    family = rc_params_from_file(STYLE, use_default_template=False)["font.family"][0]
    wanted = font_manager.FontProperties(family=family)
    try:
        font_manager.findfont(wanted, fallback_to_default=False)
        return
    except ValueError:
        pass
    for path in font_manager.findSystemFonts():
        if font_manager.get_font(path).family_name == family:
            font_manager.fontManager.addfont(path)
    try:
        font_manager.findfont(wanted, fallback_to_default=False, rebuild_if_missing=False)
    except ValueError:
        lines = STYLE.read_text(encoding="utf-8").splitlines()
        line = next(n for n, text in enumerate(lines, 1) if text.startswith("font.family:"))
        raise RuntimeError(
            f"{STYLE}:{line}: font.family: {family!r} is not installed: expected Debian's fonts-texgyre "
            "(bash scripts/build installs it)"
        ) from None


@contextmanager
def house_style() -> Iterator[None]:
    """Apply the house style to the figures built inside the block."""
    import matplotlib.style

    find_house_font()
    with matplotlib.style.context(STYLE):
        yield


def save(fig, target, format: str | None = None) -> None:
    """Write ``fig`` to a path or binary file, reproducibly.

    ``svg.hashsalt``, ``svg.fonttype`` and ``savefig.*`` are read when the
    file is written, not when the figure is built, so saving outside
    :func:`house_style` gives SVGs with random ids.
    """
    format = format or Path(target).suffix.lstrip(".")
    with house_style():
        fig.savefig(target, format=format, metadata=_METADATA.get(format, {}))


def frame(fig, title: str, credit: str):
    """Set the chart's takeaway above it and its credit line below it, inside the image.

    A screenshot of the chart then keeps what it shows, its source, the data
    version and the report's address.  The chart is laid out at the size it was
    drawn at, then the figure grows by the height of the two texts, every axes
    and legend keeping its place and size.
    """
    import matplotlib

    with house_style():
        title = textwrap.fill(title, TITLE_CHARACTERS, break_long_words=False)
        credit = "\n".join(textwrap.fill(line, CREDIT_CHARACTERS, break_long_words=False, break_on_hyphens=False)
                           for line in credit.splitlines())
        lead = matplotlib.rcParams["font.size"] * 0.5 / 72  # inches between the texts and the chart
        above = (title.count("\n") + 1) * TITLE_SIZE * 1.25 / 72 + lead
        below = (credit.count("\n") + 1) * CREDIT_SIZE * 1.25 / 72 + lead
        fig.get_layout_engine().execute(fig)  # the chart's own layout, at its drawn size (no drawing)
        # From here the layout is fixed: no engine at all ("none" keeps a placeholder, for which savefig
        # draws the whole figure once more before drawing it to the file; a fifth of a chart's time).
        with matplotlib.rc_context({"figure.constrained_layout.use": False}):
            fig.set_layout_engine(None)
        width, height = fig.get_size_inches()
        total = height + above + below
        fig.set_size_inches(width, total)
        for ax in fig.axes:
            x, y, w, h = ax.get_position().bounds
            ax.set_position([x, (y * height + below) / total, w, h * height / total])
        chart = (0, below / total, 1, height / total)
        for legend in fig.legends:  # placed against the chart's own frame, as it was laid out
            legend.set_bbox_to_anchor(chart, transform=fig.transFigure)
        margin = 0.1 / width  # the edge padding the layout leaves, in figure fraction
        fig.text(margin, 1 - 0.04 / total, title, ha="left", va="top", fontsize=TITLE_SIZE, fontweight="bold",
                 color=INK, linespacing=1.25)
        fig.text(margin, 0.04 / total, credit, ha="left", va="bottom", fontsize=CREDIT_SIZE, color=INK,
                 linespacing=1.25)
    return fig
