# Sourced by scripts/build and scripts/test: installs what the project needs.
# Usage: source scripts/setup.sh build|test
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Debian packages: LaTeX for the PDF (the list Sphinx documents, and ko.TeX for the Korean the data
# quotes), poppler to
# inspect it, Chromium for the browser tests.
debian_packages=(make latexmk texlive-latex-recommended texlive-latex-extra texlive-fonts-recommended tex-gyre fonts-texgyre texlive-lang-korean)
if [[ "${1:-build}" == test ]]; then
    debian_packages+=(poppler-utils chromium fonts-dejavu-core)
fi
python3 -c 'import ensurepip, venv' 2>/dev/null || debian_packages+=(python3-venv)
# npm for axe-core (below); a Node.js that bundles npm will do.
[[ "${1:-build}" == test ]] && ! command -v npm >/dev/null && debian_packages+=(npm)

missing=()
for package in "${debian_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
    if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null; then
        echo "setup: missing Debian packages: ${missing[*]}" >&2
        echo "setup: run as root: apt-get install ${missing[*]}" >&2
        exit 1
    fi
    echo "setup: installing Debian packages: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Python packages in .venv, reinstalled only when pyproject.toml changes.
# An environment named by NKREPORT_VENV is used as it is.
source scripts/env.sh
if [[ -z ${NKREPORT_VENV:-} ]]; then
    [[ -x $venv/bin/python ]] || python3 -m venv "$venv"
    stamp="$venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)"
    if [[ ! -e $stamp ]]; then
        echo "setup: installing Python packages into $venv (log: $venv/pip.log)"
        { "$venv/bin/python" -m pip install --upgrade pip &&
          "$venv/bin/python" -m pip install -e ".[test,dev]"; } >"$venv/pip.log" 2>&1 ||
            { tail -n 30 "$venv/pip.log" >&2; echo "setup: pip install failed" >&2; exit 1; }
        rm -f "$venv"/.installed-*
        touch "$stamp"
    fi
fi

# Test tools from npm at the versions package-lock.json pins (axe-core for the browser tests),
# reinstalled only when the lock changes.
if [[ "${1:-build}" == test ]] && ! cmp -s package-lock.json node_modules/.installed-lock; then
    echo "setup: installing npm packages into node_modules"
    npm ci --no-audit --no-fund --silent || { echo "setup: npm ci failed" >&2; exit 1; }
    cp package-lock.json node_modules/.installed-lock
fi
