"""The `vaclient aws` command group."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the `aws` sub-command(s); filled in by its implementation."""
