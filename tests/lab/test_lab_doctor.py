"""``vaclient doctor`` against a real tunnel, DNS server, services and faults.

Each test runs the doctor as a subprocess in the lab's client namespace and
checks the report contract: ``summary.primary.code`` names the root cause
and ``endpoints[].code`` names each endpoint's own. Every run must also end
within its deadline (about twice ``--timeout`` plus start-up), whatever the
fault; the bound here is generous because it proves "nothing hangs", not
speed (that is measured in bench/).
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from tests.lab.labkit.clientconfig import secrets_of
from tests.lab.labkit.doctor import DoctorRun
from tests.lab.labkit.lab import DB_ADDR, SSH_ADDR, Lab

pytestmark = pytest.mark.lab

Doctor = Callable[..., DoctorRun]
TIMEOUT = 2.0
# The contract's deadline is about 2 x --timeout plus start-up; 5 s of slack
# covers interpreter start-up on a loaded 2-core machine.
WALL_LIMIT = 2 * TIMEOUT + 5.0

SSH = "ssh.lab.example:22"
DB = "db.lab.example:6379"


def assert_verdict(
    run: DoctorRun,
    primary: str | None,
    endpoints: dict[str, str | None],
    *,
    exit_code: int = 1,
) -> None:
    """The run ended in time, with this primary code and these endpoint codes."""
    assert run.report is not None, run.describe()
    assert run.elapsed < WALL_LIMIT, run.describe()
    assert run.report["schema"] == "vaclient.report/1"
    assert run.primary_code == primary, run.describe()
    assert run.endpoint_codes == endpoints, run.describe()
    assert run.returncode == exit_code, run.describe()
    if primary is not None:
        assert run.status == "fail"


def assert_blocked_endpoint(run: DoctorRun, root_check: str) -> None:
    """The only endpoint was skipped, and its blocked checks name ``root_check``.

    A check whose precondition failed is a skip naming the failure, never a
    second failure, so the endpoint's own code stays null.
    """
    report = run.report or {}
    assert [e["status"] for e in report["endpoints"]] == ["skip"], run.describe()
    blocked = {c["blocked_by"] for c in report["checks"] if c["status"] == "skip"}
    assert root_check in blocked, run.describe()
    failed = {c["code"] for c in report["checks"] if c["status"] == "fail"}
    assert failed == {run.primary_code}, run.describe()


def test_healthy(lab: Lab, doctor: Doctor, tmp_path_factory: pytest.TempPathFactory) -> None:
    document = lab.client_config()
    config = lab.write_client_config(tmp_path_factory.mktemp("cfg"), document)

    run = doctor(lab, [SSH, DB], configs=[config], timeout=TIMEOUT)

    assert_verdict(run, None, {SSH: None, DB: None}, exit_code=0)
    assert run.status in {"ok", "warn"}
    endpoints = (run.report or {})["endpoints"]
    assert {e["target"]: e["address"] for e in endpoints} == {SSH: SSH_ADDR, DB: DB_ADDR}
    assert all(e["status"] in {"ok", "warn"} for e in endpoints)
    for secret in secrets_of(document):
        assert secret not in run.stdout
        assert secret not in run.stderr


@pytest.mark.parametrize(
    ("endpoint", "code"),
    [
        ("v4only.lab.example:22", "dns-no-aaaa"),
        ("missing.lab.example:22", "dns-nxdomain"),
        ("app.fail.lab.example:22", "dns-servfail"),
        ("app.example.net:22", "dns-servfail"),  # dnsmasq answers REFUSED
        ("app.silent.lab.example:22", "dns-timeout"),  # upstream never answers
        ("outside.lab.example:22", "address-outside-routes"),
        ("ssh.lab.example:23", "tcp-refused"),
    ],
)
def test_one_endpoint_fault(lab: Lab, doctor: Doctor, endpoint: str, code: str) -> None:
    run = doctor(lab, [endpoint, SSH], timeout=TIMEOUT)

    assert_verdict(run, code, {endpoint: code, SSH: None})


def test_dns_server_never_answers(lab: Lab, doctor: Doctor) -> None:
    lab.drop_dns()

    run = doctor(lab, [SSH, DB], timeout=TIMEOUT)

    assert_verdict(run, "dns-timeout", {SSH: "dns-timeout", DB: "dns-timeout"})


def test_dropped_syn(lab: Lab, doctor: Doctor) -> None:
    lab.drop_syn(SSH_ADDR, 22)

    run = doctor(lab, [SSH, DB], timeout=TIMEOUT)

    assert_verdict(run, "tcp-timeout", {SSH: "tcp-timeout", DB: None})


def test_icmp_prohibited(lab: Lab, doctor: Doctor) -> None:
    lab.reject_prohibited(DB_ADDR, 6379)

    run = doctor(lab, [SSH, DB], timeout=TIMEOUT)

    assert_verdict(run, "tcp-unreachable", {SSH: None, DB: "tcp-unreachable"})


def test_route_missing(lab: Lab, doctor: Doctor) -> None:
    lab.remove_tunnel_route()

    run = doctor(lab, [SSH], timeout=TIMEOUT)

    assert_verdict(run, "route-missing", {SSH: "route-missing"})


def test_route_through_the_wrong_interface(lab: Lab, doctor: Doctor) -> None:
    lab.route_via_other_interface("2001:db8:ac:1::/64")

    run = doctor(lab, [SSH, DB], timeout=TIMEOUT)

    assert_verdict(
        run, "route-wrong-interface", {SSH: "route-wrong-interface", DB: "route-wrong-interface"}
    )


def test_invalid_config(
    lab: Lab, doctor: Doctor, tmp_path_factory: pytest.TempPathFactory
) -> None:
    document = lab.client_config(routes=["2001:db8:ac::/129"])
    config = lab.write_client_config(tmp_path_factory.mktemp("cfg"), document)

    run = doctor(lab, [SSH], configs=[config], timeout=TIMEOUT)

    assert run.report is not None, run.describe()
    assert run.primary_code == "config-invalid", run.describe()
    assert run.elapsed < WALL_LIMIT
    assert run.returncode == 1
    assert "2001:db8:ac::/129" in json.dumps(run.report["summary"]), "names the bad value"
    for secret in secrets_of(document):
        assert secret not in run.stdout


def test_several_faults_in_one_run(lab: Lab, doctor: Doctor) -> None:
    lab.drop_syn(SSH_ADDR, 2222)
    lab.reject_prohibited(DB_ADDR, 6379)
    expected = {
        SSH: None,
        "ssh.lab.example:2222": "tcp-timeout",
        DB: "tcp-unreachable",
        "ssh.lab.example:23": "tcp-refused",
        "outside.lab.example:22": "address-outside-routes",
        "v4only.lab.example:22": "dns-no-aaaa",
        "missing.lab.example:22": "dns-nxdomain",
        "app.silent.lab.example:22": "dns-timeout",
        "app.fail.lab.example:22": "dns-servfail",
    }

    run = doctor(lab, list(expected), timeout=TIMEOUT)

    assert run.report is not None, run.describe()
    assert run.endpoint_codes == expected, run.describe()
    assert run.elapsed < WALL_LIMIT, run.describe()
    assert run.status == "fail"
    assert run.returncode == 1
    # DNS comes first in causal order, so a DNS failure is the primary finding.
    assert run.primary_code in {"dns-no-aaaa", "dns-nxdomain", "dns-timeout", "dns-servfail"}


def test_tunnel_down(make_lab: Callable[..., Lab], doctor: Doctor) -> None:
    lab = make_lab()
    lab.stop_client_tunnel()

    run = doctor(lab, [SSH], timeout=TIMEOUT)

    assert_verdict(run, "tunnel-down", {SSH: None})
    assert_blocked_endpoint(run, "tunnel.interface")


def test_ipv6_disabled(make_lab: Callable[..., Lab], doctor: Doctor) -> None:
    lab = make_lab()
    lab.disable_ipv6()

    run = doctor(lab, [SSH], timeout=TIMEOUT)

    assert_verdict(run, "ipv6-disabled", {SSH: None})
    assert_blocked_endpoint(run, "ipv6.config")
