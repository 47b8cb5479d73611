"""The code stays readable as it grows: small modules, and imports that run one way."""

from __future__ import annotations

import ast
from pathlib import Path

from buildtools import REPO

PACKAGE = REPO.root / "scripts" / "nkreport"
MOST_LINES = 400


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported(path: Path) -> set[str]:
    """The package's modules ``path`` imports at its top level or in a function (deferred imports count)."""
    own = module_name(path)
    package = own if path.name == "__init__.py" else own.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package
            for _ in range(node.level - 1):
                base = base.rpartition(".")[0]
            module = f"{base}.{node.module}" if node.level and node.module else node.module or base
            found |= {module, *(f"{module}.{alias.name}" for alias in node.names)}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
    return found


def test_no_module_is_longer_than_400_lines():
    long = {module_name(p): n for p in PACKAGE.rglob("*.py") if (n := len(p.read_text(encoding="utf-8").splitlines()))
            > MOST_LINES}
    assert long == {}, f"split these modules (at most {MOST_LINES} lines each): {long}"


def test_no_import_circle():
    modules = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    edges = {name: {m for m in imported(path) if m in modules and m != name} for name, path in modules.items()}

    def circle_from(start: str) -> list[str] | None:
        stack = [(start, [start])]
        while stack:
            name, path = stack.pop()
            for after in edges[name]:
                if after == start:
                    return [*path, start]
                if after not in path:
                    stack.append((after, [*path, after]))
        return None

    # A package's __init__ importing its own modules is not a circle with them.
    edges = {name: {m for m in after if not name.startswith(f"{m}.")} for name, after in edges.items()}
    circles = [circle for name in sorted(modules) if (circle := circle_from(name))]
    assert circles == [], f"import circles: {circles[:3]}"


# What changes matplotlib's settings for every figure drawn after it in the same process.
GLOBAL_SETTINGS = {"rcParams", "rc", "rcdefaults", "rc_file", "use"}


def test_no_chart_module_changes_matplotlibs_global_settings():
    """Two workers draw the charts one after another (nkreport.chartbuild): a chart that set rcParams would
    restyle the charts drawn after it. The house style is applied around each drawing (charts/style.py)."""
    found = []
    for path in sorted((PACKAGE / "charts").glob("*.py")):
        if path.name == "style.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in GLOBAL_SETTINGS:
                found.append(f"{path.relative_to(REPO.root)}:{node.lineno}: {ast.unparse(node)}")
    assert found == [], "chart modules must style through charts/style.py:\n" + "\n".join(found)
