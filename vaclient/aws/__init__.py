"""vaclient.aws."""

from __future__ import annotations
