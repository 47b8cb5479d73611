# Sourced by setup.sh and scripts/run: the Python environment of this checkout.
# NKREPORT_VENV names an environment you manage yourself (a relative path is
# taken from the project root); otherwise .venv here.
# Sets $venv and puts its commands and this checkout's code first on the paths.
project_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
venv=$(cd "$project_root" && realpath -m "${NKREPORT_VENV:-.venv}")
export PATH="$venv/bin:$PATH"
# This tree's own code, whichever checkout the environment was installed from.
export PYTHONPATH="$project_root/scripts${PYTHONPATH:+:$PYTHONPATH}"
