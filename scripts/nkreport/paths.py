"""Where the project's inputs live, relative to the repository root."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE_DIR = ROOT / "scripts" / "nkreport"
CHART_DIR = PACKAGE_DIR / "charts"
DATA_DIR = ROOT / "data"
BIBLIOGRAPHY = ROOT / "references.bib"
REPORT_DIR = ROOT / "report"
ARCHIVE = ROOT.parent / "shared" / "sources" / "emigration-archive.txt"
