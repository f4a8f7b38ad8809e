#!/usr/bin/env bash
# Run every check CI runs: set up, lint, type-check, then the whole test
# suite (the lab tests need root; in CI they must run, not skip).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh

export QT_QPA_PLATFORM=offscreen
.venv/bin/ruff check vaclient tests bench scripts installers
.venv/bin/ruff format --check vaclient tests bench scripts installers
.venv/bin/mypy
.venv/bin/python -m pytest "$@"
