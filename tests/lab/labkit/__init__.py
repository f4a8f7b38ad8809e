"""The namespace lab: a real OpenVPN tunnel, DNS server, TCP services and faults.

Used by the lab tests (``tests/lab``) and the benchmark (``bench/``). See
docs/lab.md for the topology and how to extend it.
"""

from __future__ import annotations
