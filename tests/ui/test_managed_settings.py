"""Settings set by an administrator's policy are shown but cannot be changed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QLabel

from tests.ui.conftest import Recorder
from vaclient.managed import Policy, apply_policy
from vaclient.settings import Endpoint, Settings, save_settings
from vaclient.ui.app import TrayController
from vaclient.ui.i18n import install_translator, remove_translator
from vaclient.ui.services import Services
from vaclient.ui.settings_dialog import SettingsDialog, managed_text

MANAGED_ENDPOINT = Endpoint("git.example.com", 22, "Git")


def _dialog(qtbot: Any, settings: Settings) -> SettingsDialog:
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    return dialog


def test_managed_controls_are_disabled_and_marked(qtbot: Any) -> None:
    settings = Settings(
        endpoints=(MANAGED_ENDPOINT,),
        check_interval_s=600,
        tunnel_interface="utun7",
        managed=("check_interval_s", "endpoints", "tunnel_interface"),
    )
    dialog = _dialog(qtbot, settings)

    for control in (dialog.interval, dialog.tunnel, dialog.add_button, dialog.remove_button):
        assert not control.isEnabled()
        assert control.toolTip() == "Set by your administrator"
    assert dialog.endpoints.editTriggers() == dialog.endpoints.EditTrigger.NoEditTriggers
    assert dialog.endpoints.toolTip() == "Set by your administrator"
    assert dialog.language.isEnabled() and dialog.start_at_login.isEnabled()
    assert dialog.language.toolTip() == ""
    labels = dialog.findChildren(QLabel)
    marks = [label for label in labels if label.text() == managed_text()]
    assert len(marks) == 3  # endpoints tab, interval row, tunnel row


def test_unmanaged_controls_stay_editable(qtbot: Any) -> None:
    dialog = _dialog(qtbot, Settings(endpoints=(MANAGED_ENDPOINT,)))
    for control in (dialog.interval, dialog.tunnel, dialog.add_button, dialog.remove_button):
        assert control.isEnabled() and control.toolTip() == ""
    assert dialog.endpoints.editTriggers() != dialog.endpoints.EditTrigger.NoEditTriggers


def test_managed_values_pass_through_and_are_not_saved(qtbot: Any, tmp_path: Path) -> None:
    user = Settings(endpoints=(Endpoint("db.example.com", 5432, "Database"),), language="en")
    path = save_settings(user, tmp_path / "settings.json")
    policy = Policy({"Endpoints": ["Git=git.example.com:22"], "CheckIntervalSeconds": 900})
    effective = apply_policy(user, policy)
    assert effective.managed == ("check_interval_s", "endpoints")
    dialog = _dialog(qtbot, effective)

    dialog.interval.setValue(60)  # disabled in the UI; a value set anyway must not stick
    dialog.language.setCurrentIndex(dialog.language.findData("ja"))
    result = dialog.result_settings()

    assert result.endpoints == (MANAGED_ENDPOINT,)
    assert result.check_interval_s == 900
    assert result.language == "ja"
    save_settings(result, path)
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["endpoints"] == [{"host": "db.example.com", "port": 5432, "name": "Database"}]
    assert saved["check_interval_s"] == 300 and saved["language"] == "ja"


def test_tray_settings_come_with_the_policy(monkeypatch: pytest.MonkeyPatch) -> None:
    import vaclient.managed

    policy = Policy({"UploadUrl": "https://upload.example.com/incoming"}, "policy.json")
    monkeypatch.setattr(vaclient.managed, "load_policy", lambda: policy)
    settings = Services().load_settings()
    assert settings.upload_url == "https://upload.example.com/incoming"
    assert settings.managed == ("upload_url",)


def test_controller_dialog_with_managed_endpoints(
    controller: TrayController, recorder: Recorder
) -> None:
    controller.settings = Settings(endpoints=(MANAGED_ENDPOINT,), managed=("endpoints",))
    dialog = controller.show_settings(start_tab=0)
    assert not dialog.add_button.isEnabled()
    dialog.tunnel.setText("utun5")
    dialog._accept_if_valid()
    (saved,) = recorder.saved
    assert saved.endpoints == (MANAGED_ENDPOINT,) and saved.tunnel_interface == "utun5"
    assert saved.managed == ("endpoints",)


def test_managed_mark_is_translated(qtbot: Any) -> None:
    translator = install_translator("ja")
    try:
        assert translator is not None
        dialog = _dialog(qtbot, Settings(check_interval_s=600, managed=("check_interval_s",)))
        assert dialog.interval.toolTip() == managed_text() != "Set by your administrator"
    finally:
        remove_translator(translator)
