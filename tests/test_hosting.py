"""Hosting configuration, run locally: Read the Docs (.readthedocs.yaml) and GitHub Pages
(.github/workflows/pages.yml) build with the README's build command and publish what it builds.

What runs here: the build command both configurations use (``bash scripts/build``, asserted to be the
README's), as the session's shared build of a copy of the project, then every other command of
.readthedocs.yaml in that copy with READTHEDOCS_OUTPUT set to a temporary folder. What is only
compared, not run: the Debian packages each configuration installs (it needs root and a network) must
be the ones scripts/setup.sh needs for a build; the Pages upload step is an action, so the test checks
that the folder it uploads exists with the site and the PDF.
GitHub's and Read the Docs' own runners are not exercised."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
import yaml
from buildtools import REPO, environment

pytestmark = pytest.mark.build

BUILD = "bash scripts/build"


def readthedocs() -> dict:
    return yaml.safe_load((REPO.root / ".readthedocs.yaml").read_text(encoding="utf-8"))


def pages_steps() -> list[dict]:
    workflow = yaml.safe_load((REPO.root / ".github" / "workflows" / "pages.yml").read_text(encoding="utf-8"))
    return workflow["jobs"]["build"]["steps"]


def build_packages() -> list[str]:
    """The Debian packages scripts/setup.sh installs for a build."""
    setup = (REPO.root / "scripts" / "setup.sh").read_text(encoding="utf-8")
    return re.search(r"^debian_packages=\(([^)]*)\)", setup, re.M)[1].split()


@pytest.fixture(scope="module")
def readthedocs_output(built, tmp_path_factory) -> Path:
    """What Read the Docs publishes: its commands after the build command, run in the shared build."""
    output = tmp_path_factory.mktemp("hosting") / "readthedocs-output"
    env = environment(READTHEDOCS_OUTPUT=str(output))
    assert (built / ".readthedocs.yaml").read_bytes() == (REPO.root / ".readthedocs.yaml").read_bytes()
    for command in readthedocs()["build"]["commands"][1:]:
        result = subprocess.run(["bash", "-c", command], cwd=built, env=env, capture_output=True, text=True)
        assert result.returncode == 0, f"{command}:\n{result.stdout[-3000:]}{result.stderr[-3000:]}"
    return output


def test_both_build_with_the_readmes_build_command():
    assert f"\n{BUILD}\n" in (REPO.root / "README.md").read_text(encoding="utf-8")
    assert readthedocs()["build"]["commands"][0] == BUILD
    assert [step["run"] for step in pages_steps() if "run" in step and "apt-get" not in step["run"]] == [BUILD]


def test_both_install_the_debian_packages_the_build_needs():
    assert readthedocs()["build"]["apt_packages"] == build_packages()
    [install] = [step["run"] for step in pages_steps() if "apt-get install" in step.get("run", "")]
    assert install.split("--no-install-recommends")[1].split() == build_packages()


def test_read_the_docs_gets_the_site_and_the_pdf(built, readthedocs_output):
    root, output = built, readthedocs_output
    built_pdf = (root / "_build/latex/nk-emigration.pdf").read_bytes()
    assert built_pdf[:5] == b"%PDF-"
    assert (output / "html" / "index.html").is_file()
    assert (output / "html" / "nk-emigration.pdf").read_bytes() == built_pdf
    [pdf] = (output / "pdf").iterdir()
    assert pdf.read_bytes() == built_pdf


def test_pages_uploads_the_built_site_with_the_pdf_its_pages_link(built):
    root = built
    [upload] = [step for step in pages_steps() if step.get("uses", "").startswith("actions/upload-pages-artifact")]
    site = root / upload["with"]["path"]
    assert (site / "index.html").is_file()
    for page in site.glob("*.html"):
        for href in re.findall(r'href="([^"#?]+\.pdf)"', page.read_text(encoding="utf-8")):
            assert (site / href).is_file(), f"{page.name} links {href}, which is not published"
    assert (site / "nk-emigration.pdf").read_bytes() == (
        root / "_build/latex/nk-emigration.pdf").read_bytes()
