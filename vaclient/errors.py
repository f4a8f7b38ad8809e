"""The one error hierarchy of vaclient.

Every error carries a ``message`` (what went wrong, naming the bad value)
and a ``hint`` (the next step a user or helpdesk person can take). The CLI
prints both and maps the class to an exit code; the GUI shows the same
text. Errors never carry secrets in their text: code that raises them with
content from a ClientConfig must pass it through ``vaclient.config.redact``.
"""

from __future__ import annotations

#: Exit codes shared by every command (see docs/architecture.md).
EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_CANCELLED = 3
EXIT_PERMISSION = 4
EXIT_INTERNAL = 70


class VaclientError(Exception):
    """Base class: a problem the user can understand and act on."""

    exit_code = EXIT_FAILED

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message


class UsageError(VaclientError):
    """Bad command-line usage or unreadable input."""

    exit_code = EXIT_USAGE


class ConfigError(VaclientError):
    """A ClientConfig file is not valid.

    Attributes:
        source: the file name (or ``<stdin>``) the configuration came from.
        json_path: where in the document the problem is, e.g.
            ``UserTrustProvider.Issuer`` or ``OpenVpnConfigurations[0].Routes``;
            empty for problems with the whole document.
        problem: the problem alone, without source and path.
    """

    exit_code = EXIT_USAGE

    def __init__(self, source: str, json_path: str, problem: str, hint: str | None = None) -> None:
        self.source = source
        self.json_path = json_path
        self.problem = problem
        where = f"{json_path}: " if json_path else ""
        super().__init__(f"{source}: {where}{problem}", hint)


class InstallError(VaclientError):
    """Installing, restoring or removing a configuration failed; nothing was lost."""


class ElevationCancelled(VaclientError):
    """The user dismissed the administrator prompt."""

    exit_code = EXIT_CANCELLED


class ElevationDenied(VaclientError):
    """The system refused elevation (not authorised)."""

    exit_code = EXIT_PERMISSION


class UnsafeDestination(InstallError):
    """The destination folder or file could be changed by a non-administrator."""

    exit_code = EXIT_PERMISSION


class PlatformUnsupported(VaclientError):
    """The operation does not exist on this operating system."""

    exit_code = EXIT_USAGE


class PermissionDenied(InstallError):
    """The destination needs administrator rights that this process does not have."""

    exit_code = EXIT_PERMISSION
