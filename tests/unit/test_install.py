"""Installing ClientConfig files on a real file system, in temporary folders."""

from __future__ import annotations

import base64
import json
import os
import stat
from pathlib import Path

import pytest

from vaclient.config import store
from vaclient.config.atomic import is_temp_name
from vaclient.config.changes import Change
from vaclient.config.elevation import DirectElevator, NoElevation
from vaclient.config.install import (
    execute_install,
    list_installed,
    plan_install,
    plan_restore,
    remove_installed,
    restore_backup,
)
from vaclient.config.model import parse_config
from vaclient.config.safety import Privileges
from vaclient.errors import (
    ConfigError,
    ElevationCancelled,
    InstallError,
    PermissionDenied,
    UnsafeDestination,
    UsageError,
)

INSTANCE = "vai-0123456789abcdef0"
FILE_NAME = f"ClientConfig-{INSTANCE}.json"
OPENVPN = "client\ndev tun\nproto udp\nremote edge.vai-0123456789abcdef0.example.net 443\n"

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
needs_root = pytest.mark.skipif(
    not IS_ROOT and os.environ.get("CI") != "true", reason="needs root (chown to other users)"
)
#: A process that is not root and may not write the folder: elevation decides.
UNPRIVILEGED = Privileges(is_privileged=lambda: False, can_write=lambda path: False)


def require_root() -> None:
    """Fail in CI, skip elsewhere, when a test needs root."""
    if IS_ROOT:
        return
    if os.environ.get("CI") == "true":
        pytest.fail("this test needs root and CI runs as root")
    pytest.skip("needs root")


def make_config(
    *,
    instance: str = INSTANCE,
    region: str = "eu-central-1",
    routes: tuple[str, ...] = ("2001:db8:1400::/57", "2001:db8:2a00::/56"),
    issuer: str = "https://idp.example.com/oauth2/default",
    openvpn: str = OPENVPN,
    client_secret: str | None = "EXAMPLE-client-secret-not-real",
    extra: dict[str, object] | None = None,
) -> bytes:
    """A ClientConfig document as an exported file would hold it."""
    utp: dict[str, object] = {
        "Type": "oidc",
        "Scopes": "openid email",
        "Issuer": issuer,
        "AuthorizationEndpoint": f"{issuer}/v1/authorize",
        "TokenEndpoint": f"{issuer}/v1/token",
        "UserInfoEndpoint": f"{issuer}/v1/userinfo",
        "PublicSigningKeyEndpoint": f"{issuer}/v1/keys",
        "ClientId": "0oa1example2client3id4",
        "PkceEnabled": True,
    }
    if client_secret is not None:
        utp["ClientSecret"] = client_secret
    doc: dict[str, object] = {
        "Version": "1.0",
        "VerifiedAccessInstanceId": instance,
        "Region": region,
        "DeviceTrustProviders": [],
        "UserTrustProvider": utp,
        "OpenVpnConfigurations": [
            {
                "Config": base64.b64encode(openvpn.encode()).decode(),
                "Routes": [{"Cidr": cidr} for cidr in routes],
            }
        ],
    }
    doc.update(extra or {})
    return json.dumps(doc, indent=2).encode()


@pytest.fixture
def dest(tmp_path: Path) -> Path:
    folder = tmp_path / "client"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    return folder


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def install(source: Path, folder: Path, **kwargs: object) -> store.InstallResult:
    return execute_install(plan_install(source, folder), **kwargs)  # type: ignore[arg-type]


# --- the normal cases ---------------------------------------------------------------


def test_fresh_install_writes_exact_bytes_0644_and_lists_every_field(
    tmp_path: Path, dest: Path
) -> None:
    data = make_config()
    source = write(tmp_path / "download.json", data)

    plan = plan_install(source, dest)
    assert plan.destination == dest / FILE_NAME
    assert plan.existing is None and not plan.identical
    assert Change("instance_id", None, INSTANCE) in plan.changes
    assert Change("issuer", None, "https://idp.example.com/oauth2/default") in plan.changes
    assert Change("route", None, "2001:db8:2a00::/56") in plan.changes

    result = execute_install(plan)
    assert result == store.InstallResult(dest / FILE_NAME, None, changed=True, elevated=False)
    assert (dest / FILE_NAME).read_bytes() == data
    st = (dest / FILE_NAME).stat()
    assert stat.S_IMODE(st.st_mode) == 0o644
    assert st.st_uid == os.geteuid()
    assert sorted(p.name for p in dest.iterdir()) == [FILE_NAME]


def test_missing_folder_is_created_0755(tmp_path: Path) -> None:
    folder = tmp_path / "a" / "b"
    old_umask = os.umask(0o077)
    try:
        install(write(tmp_path / "c.json", make_config()), folder)
    finally:
        os.umask(old_umask)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o755
    assert stat.S_IMODE((folder / FILE_NAME).stat().st_mode) == 0o644


def test_replace_keeps_backup_and_reports_changes(tmp_path: Path, dest: Path) -> None:
    old = make_config()
    new = make_config(region="eu-west-1", routes=("2001:db8:1400::/57", "2001:db8:3a00::/56"))
    install(write(tmp_path / "old.json", old), dest)

    plan = plan_install(write(tmp_path / "new.json", new), dest)
    assert plan.existing is not None and plan.existing.raw == old
    assert plan.changes == (
        Change("region", "eu-central-1", "eu-west-1"),
        Change("route", None, "2001:db8:3a00::/56"),
        Change("route", "2001:db8:2a00::/56", None),
    )
    result = execute_install(plan)

    assert (dest / FILE_NAME).read_bytes() == new
    assert result.backup is not None and result.backup.parent == dest / ".backup"
    assert result.backup.read_bytes() == old
    assert result.backup.name.startswith(FILE_NAME + ".")
    assert [p.name for p in dest.glob("ClientConfig-*.json")] == [FILE_NAME]


def test_secret_change_is_listed_masked(tmp_path: Path, dest: Path) -> None:
    install(write(tmp_path / "old.json", make_config(client_secret="old-secret-value")), dest)
    plan = plan_install(write(tmp_path / "n.json", make_config(client_secret="new-one-x")), dest)
    assert plan.changes == (Change("client_secret", "***", "*** (changed)"),)


def test_identical_bytes_are_a_no_op(tmp_path: Path, dest: Path) -> None:
    source = write(tmp_path / "c.json", make_config())
    install(source, dest)
    before = (dest / FILE_NAME).stat()

    plan = plan_install(source, dest)
    assert plan.identical and plan.changes == ()
    result = execute_install(plan)

    assert result.changed is False and result.backup is None
    after = (dest / FILE_NAME).stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert not (dest / ".backup").exists()


def test_same_content_other_formatting_is_a_change(tmp_path: Path, dest: Path) -> None:
    data = make_config()
    install(write(tmp_path / "c.json", data), dest)
    compact = json.dumps(json.loads(data)).encode()
    plan = plan_install(write(tmp_path / "d.json", compact), dest)
    assert not plan.identical and plan.changes == ()
    execute_install(plan)
    assert (dest / FILE_NAME).read_bytes() == compact


def test_invalid_source_names_file_and_path(tmp_path: Path, dest: Path) -> None:
    source = write(tmp_path / "bad.json", make_config(region="Frankfurt"))
    with pytest.raises(ConfigError) as caught:
        plan_install(source, dest)
    assert caught.value.source == str(source)
    assert caught.value.json_path == "Region"
    assert list(dest.iterdir()) == []


def test_invalid_installed_file_is_replaced_and_backed_up(tmp_path: Path, dest: Path) -> None:
    (dest / FILE_NAME).write_bytes(b"{ not json")
    plan = plan_install(write(tmp_path / "c.json", make_config()), dest)
    assert plan.existing is None and plan.existing_error is not None
    result = execute_install(plan)
    assert result.backup is not None and result.backup.read_bytes() == b"{ not json"


def test_file_changed_after_review_is_not_overwritten(tmp_path: Path, dest: Path) -> None:
    install(write(tmp_path / "a.json", make_config()), dest)
    plan = plan_install(write(tmp_path / "b.json", make_config(region="eu-west-1")), dest)
    meanwhile = make_config(region="us-east-1")
    (dest / FILE_NAME).write_bytes(meanwhile)

    with pytest.raises(InstallError, match="changed since the install was reviewed"):
        execute_install(plan)
    assert (dest / FILE_NAME).read_bytes() == meanwhile


def test_failed_write_leaves_old_file_and_no_temp(
    tmp_path: Path, dest: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old = make_config()
    install(write(tmp_path / "a.json", old), dest)
    plan = plan_install(write(tmp_path / "b.json", make_config(region="eu-west-1")), dest)

    real_fsync = os.fsync
    failed = []

    def failing_fsync(fd: int) -> None:
        target = Path(os.readlink(f"/proc/self/fd/{fd}"))
        if target.parent == dest and is_temp_name(target.name):  # the new file's temp copy
            failed.append(target)
            raise OSError(28, "No space left on device")
        real_fsync(fd)

    if not Path("/proc/self/fd").is_dir():
        pytest.skip("needs /proc to tell the descriptors apart")

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(InstallError) as caught:
        execute_install(plan)
    assert caught.value.message == (
        f"cannot install {dest / FILE_NAME}: No space left on device; the old file is unchanged"
    )
    assert len(failed) == 1
    assert (dest / FILE_NAME).read_bytes() == old
    assert not [p for p in dest.iterdir() if is_temp_name(p.name)]


# --- refusing unsafe destinations ---------------------------------------------------------


def test_symlinked_folder_is_refused(tmp_path: Path, dest: Path) -> None:
    link = tmp_path / "link"
    link.symlink_to(dest, target_is_directory=True)
    source = write(tmp_path / "c.json", make_config())

    with pytest.raises(UnsafeDestination) as caught:
        plan_install(source, link)
    assert (
        caught.value.message == f"refusing to install into {link}: the folder is a symbolic link"
    )
    assert list(dest.iterdir()) == []


def test_folder_swapped_for_symlink_after_planning_is_refused(tmp_path: Path, dest: Path) -> None:
    source = write(tmp_path / "c.json", make_config())
    plan = plan_install(source, dest)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o755)
    dest.rmdir()
    dest.symlink_to(elsewhere, target_is_directory=True)

    with pytest.raises(UnsafeDestination, match="the folder is a symbolic link"):
        execute_install(plan)
    assert list(elsewhere.iterdir()) == []


def test_symlinked_file_is_refused_and_target_untouched(tmp_path: Path, dest: Path) -> None:
    victim = write(tmp_path / "victim.txt", b"do not overwrite")
    (dest / FILE_NAME).symlink_to(victim)
    source = write(tmp_path / "c.json", make_config())

    with pytest.raises(UnsafeDestination) as caught:
        plan_install(source, dest)
    assert caught.value.message == (
        f"refusing to replace {dest / FILE_NAME}: the file is a symbolic link"
    )
    assert victim.read_bytes() == b"do not overwrite"


@pytest.mark.parametrize("mode", [0o777, 0o775, 0o757])
def test_folder_writable_by_others_is_refused(tmp_path: Path, dest: Path, mode: int) -> None:
    dest.chmod(mode)
    with pytest.raises(UnsafeDestination) as caught:
        plan_install(write(tmp_path / "c.json", make_config()), dest)
    assert caught.value.message == (
        f"refusing to install into {dest}: the folder is writable by group or others "
        f"(mode {mode:04o})"
    )
    assert caught.value.hint == (
        f"An administrator should check its contents and run: chmod go-w {dest}"
    )


def test_file_writable_by_others_is_refused(tmp_path: Path, dest: Path) -> None:
    (dest / FILE_NAME).write_bytes(make_config())
    (dest / FILE_NAME).chmod(0o666)
    with pytest.raises(UnsafeDestination, match="the file is writable by group or others"):
        plan_install(write(tmp_path / "c.json", make_config(region="eu-west-1")), dest)


def test_parent_writable_by_others_is_refused_but_sticky_tmp_is_not(tmp_path: Path) -> None:
    parent = tmp_path / "shared"
    parent.mkdir()
    parent.chmod(0o777)
    folder = parent / "client"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    source = write(tmp_path / "c.json", make_config())
    with pytest.raises(UnsafeDestination, match=f"the parent folder {parent} is writable"):
        plan_install(source, folder)

    if Path("/tmp").stat().st_mode & stat.S_ISVTX:
        parent.chmod(0o1777 if IS_ROOT else 0o755)
        plan_install(source, folder)  # a sticky, root-owned parent is accepted


def test_folder_owned_by_another_user_is_refused_when_root(tmp_path: Path, dest: Path) -> None:
    require_root()
    os.chown(dest, 4242, 0)
    with pytest.raises(UnsafeDestination) as caught:
        plan_install(write(tmp_path / "c.json", make_config()), dest)
    assert caught.value.message.startswith(
        f"refusing to install into {dest}: the folder is owned by uid 4242"
    )
    assert caught.value.message.endswith(", not by root")


def test_backup_folder_link_is_refused(tmp_path: Path, dest: Path) -> None:
    install(write(tmp_path / "a.json", make_config()), dest)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (dest / ".backup").symlink_to(elsewhere, target_is_directory=True)
    plan = plan_install(write(tmp_path / "b.json", make_config(region="eu-west-1")), dest)
    with pytest.raises(UnsafeDestination, match="it is a link or not a folder"):
        execute_install(plan)
    assert list(elsewhere.iterdir()) == []
    assert parse_config((dest / FILE_NAME).read_bytes(), "x").region == "eu-central-1"


# --- no rights, elevation -------------------------------------------------------------


def test_read_only_folder_without_elevation_gives_clear_error(tmp_path: Path, dest: Path) -> None:
    plan = plan_install(write(tmp_path / "c.json", make_config()), dest, privileges=UNPRIVILEGED)
    with pytest.raises(PermissionDenied) as caught:
        execute_install(plan, elevator=NoElevation(), privileges=UNPRIVILEGED)
    assert caught.value.message == (
        f"cannot write to {dest}: administrator rights are needed and elevation is turned off"
    )
    assert caught.value.hint == "Run the command as an administrator (for example with sudo)."
    assert list(dest.iterdir()) == []


def test_elevated_install_runs_the_real_helper(tmp_path: Path, dest: Path) -> None:
    require_root()
    old = make_config()
    install(write(tmp_path / "a.json", old), dest)
    new = make_config(region="eu-west-1")
    plan = plan_install(write(tmp_path / "b.json", new), dest, privileges=UNPRIVILEGED)

    result = execute_install(plan, elevator=DirectElevator(), privileges=UNPRIVILEGED)

    assert result.elevated and result.changed
    assert (dest / FILE_NAME).read_bytes() == new
    assert result.backup is not None and result.backup.read_bytes() == old


def test_elevated_install_reports_the_helpers_refusal(tmp_path: Path, dest: Path) -> None:
    require_root()
    plan = plan_install(write(tmp_path / "c.json", make_config()), dest, privileges=UNPRIVILEGED)
    dest.chmod(0o777)
    with pytest.raises(UnsafeDestination) as caught:
        execute_install(plan, elevator=DirectElevator(), privileges=UNPRIVILEGED)
    assert caught.value.message == (
        f"refusing to install into {dest}: the folder is writable by group or others (mode 0777)"
    )


def test_cancelled_elevation_changes_nothing_and_cleans_staging(
    tmp_path: Path, dest: Path
) -> None:
    old = make_config()
    install(write(tmp_path / "a.json", old), dest)
    plan = plan_install(write(tmp_path / "b.json", make_config(region="eu-west-1")), dest)
    seen: list[list[str]] = []

    class Cancelling:
        name = "fake"

        def run(self, argv: list[str]) -> int:
            seen.append(list(argv))
            raise ElevationCancelled("the administrator prompt was dismissed")

    with pytest.raises(ElevationCancelled):
        execute_install(plan, elevator=Cancelling(), privileges=UNPRIVILEGED)

    assert (dest / FILE_NAME).read_bytes() == old
    staged = Path(seen[0][seen[0].index("--staged") + 1])
    assert staged.name == FILE_NAME
    assert not staged.parent.exists()
    assert seen[0][1:4] == ["-I", "-m", "vaclient.config.elevated"]


# --- remove, restore, list -------------------------------------------------------------


def test_remove_then_restore_round_trip(tmp_path: Path, dest: Path) -> None:
    data = make_config()
    install(write(tmp_path / "a.json", data), dest)

    backup = remove_installed(INSTANCE, dest)
    assert not (dest / FILE_NAME).exists()
    assert backup.read_bytes() == data

    plan = plan_restore(INSTANCE, dest)
    assert plan.config.raw == data and plan.existing is None
    result = restore_backup(INSTANCE, dest)
    assert result.changed and (dest / FILE_NAME).read_bytes() == data


def test_remove_unknown_and_malformed_instance(dest: Path) -> None:
    with pytest.raises(InstallError) as caught:
        remove_installed(INSTANCE, dest)
    assert caught.value.message == (
        f"no configuration for {INSTANCE} is installed ({dest / FILE_NAME} does not exist)"
    )
    with pytest.raises(UsageError, match="is not a Verified Access instance ID"):
        remove_installed("../../etc/passwd", dest)


def test_backups_are_bounded(tmp_path: Path, dest: Path) -> None:
    for index in range(store.MAX_BACKUPS + 3):
        install(write(tmp_path / f"{index}.json", make_config(region=f"eu-west-{index}")), dest)
    backups = sorted((dest / ".backup").iterdir())
    assert len(backups) == store.MAX_BACKUPS
    regions = [parse_config(p.read_bytes(), p.name).region for p in backups]
    assert regions == [f"eu-west-{i}" for i in range(2, store.MAX_BACKUPS + 2)]


def test_list_installed_shows_valid_invalid_links_and_backups(tmp_path: Path, dest: Path) -> None:
    other = "vai-0000000000000000a"
    install(write(tmp_path / "a.json", make_config()), dest)
    install(write(tmp_path / "b.json", make_config(region="eu-west-1")), dest)
    install(write(tmp_path / "c.json", make_config(instance=other)), dest)
    remove_installed(other, dest)
    (dest / "ClientConfig-broken.json").write_bytes(b"[]")
    (dest / "ClientConfig-link.json").symlink_to(dest / FILE_NAME)
    (dest / "notes.txt").write_bytes(b"ignored")

    listed = {entry.path.name: entry for entry in list_installed(dest)}

    assert sorted(listed) == sorted(
        [
            FILE_NAME,
            "ClientConfig-broken.json",
            "ClientConfig-link.json",
            f"ClientConfig-{other}.json",
        ]
    )
    good = listed[FILE_NAME]
    assert good.config is not None and good.config.region == "eu-west-1"
    assert len(good.backups) == 1
    assert listed["ClientConfig-broken.json"].error is not None
    link = listed["ClientConfig-link.json"].error
    assert link is not None and link.problem == "is a symbolic link (not read)"
    gone = listed[f"ClientConfig-{other}.json"]
    assert gone.config is None and gone.error is None and len(gone.backups) == 1


def test_list_of_missing_folder_is_empty(tmp_path: Path) -> None:
    assert list_installed(tmp_path / "nothing-here") == []


def test_restore_refuses_a_backup_folder_others_may_write(tmp_path: Path, dest: Path) -> None:
    install(write(tmp_path / "a.json", make_config()), dest)
    remove_installed(INSTANCE, dest)
    (dest / ".backup").chmod(0o777)
    with pytest.raises(UnsafeDestination) as caught:
        plan_restore(INSTANCE, dest)
    assert caught.value.message == (
        f"refusing to install into {dest / '.backup'}: the folder is writable by group or "
        "others (mode 0777)"
    )


def test_restore_refuses_a_backup_file_others_may_write(tmp_path: Path, dest: Path) -> None:
    install(write(tmp_path / "a.json", make_config()), dest)
    backup = remove_installed(INSTANCE, dest)
    backup.chmod(0o666)
    with pytest.raises(UnsafeDestination, match="writable by group or others"):
        plan_restore(INSTANCE, dest)


def test_restore_refuses_a_backup_that_is_a_link(tmp_path: Path, dest: Path) -> None:
    install(write(tmp_path / "a.json", make_config()), dest)
    backup = remove_installed(INSTANCE, dest)
    elsewhere = tmp_path / "elsewhere.json"
    backup.rename(elsewhere)
    backup.symlink_to(elsewhere)
    with pytest.raises(UnsafeDestination) as caught:
        plan_restore(INSTANCE, dest)
    assert caught.value.message.startswith(f"refusing to restore {backup}: ")
