"""Find vaclient's data files (``resources/``) from a checkout or an install.

The data lives in the ``resources/`` folder next to the ``vaclient``
package: the repository layout, which an editable install keeps. A frozen
build (PyInstaller) unpacks it under ``sys._MEIPASS``, and a regular wheel
installs it as data files under ``<prefix>/share/vaclient/resources``.
"""

from __future__ import annotations

import sys
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def resource_path(*parts: str) -> Path:
    """The path of a file or folder under ``resources/``.

    The first candidate folder that exists wins: the package's sibling
    ``resources/`` (a checkout or editable install), then a frozen build's
    unpack folder, then ``<prefix>/share/vaclient/resources`` (a wheel).
    The returned path need not exist; callers report a missing file
    themselves.

    Args:
        *parts: path components below ``resources/``, e.g. ``"client_versions.json"``.

    Returns:
        The path below the first ``resources/`` folder found.
    """
    candidates = [_PACKAGE_DIR.parent / "resources"]
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        candidates.append(Path(frozen) / "resources")
    # A regular wheel installs the folder as data files (see pyproject.toml).
    candidates.append(Path(sys.prefix) / "share" / "vaclient" / "resources")
    base = next((c for c in candidates if c.is_dir()), candidates[0])
    return base.joinpath(*parts)
