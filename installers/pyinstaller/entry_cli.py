"""Frozen entry point of the ``vaclient`` command line."""

from __future__ import annotations

import sys

from vaclient.cli import main

if __name__ == "__main__":
    sys.exit(main())
