"""The support bundle preview: planned files, what was removed, anonymise, save, send.

Bundles are planned by the real :func:`vaclient.report.bundle.plan_bundle`
(no diagnosis, a temporary configuration folder, this machine's ``ip``
output) and written by the real ``write_bundle``; only the upload, which
would need a helpdesk server, is a fake.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tests.ui.conftest import EXAMPLE
from vaclient.errors import VaclientError
from vaclient.paths import log_dir
from vaclient.report.bundle import MANIFEST_NAME, BundleOptions, BundlePlan, plan_bundle
from vaclient.report.upload import UploadResult
from vaclient.ui.app import TrayController
from vaclient.ui.bundle_dialog import BundleDialog, counts_text

UPLOAD_URL = "https://upload.example.com/incoming?X-Amz-Signature=0123abcd"
BEARER = "Bearer Zm9vYmFyYmF6cXV4MTIzNDU2"


class Planner:
    """``Services.plan_bundle`` that records its options and plans for real.

    It points the real planner at a temporary configuration folder holding
    the example ClientConfig and leaves out the diagnosis (the doctor has
    its own tests); everything else is collected as in the application.
    """

    def __init__(self, config_dir: Path) -> None:
        self.config_dir = config_dir
        self.options: list[BundleOptions] = []
        self.plans: list[BundlePlan] = []

    def __call__(self, options: BundleOptions) -> BundlePlan:
        self.options.append(options)
        real = dataclasses.replace(
            options, config_dir=self.config_dir, run_doctor=False, os_name="linux"
        )
        plan = plan_bundle(real)
        self.plans.append(plan)
        return plan


@pytest.fixture
def planner(tmp_path: Path) -> Planner:
    config_dir = tmp_path / "client-configs"
    config_dir.mkdir()
    shutil.copy(EXAMPLE, config_dir / EXAMPLE.name)
    logs = log_dir()
    logs.mkdir(parents=True, exist_ok=True)
    (logs / "vaclient.log").write_text(
        f"2025-01-01 10:00:00 INFO upload sent with Authorization: {BEARER}\n", encoding="utf-8"
    )
    return Planner(config_dir)


def _open_bundle(
    qtbot: Any, controller: TrayController, planner: Planner, **settings: Any
) -> BundleDialog:
    controller.settings = dataclasses.replace(controller.settings, **settings)
    controller.services.plan_bundle = planner
    controller.menu.aboutToShow.emit()
    controller.actions["bundle"].trigger()
    (dialog,) = [d for d in controller._dialogs if isinstance(d, BundleDialog)]
    qtbot.waitUntil(lambda: dialog.plan is not None and not dialog.busy, timeout=20000)
    return dialog


def _secrets() -> list[str]:
    raw = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    found = []
    for item in raw["OpenVpnConfigurations"]:
        found.append(item["Config"])
    found.append(raw["UserTrustProvider"]["ClientSecret"])
    return [s for s in found if s]


def _shown_text(dialog: BundleDialog) -> str:
    cells = [
        dialog.table.item(row, column).text()
        for row in range(dialog.table.rowCount())
        for column in range(3)
    ]
    labels = [dialog.removed_label, dialog.problems_label, dialog.status_label]
    return "\n".join(cells + [label.text() for label in labels])


def test_menu_item_opens_the_preview_listing_files_and_redactions(
    qtbot: Any, controller: TrayController, planner: Planner
) -> None:
    controller.menu.aboutToShow.emit()
    texts = [a.text() for a in controller.menu.actions() if not a.isSeparator()]
    assert texts.index("Make support &bundle…") == texts.index("&Copy diagnostic summary") + 1

    dialog = _open_bundle(qtbot, controller, planner)
    (plan,) = planner.plans
    assert not planner.options[0].anonymize
    assert planner.options[0].endpoints == controller.settings.endpoints

    names = [dialog.table.item(row, 0).text() for row in range(dialog.table.rowCount())]
    assert names == [name for name, _description, _size in plan.files]
    assert f"configs/{EXAMPLE.name}" in names and "logs/vaclient/vaclient.log" in names
    row = names.index(f"configs/{EXAMPLE.name}")
    assert dialog.table.item(row, 2).text() == "Installed ClientConfig, secrets removed"
    assert dialog.table.item(row, 1).text().endswith(("B", "KB"))

    removed = dialog.removed_label.text()
    assert plan.redactions["config_fields"] == 2 and plan.redactions["bearer_tokens"] == 1
    assert "configuration secret fields: 2" in removed
    assert "bearer tokens: 1" in removed
    assert "no Connectivity Client log folder configured" in dialog.problems_label.text()
    shown = _shown_text(dialog)
    for secret in [*_secrets(), BEARER.split()[1]]:
        assert secret not in shown
    assert not dialog.send_button.isVisible()  # no upload_url in these settings
    assert dialog.save_button.isEnabled()


def test_anonymise_replans_with_anonymize(
    qtbot: Any, controller: TrayController, planner: Planner
) -> None:
    dialog = _open_bundle(qtbot, controller, planner)
    first = dialog.plan
    dialog.anonymize_box.setChecked(True)
    qtbot.waitUntil(lambda: len(planner.plans) == 2 and not dialog.busy, timeout=20000)

    assert [o.anonymize for o in planner.options] == [False, True]
    assert dialog.plan is planner.plans[1] and dialog.plan is not first
    assert dialog.plan.is_anonymized
    assert "Names and addresses replaced (" in dialog.removed_label.text()
    assert counts_text(dialog.plan.anonymized) in dialog.removed_label.text()


def test_nothing_is_written_before_save_and_save_writes_a_zip(
    qtbot: Any, controller: TrayController, planner: Planner, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    dialog = _open_bundle(qtbot, controller, planner)
    assert list(out.iterdir()) == []
    asked: list[str] = []

    def ask(default_name: str) -> str:
        asked.append(default_name)
        return str(out / default_name)

    dialog.ask_save_path = ask
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.saved_path is not None, timeout=20000)

    assert dialog.plan is not None
    assert asked == [dialog.plan.default_name]
    assert dialog.saved_path == out / dialog.plan.default_name
    with zipfile.ZipFile(dialog.saved_path) as archive:
        manifest = json.loads(archive.read(MANIFEST_NAME))
        assert f"configs/{EXAMPLE.name}" in archive.namelist()
    assert manifest["support_id"] == dialog.plan.support_id
    assert dialog.plan.support_id in dialog.status_label.text()


def test_cancelled_save_writes_nothing(
    qtbot: Any, controller: TrayController, planner: Planner, tmp_path: Path
) -> None:
    dialog = _open_bundle(qtbot, controller, planner)
    dialog.ask_save_path = lambda default_name: ""
    dialog.save_button.click()
    assert not dialog.busy and dialog.saved_path is None


def test_send_uploads_and_shows_the_support_id(
    qtbot: Any, controller: TrayController, planner: Planner
) -> None:
    uploads: list[tuple[Path, str, str, list[str]]] = []

    def upload(path: Path, url: str, support_id: str) -> UploadResult:
        with zipfile.ZipFile(path) as archive:
            uploads.append((path, url, support_id, archive.namelist()))
        return UploadResult("https://upload.example.com/incoming", support_id, path.stat().st_size)

    controller.services.upload_bundle = upload
    dialog = _open_bundle(qtbot, controller, planner, upload_url=UPLOAD_URL)
    assert dialog.send_button.isVisibleTo(dialog) and dialog.send_button.isEnabled()
    assert not dialog.support_id_label.isVisibleTo(dialog)
    dialog.send_button.click()
    qtbot.waitUntil(lambda: dialog.upload_result is not None, timeout=20000)

    assert dialog.plan is not None
    support_id = dialog.plan.support_id
    ((path, url, sent_id, names),) = uploads
    assert (url, sent_id) == (UPLOAD_URL, support_id)
    assert MANIFEST_NAME in names and path.name == dialog.plan.default_name
    assert not path.exists()  # the temporary copy is gone after the upload
    assert dialog.support_id_label.isVisibleTo(dialog)
    assert dialog.support_id_label.text() == support_id
    assert dialog.support_id_label.font().pointSizeF() > dialog.status_label.font().pointSizeF()
    assert "support ID" in dialog.status_label.text()


def test_failed_upload_shows_the_error_and_no_id(
    qtbot: Any, controller: TrayController, planner: Planner
) -> None:
    def refuse(path: Path, url: str, support_id: str) -> UploadResult:
        raise VaclientError("upload to https://upload.example.com/incoming was refused: HTTP 403")

    controller.services.upload_bundle = refuse
    dialog = _open_bundle(qtbot, controller, planner, upload_url=UPLOAD_URL)
    dialog.send_button.click()
    qtbot.waitUntil(lambda: "HTTP 403" in dialog.status_label.text(), timeout=20000)
    assert dialog.status_label.text().startswith("The bundle could not be sent:")
    assert not dialog.support_id_label.isVisibleTo(dialog)
    assert dialog.send_button.isEnabled()  # the user may try again


def test_plain_http_upload_url_is_refused_before_anything_is_written(
    qtbot: Any, controller: TrayController, planner: Planner
) -> None:
    calls: list[str] = []
    controller.services.write_bundle = lambda plan, path: calls.append("write") or path
    dialog = _open_bundle(qtbot, controller, planner, upload_url="http://upload.example.com/x")
    dialog.send_button.click()
    assert calls == [] and not dialog.busy
    assert "is not https" in dialog.status_label.text()
