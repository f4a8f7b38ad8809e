"""The check runner: chains in parallel, one deadline for the whole run.

A plan is a list of *chains*. Each chain is a list of :class:`Step` objects
run one after the other in a daemon thread of its own; chains run
concurrently. A step may name the checks it ``needs``: before it runs, the
runner waits for those results (from any chain) and, when one of them
failed or was itself blocked, records this step as ``skip`` with
``blocked_by`` naming the failed check instead of running it. A step may
also :meth:`StepContext.wait` for another check's result without being
gated by it (to compare two answers, say).

The run ends at its deadline whatever the threads are doing. A step still
running then is recorded with its ``deadline_status`` and
``deadline_code`` ("deadline reached"); the steps that did not start are
``skip``. Threads are daemons and never joined after the deadline, so a
stuck OS call cannot hold the run (or the process exit) hostage; their late
results are ignored.

Why threads per chain rather than a pool: a pool's workers are joined at
interpreter exit, and a step waiting for another chain's result would hold
a worker that the other chain might need.

Every thread is started before any chain begins (they wait for one "go"
signal). ``Thread.start`` waits until the new thread runs; with chains
already busy, each start had to win the interpreter lock back from them,
and with 50 endpoints (150 chains) the last chain began more than half a
second after the first.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from vaclient.checks.codes import hint_for
from vaclient.checks.model import CheckResult, Stage, Status

logger = logging.getLogger(__name__)

#: The code a check gets when the deadline ends it (unless its step says otherwise).
DEADLINE_CODE = "check-timeout"
#: The code of a check that crashed (a bug, reported instead of a traceback).
ERROR_CODE = "check-error"


@dataclass(frozen=True)
class Outcome:
    """What a step found; the runner adds id, title, stage, target and timing.

    ``hint`` defaults to the catalogue hint of ``code``.
    """

    status: Status
    code: str | None = None
    message: str = ""
    data: Mapping[str, Any] = field(default_factory=dict)
    hint: str | None = None
    blocked_by: str | None = None


def ok(message: str, **data: Any) -> Outcome:
    """A passed check."""
    return Outcome(Status.OK, None, message, data)


def fail(code: str, message: str, **data: Any) -> Outcome:
    """A failed check with its finding code."""
    return Outcome(Status.FAIL, code, message, data)


def warn(code: str | None, message: str, **data: Any) -> Outcome:
    """A warning (does not fail the run)."""
    return Outcome(Status.WARN, code, message, data)


def skip(message: str, *, blocked_by: str | None = None, **data: Any) -> Outcome:
    """A check that did not run: not applicable, or blocked by ``blocked_by``."""
    return Outcome(Status.SKIP, None, message, data, blocked_by=blocked_by)


class StepContext:
    """What a running step can see: other checks' results and its chain's values.

    ``values`` is shared by the steps of one chain (a resolved address, an
    open connection); it is not shared between chains.
    """

    def __init__(self, run: _Run, values: dict[str, Any]) -> None:
        self._run = run
        self.values = values

    def result(self, check_id: str) -> CheckResult | None:
        """The result of ``check_id`` if it is already known."""
        return self._run.get(check_id)

    def wait(self, check_id: str) -> CheckResult | None:
        """Wait for ``check_id`` to finish; None if the deadline comes first."""
        return self._run.wait_for(check_id)

    def remaining(self) -> float:
        """Seconds left until the run's deadline (never negative)."""
        return max(0.0, self._run.deadline - time.monotonic())


@dataclass(frozen=True)
class Step:
    """One check in a chain.

    Attributes:
        id: the check id (``dns.aaaa:app.example.com``).
        title: a short human title.
        stage: causal stage (decides the primary finding).
        run: the check itself; returns an :class:`Outcome`.
        target: ``HOST:PORT`` for endpoint checks.
        needs: checks that must not have failed for this one to run.
        deadline_status: what this check becomes if the deadline ends it.
        deadline_code: the code it gets then.
    """

    id: str
    title: str
    stage: Stage
    run: Callable[[StepContext], Outcome]
    target: str | None = None
    needs: tuple[str, ...] = ()
    deadline_status: Status = Status.FAIL
    deadline_code: str | None = DEADLINE_CODE


def blocker(result: CheckResult | None) -> str | None:
    """The failed check that ``result`` stands for as a precondition, else None.

    A failure blocks by itself; a skip that was blocked passes its blocker
    on, so ``blocked_by`` always names the failure at the root. Passed,
    warned and plainly skipped (not applicable) checks do not block.
    """
    if result is None:
        return None
    if result.status is Status.FAIL:
        return result.id
    if result.status is Status.SKIP and result.blocked_by:
        return result.blocked_by
    return None


class _Run:
    """Shared, lock-protected state of one run.

    Each check has its own event, set when its result is recorded (or when
    the run closes), so a waiter wakes only for the check it waits for:
    one condition for all results woke every waiting chain at every result,
    which with 50 endpoints was tens of thousands of useless wake-ups.
    """

    def __init__(self, steps: Sequence[Step], deadline: float) -> None:
        self.deadline = deadline
        self.steps = {s.id: s for s in steps}
        self.results: dict[str, CheckResult] = {}
        self.running: dict[str, float] = {}
        self.closed = False
        self.lock = threading.Lock()
        self.recorded = {s.id: threading.Event() for s in steps}
        #: Set when every step has a result, or when the run closes.
        self.finished = threading.Event()
        #: Set once every chain's thread has started: the chains begin together.
        self.go = threading.Event()

    def get(self, check_id: str) -> CheckResult | None:
        with self.lock:
            return self.results.get(check_id)

    def wait_for(self, check_id: str) -> CheckResult | None:
        event = self.recorded.get(check_id, self.finished)
        remaining = self.deadline - time.monotonic()
        if remaining > 0:
            event.wait(remaining)
        with self.lock:
            return self.results.get(check_id)

    def start(self, check_id: str) -> bool:
        with self.lock:
            if self.closed:
                return False
            self.running[check_id] = time.perf_counter()
            return True

    def record(self, result: CheckResult) -> None:
        with self.lock:
            self.running.pop(result.id, None)
            if self.closed:
                logger.debug("late result of %s ignored (deadline passed)", result.id)
                return
            self.results[result.id] = result
            complete = len(self.results) >= len(self.steps)
        event = self.recorded.get(result.id)
        if event is not None:
            event.set()
        if complete:
            self.finished.set()

    def close(self) -> tuple[dict[str, CheckResult], dict[str, float]]:
        """End the run: later results are ignored and every waiter wakes up."""
        with self.lock:
            self.closed = True
            results, running = dict(self.results), dict(self.running)
        self.finished.set()
        for event in self.recorded.values():
            event.set()
        return results, running


def _build(step: Step, outcome: Outcome, duration_ms: float | None) -> CheckResult:
    """Turn a step's outcome into a :class:`CheckResult`."""
    hint = outcome.hint
    if hint is None and outcome.status in (Status.FAIL, Status.WARN):
        hint = hint_for(outcome.code)
    return CheckResult(
        id=step.id,
        title=step.title,
        status=outcome.status,
        code=outcome.code,
        message=outcome.message,
        hint=hint,
        target=step.target,
        blocked_by=outcome.blocked_by,
        duration_ms=duration_ms,
        data=dict(outcome.data),
        stage=step.stage,
    )


def _run_chain(run: _Run, chain: Sequence[Step]) -> None:
    """Run one chain's steps in order, honouring ``needs``."""
    run.go.wait()
    values: dict[str, Any] = {}
    ctx = StepContext(run, values)
    try:
        for step in chain:
            blocked = None
            for need in step.needs:
                blocked = blocker(run.wait_for(need))
                if blocked:
                    break
            if blocked:
                run.record(
                    _build(step, skip(f"not run: {blocked} failed", blocked_by=blocked), None)
                )
                continue
            if not run.start(step.id):
                return
            started = time.perf_counter()
            try:
                outcome = step.run(ctx)
            except Exception as err:  # a bug in a check must not sink the report
                logger.exception("check %s crashed", step.id)
                outcome = fail(ERROR_CODE, f"the check itself failed: {type(err).__name__}")
            run.record(_build(step, outcome, (time.perf_counter() - started) * 1000))
    finally:
        closer = values.get("close")
        if callable(closer):
            closer()


def run_chains(chains: Sequence[Sequence[Step]], deadline_s: float) -> list[CheckResult]:
    """Run ``chains`` concurrently and return every step's result in plan order.

    Args:
        chains: lists of steps; each list runs sequentially in its own thread.
        deadline_s: seconds from now after which the run ends regardless.

    Returns:
        One result per step, in the order the steps appear in ``chains``.

    Raises:
        ValueError: two steps share an id, or a step needs an unknown check.
    """
    steps = [step for chain in chains for step in chain]
    ids = [s.id for s in steps]
    if len(set(ids)) != len(ids):
        raise ValueError(
            f"duplicate check ids in plan: {sorted({i for i in ids if ids.count(i) > 1})}"
        )
    unknown = {n for s in steps for n in s.needs} - set(ids)
    if unknown:
        raise ValueError(f"steps need checks that are not planned: {sorted(unknown)}")

    run = _Run(steps, time.monotonic() + deadline_s)
    threads = [
        threading.Thread(
            target=_run_chain, args=(run, chain), name=f"check-{chain[0].id}", daemon=True
        )
        for chain in chains
        if chain
    ]
    try:
        for thread in threads:
            thread.start()
    finally:
        run.go.set()

    remaining = run.deadline - time.monotonic()
    if steps and remaining > 0:
        run.finished.wait(remaining)
    results, running = run.close()

    if len(results) < len(steps):
        logger.warning(
            "deadline of %.1f s reached with %d of %d checks unfinished",
            deadline_s,
            len(steps) - len(results),
            len(steps),
        )
        _fill_unfinished(chains, results, running)
    return [results[s.id] for s in steps]


def _fill_unfinished(
    chains: Sequence[Sequence[Step]],
    results: dict[str, CheckResult],
    running: Mapping[str, float],
) -> None:
    """Record the deadline's verdict for every step that has no result."""
    now = time.perf_counter()
    for chain in chains:
        stuck: str | None = None
        for step in chain:
            if step.id in results:
                continue
            if step.id in running:
                stuck = step.id if step.deadline_status is Status.FAIL else None
                outcome = Outcome(
                    step.deadline_status,
                    step.deadline_code,
                    "deadline reached: the check did not finish in time",
                )
                results[step.id] = _build(step, outcome, (now - running[step.id]) * 1000)
                continue
            results[step.id] = _build(
                step, skip("not run: deadline reached", blocked_by=stuck), None
            )
