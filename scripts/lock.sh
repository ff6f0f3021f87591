#!/usr/bin/env bash
# Regenerate constraints.txt: install suanli with every extra into a fresh virtualenv (no
# constraints) and freeze it. Also prints the installed size of the core and of the full install.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$PY" -m venv "$tmp/full"
"$tmp/full/bin/python" -m pip install --quiet --upgrade pip
"$tmp/full/bin/python" -m pip install --quiet '.[dev]'
{
  echo "# Pinned versions of every package ./dev installs (pip install -c constraints.txt -e '.[dev]')."
  echo "# Regenerate after changing dependencies: scripts/lock.sh (a fresh virtualenv, then pip freeze)."
  "$tmp/full/bin/python" -m pip freeze --exclude-editable | grep -v '^suanli[= @]'
} > constraints.txt
"$PY" -m venv "$tmp/core"
"$tmp/core/bin/python" -m pip install --quiet --upgrade pip
"$tmp/core/bin/python" -m pip install --quiet -c constraints.txt .
echo "installed size: core $(du -sh "$tmp/core" | cut -f1), everything (./dev) $(du -sh "$tmp/full" | cut -f1)"
