"""Frozen entry point of the tray app (a GUI executable without a console)."""

from __future__ import annotations

import sys

from vaclient.cli import main

if __name__ == "__main__":
    sys.exit(main(["tray", *sys.argv[1:]]))
