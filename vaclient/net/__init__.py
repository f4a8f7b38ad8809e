"""Networking: DNS, TCP, route tables (pure parsers plus lookups)."""

from __future__ import annotations
