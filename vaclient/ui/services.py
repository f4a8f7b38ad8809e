"""Everything the tray does to the world, behind one replaceable object.

The windows and the controller call :class:`Services` instead of the OS,
the network or the configuration installer directly. Tests hand in a
``Services`` whose callables are small fakes (a launcher that records, an
elevator that copies into a temporary folder); the application uses
:func:`default_services`. The blocking ones (``quick_status``,
``run_doctor``, ``execute_install``, ``plan_bundle``, ``write_bundle``,
``upload_bundle``) are only ever called on worker threads or after the user
asked for them. Settings are loaded with the administrator's policy applied
(:func:`~vaclient.settings.effective_settings`).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QProcess, QUrl
from PySide6.QtGui import QDesktopServices

from vaclient.checks.model import Report
from vaclient.paths import current_os
from vaclient.settings import Settings, effective_settings, save_settings
from vaclient.status import QuickStatus, collect_status

if TYPE_CHECKING:
    from vaclient.report.bundle import BundleOptions, BundlePlan
    from vaclient.report.upload import UploadResult

logger = logging.getLogger(__name__)

WEBVIEW2_URL = "https://developer.microsoft.com/microsoft-edge/webview2/"
CLIENT_GUIDE_URL = "https://docs.aws.amazon.com/verified-access/latest/ug/connectivity-client.html"
#: macOS Ventura and later open Network settings with this URL (not documented by Apple).
MACOS_NETWORK_SETTINGS_URL = "x-apple.systempreferences:com.apple.Network-Settings.extension"


def _quick_status(settings: Settings) -> QuickStatus:
    return collect_status(tunnel_interface=settings.tunnel_interface)


def _run_doctor(settings: Settings) -> Report:
    from vaclient.checks.doctor import DoctorOptions, run_doctor

    options = DoctorOptions(tunnel_interface=settings.tunnel_interface or None)
    report: Report = run_doctor(options)
    return report


def _launch_client(settings: Settings) -> None:
    from vaclient.platforms import get_platform

    get_platform().launch_client(settings.client_path or None)


def _plan_install(source: Path) -> Any:
    from vaclient.config.install import plan_install

    return plan_install(source)


def _execute_install(plan: Any) -> Any:
    from vaclient.config.install import execute_install

    return execute_install(plan)


def _open_url(url: str) -> bool:
    logger.info("opening %s", url)
    return bool(QDesktopServices.openUrl(QUrl(url)))


def _open_folder(path: Path) -> bool:
    path.mkdir(parents=True, exist_ok=True)
    return bool(QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))))


def _open_ipv6_settings() -> bool:
    """Open the place where IPv6 is switched on: adapter settings or Network settings."""
    os_name = current_os()
    if os_name == "windows":
        return bool(QProcess.startDetached("control.exe", ["ncpa.cpl"]))
    if os_name == "macos":
        return _open_url(MACOS_NETWORK_SETTINGS_URL)
    return False


def _plan_bundle(options: BundleOptions) -> BundlePlan:
    """Collect a support bundle in memory (runs the doctor and the OS tools)."""
    from vaclient.platforms import get_platform
    from vaclient.report.bundle import plan_bundle

    return plan_bundle(options, platform=get_platform())


def _write_bundle(plan: BundlePlan, path: Path) -> Path:
    from vaclient.report.bundle import write_bundle

    return write_bundle(plan, path)


def _upload_bundle(path: Path, url: str, support_id: str) -> UploadResult:
    """PUT the bundle to the helpdesk's URL, with the stored upload token if any."""
    from vaclient.report.upload import load_token, upload_presigned

    return upload_presigned(path, url, support_id=support_id, token=load_token())


def _set_autostart(enabled: bool) -> None:
    from vaclient.autostart import set_autostart

    set_autostart(enabled)


@dataclass
class Services:
    """The tray's boundary to the OS, the network and the installer."""

    quick_status: Callable[[Settings], QuickStatus] = _quick_status
    run_doctor: Callable[[Settings], Report] = _run_doctor
    launch_client: Callable[[Settings], None] = _launch_client
    plan_install: Callable[[Path], Any] = _plan_install
    execute_install: Callable[[Any], Any] = _execute_install
    open_url: Callable[[str], bool] = _open_url
    open_folder: Callable[[Path], bool] = _open_folder
    open_ipv6_settings: Callable[[], bool] = _open_ipv6_settings
    set_autostart: Callable[[bool], None] = _set_autostart
    load_settings: Callable[[], Settings] = effective_settings
    save_settings: Callable[[Settings], Path] = save_settings
    plan_bundle: Callable[[BundleOptions], BundlePlan] = _plan_bundle
    write_bundle: Callable[[BundlePlan, Path], Path] = _write_bundle
    upload_bundle: Callable[[Path, str, str], UploadResult] = _upload_bundle


def default_services() -> Services:
    """The real boundary."""
    logger.debug("services: real OS boundary on %s", sys.platform)
    return Services()
