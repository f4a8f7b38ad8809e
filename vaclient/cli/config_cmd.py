"""The `vaclient config` command group."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `config` sub-command(s); filled in by its implementation."""
