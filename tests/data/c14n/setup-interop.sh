#!/bin/sh
# Install what tests/c14n_interop.rs needs: a Python venv with lxml (libxml2's exclusive c14n).
# Usage: tests/data/c14n/setup-interop.sh [venv-dir]   (default /tmp/c14n-venv)
# The tests find the interpreter through $C14N_PYTHON, defaulting to /tmp/c14n-venv/bin/python3.
set -eu
VENV="${1:-${C14N_VENV:-/tmp/c14n-venv}}"
if [ ! -x "$VENV/bin/python3" ]; then
    python3 -m venv "$VENV"
fi
"$VENV/bin/pip" install --quiet --disable-pip-version-check lxml
"$VENV/bin/python3" -c 'import lxml.etree as e; print("lxml", e.__version__, "libxml2", e.LIBXML_VERSION)'
