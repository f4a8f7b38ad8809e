"""vaclient: a companion for the AWS Verified Access Connectivity Client.

The package is split into a Qt-free core (config, checks, net, platforms,
report, aws) and ``vaclient.ui``, the only package that imports PySide6.
"""

from __future__ import annotations

__version__ = "0.1.0"
