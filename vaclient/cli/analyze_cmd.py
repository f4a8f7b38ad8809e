"""The `vaclient analyze` command group."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `analyze` sub-command(s); filled in by its implementation."""
