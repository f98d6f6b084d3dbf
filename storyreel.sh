#!/usr/bin/env sh
# Double-click (or run) to start Storyreel on Linux or macOS.
cd "$(dirname "$0")" || exit 1
PY=$(command -v python3 || command -v python)
if [ -z "$PY" ]; then
  echo "Storyreel needs Python 3.11: install it from https://www.python.org/downloads/ and try again."
  read -r _ 2>/dev/null
  exit 1
fi
exec "$PY" launch.py "$@"
