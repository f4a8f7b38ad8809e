"""Translation, the settings dialog, the crash dialog and the entry point."""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QLocale

from tests.ui.conftest import Recorder
from vaclient.logsetup import register_secret
from vaclient.settings import Endpoint, Settings
from vaclient.ui.app import TrayController, plain_text
from vaclient.ui.crash import CrashDialog, make_excepthook
from vaclient.ui.i18n import choose_language, install_translator, remove_translator, tr
from vaclient.ui.settings_dialog import SettingsDialog

TRANSLATIONS = Path(__file__).parents[2] / "resources" / "translations"


def test_japanese_translation_changes_the_menu(controller: TrayController) -> None:
    controller.menu.aboutToShow.emit()
    assert controller.actions["sign_in"].text() == "&Sign in"
    translator = install_translator("ja")
    try:
        assert translator is not None
        assert tr("&Run diagnostics") == "診断を実行(&R)"
        controller.menu.aboutToShow.emit()
        assert controller.actions["sign_in"].text() == "サインイン(&S)"
        assert controller.actions["quit"].text() == "終了(&Q)"
        assert plain_text(controller.actions["quit"].text()) == "終了"
    finally:
        remove_translator(translator)
    assert tr("&Run diagnostics") == "&Run diagnostics"


def test_language_choice() -> None:
    assert choose_language("ja", QLocale("en_US")) == "ja"
    assert choose_language("", QLocale("ja_JP")) == "ja"
    assert choose_language("", QLocale("de_DE")) == "en"
    assert choose_language("xx", QLocale("en_GB")) == "en"


def test_committed_qm_matches_its_source(tmp_path: Path) -> None:
    lrelease = shutil.which("pyside6-lrelease")
    if lrelease is None:
        pytest.skip("pyside6-lrelease is not installed")
    built = tmp_path / "check.qm"
    subprocess.run(
        [lrelease, str(TRANSLATIONS / "vaclient_ja.ts"), "-qm", str(built)],
        check=True,
        capture_output=True,
    )
    assert built.read_bytes() == (TRANSLATIONS / "vaclient_ja.qm").read_bytes()


def test_every_source_string_is_translated() -> None:
    import xml.etree.ElementTree as ET

    root = ET.parse(TRANSLATIONS / "vaclient_ja.ts").getroot()
    messages = list(root.iter("message"))
    assert len(messages) > 50
    for message in messages:
        translation = message.find("translation")
        assert translation is not None and translation.text, message.findtext("source")
        assert translation.get("type") is None, message.findtext("source")


def test_settings_dialog_saves_and_applies(
    qtbot: Any, controller: TrayController, recorder: Recorder
) -> None:
    dialog = controller.show_settings()
    dialog.add_endpoint_row("Jump host", "bastion.example.com", "22")
    dialog.interval.setValue(120)
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    dialog.start_at_login.setChecked(True)
    dialog.tunnel.setText("utun5")
    dialog._accept_if_valid()

    (saved,) = recorder.saved
    assert saved.endpoints == (
        Endpoint("db.example.com", 5432, "Database"),
        Endpoint("bastion.example.com", 22, "Jump host"),
    )
    assert (saved.check_interval_s, saved.language, saved.tunnel_interface) == (120, "en", "utun5")
    assert ("set_autostart", (True,)) in recorder.calls
    assert controller.monitor.check_timer.interval() == 120_000


def test_settings_dialog_refuses_a_bad_port(qtbot: Any) -> None:
    dialog = SettingsDialog(Settings())
    qtbot.addWidget(dialog)
    dialog.add_endpoint_row("", "db.example.com", "99999")
    dialog._accept_if_valid()
    assert "Row 1" in dialog.error_label.text()
    assert dialog.result() == 0
    assert dialog.endpoints.accessibleName() == "Endpoints"


def test_excepthook_logs_critical_and_shows_copyable_details(
    qtbot: Any, caplog: pytest.LogCaptureFixture
) -> None:
    register_secret("s3cr3t-client-secret")
    hook = make_excepthook(Path("vaclient.log"))
    try:
        raise RuntimeError("boom with s3cr3t-client-secret")
    except RuntimeError as err:
        with caplog.at_level(logging.CRITICAL):
            hook(RuntimeError, err, err.__traceback__)
    assert any(r.levelno == logging.CRITICAL for r in caplog.records)
    (dialog,) = hook.dialogs  # type: ignore[attr-defined]
    qtbot.addWidget(dialog)
    assert isinstance(dialog, CrashDialog)
    text = dialog.details.toPlainText()
    assert "RuntimeError: boom with ***" in text
    assert "s3cr3t" not in text
    dialog.copy()
    from PySide6.QtGui import QGuiApplication

    assert QGuiApplication.clipboard().text() == text


def test_tray_command_shows_and_exits_when_asked(tmp_path: Path) -> None:
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "VACLIENT_TRAY_EXIT_AFTER_SHOW": "1",
    }
    done = subprocess.run(
        [sys.executable, "-m", "vaclient", "--no-log-file", "tray"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("vaclient-tray-shown ")
