"""Where vaclient and the Connectivity Client keep their files.

The client's machine-wide configuration folder is documented by AWS for
Windows and macOS; on Linux (where no client exists) vaclient uses a folder
of its own so that the diagnostics and the lab have somewhere to look.
``VACLIENT_CONFIG_DIR`` overrides the folder everywhere.
"""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

import platformdirs

logger = logging.getLogger(__name__)

APP_NAME = "vaclient"
CONFIG_DIR_ENV = "VACLIENT_CONFIG_DIR"
SETTINGS_DIR_ENV = "VACLIENT_SETTINGS_DIR"
LOG_DIR_ENV = "VACLIENT_LOG_DIR"

#: The folders the Connectivity Client reads ClientConfig files from.
WINDOWS_CLIENT_DIR = r"C:\ProgramData\Connectivity Client"
MACOS_CLIENT_DIR = "/Library/Application Support/Connectivity Client"
#: Linux has no Connectivity Client; this folder is vaclient's own choice.
LINUX_CLIENT_DIR = "/etc/vaclient/client-configs"


def current_os() -> str:
    """Return ``windows``, ``macos`` or ``linux`` (any other POSIX counts as linux)."""
    if sys.platform.startswith("win"):
        return "windows"
    if sys.platform == "darwin":
        return "macos"
    return "linux"


def default_client_config_dir(os_name: str | None = None) -> Path:
    """The folder the Connectivity Client reads on this OS, before overrides."""
    os_name = os_name or current_os()
    if os_name == "windows":
        program_data = os.environ.get("PROGRAMDATA", r"C:\ProgramData")
        return Path(program_data) / "Connectivity Client"
    if os_name == "macos":
        return Path(MACOS_CLIENT_DIR)
    return Path(LINUX_CLIENT_DIR)


def client_config_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """The folder to read and install ClientConfig files in.

    Order: an explicit ``--config-dir``, then ``VACLIENT_CONFIG_DIR``, then
    the OS default.
    """
    if override:
        return Path(override)
    env = os.environ.get(CONFIG_DIR_ENV)
    if env:
        return Path(env)
    return default_client_config_dir()


def settings_dir() -> Path:
    """Per-user folder for vaclient's settings (shared by the CLI and tray)."""
    env = os.environ.get(SETTINGS_DIR_ENV)
    if env:
        return Path(env)
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def log_dir() -> Path:
    """Per-user folder for vaclient's rotating log file."""
    env = os.environ.get(LOG_DIR_ENV)
    if env:
        return Path(env)
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))
