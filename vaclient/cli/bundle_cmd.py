"""The `vaclient bundle` command group."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `bundle` sub-command(s); filled in by its implementation."""
