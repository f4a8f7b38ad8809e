"""The runner: concurrency, blocking, deadline, crashes."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from vaclient.checks.model import Stage, Status
from vaclient.checks.runner import (
    DEADLINE_CODE,
    ERROR_CODE,
    Outcome,
    Step,
    StepContext,
    fail,
    ok,
    run_chains,
    skip,
)


@pytest.fixture
def release() -> Iterator[threading.Event]:
    """An event stuck steps wait on; set at teardown so no thread outlives the test."""
    event = threading.Event()
    yield event
    event.set()


def _const(outcome: Outcome):
    return lambda ctx: outcome


def test_chains_run_concurrently() -> None:
    barrier = threading.Barrier(3, timeout=2)

    def meet(_: StepContext) -> Outcome:
        barrier.wait()  # only passes when all three chains run at the same time
        return ok("met")

    chains = [[Step(f"c{i}", f"chain {i}", Stage.PREREQ, meet)] for i in range(3)]

    results = run_chains(chains, deadline_s=5)

    assert [r.status for r in results] == [Status.OK] * 3
    assert all(r.duration_ms is not None for r in results)


def test_failed_need_blocks_with_the_root_cause_named() -> None:
    chains = [
        [Step("a", "A", Stage.PREREQ, _const(fail("ipv6-disabled", "off")))],
        [
            Step("b", "B", Stage.DNS, _const(ok("never")), needs=("a",)),
            Step("c", "C", Stage.TCP, _const(ok("never")), needs=("b",)),
        ],
    ]

    a, b, c = run_chains(chains, deadline_s=5)

    assert a.status is Status.FAIL and a.hint  # catalogue hint filled in
    assert (b.status, b.blocked_by) == (Status.SKIP, "a")
    assert (c.status, c.blocked_by) == (Status.SKIP, "a")
    assert b.message == "not run: a failed"


def test_plain_skip_and_warn_do_not_block() -> None:
    chains = [
        [
            Step("a", "A", Stage.DNS, _const(skip("address given"))),
            Step("b", "B", Stage.DNS, _const(Outcome(Status.WARN, "dns-mismatch", "differs"))),
            Step("c", "C", Stage.TCP, _const(ok("ran")), needs=("a", "b")),
        ]
    ]

    results = run_chains(chains, deadline_s=5)

    assert results[2].status is Status.OK


def test_values_are_shared_within_a_chain_and_closed_at_the_end() -> None:
    closed = []

    def first(ctx: StepContext) -> Outcome:
        ctx.values["address"] = "2001:db8::10"
        ctx.values["close"] = lambda: closed.append(True)
        return ok("stored")

    def second(ctx: StepContext) -> Outcome:
        return ok(ctx.values["address"])

    results = run_chains(
        [[Step("a", "A", Stage.DNS, first), Step("b", "B", Stage.TCP, second)]], deadline_s=5
    )

    assert results[1].message == "2001:db8::10"
    assert closed == [True]


def test_deadline_ends_a_stuck_check_and_skips_the_rest(release: threading.Event) -> None:
    def stuck(_: StepContext) -> Outcome:
        release.wait(30)
        return ok("too late")

    chains = [
        [
            Step("dns", "DNS", Stage.DNS, stuck, deadline_code="dns-timeout"),
            Step("tcp", "TCP", Stage.TCP, _const(ok("never")), needs=("dns",)),
        ],
        [Step("info", "Info", Stage.DNS, stuck, deadline_status=Status.SKIP, deadline_code=None)],
        [Step("quick", "Quick", Stage.PREREQ, _const(ok("fast")))],
    ]

    started = time.monotonic()
    dns, tcp, info, quick = run_chains(chains, deadline_s=0.5)
    elapsed = time.monotonic() - started

    assert elapsed < 5
    assert (dns.status, dns.code) == (Status.FAIL, "dns-timeout")
    assert dns.message == "deadline reached: the check did not finish in time"
    assert (tcp.status, tcp.blocked_by) == (Status.SKIP, "dns")
    assert (info.status, info.code) == (Status.SKIP, None)
    assert quick.status is Status.OK


def test_deadline_default_code(release: threading.Event) -> None:
    results = run_chains(
        [[Step("slow", "Slow", Stage.PREREQ, lambda ctx: release.wait(30) and ok(""))]],
        deadline_s=0.2,
    )

    assert results[0].code == DEADLINE_CODE


def test_late_results_are_ignored(release: threading.Event) -> None:
    def stuck(_: StepContext) -> Outcome:
        release.wait(30)
        return ok("late")

    results = run_chains([[Step("s", "S", Stage.DNS, stuck)]], deadline_s=0.2)
    release.set()
    time.sleep(0.05)

    assert results[0].status is Status.FAIL


def test_a_crashing_check_becomes_a_failure() -> None:
    def crash(_: StepContext) -> Outcome:
        raise RuntimeError("boom")

    results = run_chains([[Step("x", "X", Stage.PREREQ, crash)]], deadline_s=5)

    assert (results[0].status, results[0].code) == (Status.FAIL, ERROR_CODE)
    assert results[0].message == "the check itself failed: RuntimeError"


def test_wait_reads_another_chains_result() -> None:
    def later(ctx: StepContext) -> Outcome:
        other = ctx.wait("first")
        return ok(f"saw {other.message if other else None}")

    def first(_: StepContext) -> Outcome:
        time.sleep(0.05)
        return ok("hello")

    results = run_chains(
        [[Step("later", "L", Stage.DNS, later)], [Step("first", "F", Stage.DNS, first)]],
        deadline_s=5,
    )

    assert results[0].message == "saw hello"


def test_plan_errors_are_rejected() -> None:
    step = Step("a", "A", Stage.PREREQ, _const(ok("")))
    with pytest.raises(ValueError, match="duplicate"):
        run_chains([[step], [step]], deadline_s=1)
    with pytest.raises(ValueError, match="not planned"):
        run_chains([[Step("b", "B", Stage.DNS, _const(ok("")), needs=("zzz",))]], deadline_s=1)
