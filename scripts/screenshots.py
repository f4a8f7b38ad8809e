"""Take the README's screenshots of the tray's windows under Xvfb.

Usage::

    python3 scripts/screenshots.py [--out docs/images]

Without a ``DISPLAY`` it starts ``Xvfb :99`` itself (and stops it at the
end). The windows are filled from sample data (a report with a failure, an
install plan that changes a route), never from this machine's state, and
rendered with ``QWidget.grab()`` so no window manager is needed. Written
files: ``tray-menu.png``, ``tray-menu-ja.png``, ``diagnostics.png``,
``import-preview.png``, ``bundle-preview.png`` and ``main-window.png``.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path, PureWindowsPath
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "resources" / "examples" / "ClientConfig-vai-0123456789abcdef0.json"


@contextlib.contextmanager
def x_display(number: int = 99) -> Iterator[None]:
    """Use the current display, or run Xvfb on ``:number`` for the duration."""
    if os.environ.get("DISPLAY"):
        yield
        return
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        sys.exit("screenshots: no DISPLAY and no Xvfb; install xvfb (scripts/bootstrap.sh)")
    proc = subprocess.Popen(
        [xvfb, f":{number}", "-screen", "0", "1280x900x24", "-nolisten", "tcp"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.environ["DISPLAY"] = f":{number}"
    try:
        for _ in range(50):
            # X servers put their socket in the system temporary folder.
            if (Path(tempfile.gettempdir()) / ".X11-unix" / f"X{number}").exists():
                break
            time.sleep(0.1)
        yield
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def sample_report() -> Any:
    """A report with one prerequisite failure (with a fix) and one endpoint failure."""
    from vaclient.checks.model import CheckResult, EndpointVerdict, Report, Stage, Status

    ok = Status.OK
    checks = [
        CheckResult("prereq.ipv6", "IPv6 enabled", ok, message="IPv6 is enabled on Wi-Fi"),
        CheckResult(
            "prereq.webview2",
            "WebView2 Runtime",
            Status.FAIL,
            code="webview2-missing",
            message="The Microsoft Edge WebView2 Runtime is not installed",
            hint="Install the WebView2 Runtime (Evergreen), then start the client again.",
        ),
        CheckResult(
            "client.installed",
            "Connectivity Client",
            ok,
            message="version 1.0.6 is installed",
            stage=Stage.PREREQ,
        ),
        CheckResult(
            "config.valid",
            "ClientConfig",
            ok,
            message="ClientConfig-vai-0123456789abcdef0.json is valid (eu-central-1)",
            stage=Stage.CONFIG,
        ),
        CheckResult(
            "tunnel.interface",
            "Tunnel interface",
            ok,
            message="Ethernet 3 is up with 2001:db8:1400::1002",
            stage=Stage.TUNNEL,
        ),
        CheckResult(
            "dns.aaaa:db.example.com",
            "AAAA record",
            ok,
            message="db.example.com has 2001:db8:1400::10",
            target="db.example.com:5432",
            stage=Stage.DNS,
        ),
        CheckResult(
            "tcp.connect:db.example.com:5432",
            "TCP connection",
            Status.FAIL,
            code="tcp-timeout",
            message="No answer from [2001:db8:1400::10]:5432 within 3 s",
            hint="The access policy may deny you, or a security group drops the "
            "traffic. Ask helpdesk to check the access log.",
            target="db.example.com:5432",
            stage=Stage.TCP,
        ),
    ]
    endpoints = [
        EndpointVerdict("db.example.com:5432", Status.FAIL, "tcp-timeout", "2001:db8:1400::10")
    ]
    return Report.build(
        checks, endpoints, host_os="windows", os_version="11 (26100)", tool_version="0.1.0"
    )


def sample_plan(folder: Path) -> Any:
    """An install plan that replaces a file whose second route differs (for display only)."""
    from vaclient.config.install import plan_install

    folder.mkdir(parents=True, exist_ok=True)
    raw = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    raw["OpenVpnConfigurations"][0]["Routes"][-1]["Cidr"] = "2001:db8:2b00::/56"
    (folder / EXAMPLE.name).write_text(json.dumps(raw, indent=2), encoding="utf-8")
    plan = plan_install(EXAMPLE, folder)
    # Show the folder a Windows user would see instead of the temporary one.
    shown = PureWindowsPath(r"C:\ProgramData\Connectivity Client") / EXAMPLE.name
    return dataclasses.replace(plan, destination=shown)


def sample_bundle_planner(folder: Path, report: Any) -> Any:
    """A ``Services.plan_bundle`` that collects sample files, not this machine's.

    The real planner runs on the example ClientConfig, the sample report,
    recorded Windows ``route print -6`` and ``ipconfig /all`` output and a
    short log with a token in it (so the preview shows a removal). vaclient's
    own log folder is pointed at the sample folder for the rest of the run.
    """
    from vaclient.platforms.base import ReplayRunner
    from vaclient.report.bundle import BundleOptions, plan_bundle
    from vaclient.settings import Settings

    configs = folder / "configs"
    configs.mkdir(parents=True, exist_ok=True)
    (configs / EXAMPLE.name).write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    report_path = folder / "report.json"
    report_path.write_text(json.dumps(report.to_dict()), encoding="utf-8")
    own_logs = folder / "logs"
    own_logs.mkdir(exist_ok=True)
    (own_logs / "vaclient.log").write_text(
        "2025-01-14 09:11:58 INFO vaclient.ui.main: tray shown after 0.412 s\n", encoding="utf-8"
    )
    os.environ["VACLIENT_LOG_DIR"] = str(own_logs)
    client_logs = folder / "client-logs"
    client_logs.mkdir(exist_ok=True)
    (client_logs / "acvc-20250114.log").write_text(
        "2025-01-14 09:12:03 INFO tunnel up on Ethernet 3\n"
        "2025-01-14 09:12:04 INFO token refreshed: Bearer c2FtcGxlLXRva2VuLTEyMzQ1\n",
        encoding="utf-8",
    )
    data = ROOT / "tests" / "data"
    recorded = {
        ("route", "print", "-6"): data / "routes" / "windows_recorded_route_print.txt",
        ("ipconfig", "/all"): data / "ipconfig" / "recorded_va_adapter.txt",
    }
    runner = ReplayRunner({argv: p.read_text(encoding="utf-8") for argv, p in recorded.items()})

    def plan(options: BundleOptions) -> Any:
        sample = dataclasses.replace(
            options,
            config_dir=configs,
            report_path=report_path,
            os_name="windows",
            settings=dataclasses.replace(
                options.settings or Settings(), client_log_dirs=(str(client_logs),)
            ),
        )
        return plan_bundle(sample, runner=runner)

    return plan


def take(out: Path) -> list[Path]:
    """Render every window and save it; returns the files written."""
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    from PySide6.QtCore import QPoint  # noqa: TID251  # this script drives the Qt UI
    from PySide6.QtWidgets import QApplication  # noqa: TID251  # this script drives the Qt UI

    from vaclient.settings import Endpoint, Settings
    from vaclient.status import ClientState, ConfigState, QuickStatus, RouteState, TunnelState
    from vaclient.ui.app import TrayController
    from vaclient.ui.bundle_dialog import BundleDialog
    from vaclient.ui.i18n import install_translator, remove_translator
    from vaclient.ui.import_dialog import ImportPreviewDialog
    from vaclient.ui.services import Services

    app = QApplication([sys.argv[0]])
    report = sample_report()
    route = RouteState("2001:db8:1400::/57", "2001:db8:1400::", "17", True)
    status = QuickStatus(
        "C:\\ProgramData\\Connectivity Client",
        (
            ConfigState(
                "ClientConfig-vai-0123456789abcdef0.json",
                True,
                "vai-0123456789abcdef0",
                "eu-central-1",
                routes=(route,),
                routes_ok=True,
            ),
        ),
        ClientState(True, True, True, "1.0.6"),
        TunnelState(True, "Ethernet 3", ("2001:db8:1400::1002",)),
        "windows",
    )
    services = Services(
        quick_status=lambda settings: status,
        run_doctor=lambda settings: report,
        launch_client=lambda settings: None,
        open_url=lambda url: True,
        open_folder=lambda path: True,
        load_settings=Settings,
        save_settings=lambda settings: Path("settings.json"),
    )
    settings = Settings(endpoints=(Endpoint("db.example.com", 5432, "Database"),))
    controller = TrayController(services, settings, tray_available=False)
    controller.monitor._poll_done(status)
    controller.monitor._check_done(report)
    written: list[Path] = []

    def save(widget: Any, name: str) -> None:
        widget.show()
        for _ in range(10):
            app.processEvents()
            time.sleep(0.05)
        path = out / name
        widget.grab().save(str(path))
        written.append(path)

    controller.menu.aboutToShow.emit()
    controller.menu.popup(QPoint(40, 40))
    save(controller.menu, "tray-menu.png")
    controller.menu.hide()

    translator = install_translator("ja")
    controller.menu.aboutToShow.emit()
    controller.menu.popup(QPoint(40, 40))
    save(controller.menu, "tray-menu-ja.png")
    controller.menu.hide()
    remove_translator(translator)
    controller.rebuild_menu()

    assert controller.window is not None
    save(controller.window, "main-window.png")

    controller.diagnostics.resize(820, 700)
    controller.diagnostics.show_report(report)
    save(controller.diagnostics, "diagnostics.png")

    with tempfile.TemporaryDirectory(prefix="vaclient-shots-") as tmp:
        dialog = ImportPreviewDialog(sample_plan(Path(tmp) / "Connectivity Client"))
        save(dialog, "import-preview.png")

    with tempfile.TemporaryDirectory(prefix="vaclient-shots-") as tmp:
        services.plan_bundle = sample_bundle_planner(Path(tmp), report)
        upload = dataclasses.replace(settings, upload_url="https://upload.example.com/incoming")
        bundle = BundleDialog(services, upload)
        bundle.resize(760, 560)
        bundle.show()
        bundle.replan()
        while bundle.busy:
            app.processEvents()
            time.sleep(0.05)
        save(bundle, "bundle-preview.png")
    controller.monitor.stop()
    app.quit()
    return written


def main() -> int:
    """Parse arguments, provide a display, take the screenshots."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("VACLIENT_SETTINGS_DIR", tempfile.mkdtemp(prefix="vaclient-shots-"))
    with x_display():
        for path in take(args.out):
            print(path)  # the script's output
    return 0


if __name__ == "__main__":
    sys.exit(main())
