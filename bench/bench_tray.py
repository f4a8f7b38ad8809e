"""Benchmark the end-user side: tray start-up, memory, idle CPU, and ``vaclient status``.

Usage::

    python3 bench/bench_tray.py [--runs 10] [--idle 60] [--write docs/benchmarks.md]

Measures, with Qt's offscreen platform (no display needed):

- *start to icon shown*: from ``Popen`` of ``vaclient tray`` until it prints
  ``vaclient-tray-shown`` (``VACLIENT_TRAY_EXIT_AFTER_SHOW=1``); the part
  after the imports (creating the QApplication to the icon shown) is the
  figure the process prints.
- *RSS after start*: resident memory two seconds after the icon is shown.
- *idle CPU*: CPU time used over ``--idle`` seconds with the monitor running
  (a quick-status poll every 5 s, the doctor at start and at its interval).
- *status*: ``vaclient status --json`` wall time over ``--runs`` runs,
  beside ``python3 -c pass`` for the interpreter's own start-up.

Every run uses temporary settings, log and configuration folders holding the
example ClientConfig, so the machine's own state does not matter.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import psutil
from markdown_section import write_section

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "resources" / "examples" / "ClientConfig-vai-0123456789abcdef0.json"
START, END = "<!-- bench:tray:start -->", "<!-- bench:tray:end -->"


def _env(base: Path, **extra: str) -> dict[str, str]:
    """Isolated folders plus offscreen Qt."""
    configs = base / "configs"
    configs.mkdir(parents=True, exist_ok=True)
    (configs / EXAMPLE.name).write_bytes(EXAMPLE.read_bytes())
    return {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "VACLIENT_SETTINGS_DIR": str(base / "settings"),
        "VACLIENT_LOG_DIR": str(base / "logs"),
        "VACLIENT_CONFIG_DIR": str(configs),
        **extra,
    }


def time_to_shown(runs: int, base: Path) -> tuple[list[float], list[float]]:
    """Wall and self-reported seconds from start to the icon shown, per run."""
    env = _env(base, VACLIENT_TRAY_EXIT_AFTER_SHOW="1")
    walls, owns = [], []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-m", "vaclient", "tray"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        assert proc.stdout is not None
        line = proc.stdout.readline()
        walls.append(time.perf_counter() - start)
        proc.wait(timeout=60)
        match = re.match(r"vaclient-tray-shown ([0-9.]+)", line)
        if not match:
            sys.exit(f"bench: unexpected output from the tray: {line!r}")
        owns.append(float(match.group(1)))
    return walls, owns


def idle(seconds: float, base: Path) -> tuple[float, float]:
    """(RSS in MiB after start, CPU percent of one core over ``seconds`` idle)."""
    env = _env(base)
    log = base / "logs" / "vaclient.log"
    proc = subprocess.Popen(
        [sys.executable, "-m", "vaclient", "tray"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if log.exists() and "tray shown after" in log.read_text(encoding="utf-8"):
                break
            time.sleep(0.1)
        else:
            sys.exit("bench: the tray did not start within 60 s")
        time.sleep(2)
        ps = psutil.Process(proc.pid)
        rss = ps.memory_info().rss / (1024 * 1024)
        before = ps.cpu_times()
        time.sleep(seconds)
        after = ps.cpu_times()
        used = (after.user - before.user) + (after.system - before.system)
        return rss, 100 * used / seconds
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def status_times(runs: int, base: Path) -> tuple[list[float], list[float]]:
    """Wall seconds of ``vaclient status --json`` and of ``python3 -c pass``."""
    env = _env(base)
    status, bare = [], []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "vaclient", "--no-log-file", "status", "--json"],
            env=env,
            stdout=subprocess.DEVNULL,
            check=False,
        )
        status.append(time.perf_counter() - start)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], env=env, check=True)
        bare.append(time.perf_counter() - start)
    return status, bare


def _spread(values: list[float]) -> str:
    return f"{statistics.median(values):.3f} (min {min(values):.3f}, max {max(values):.3f})"


def render(args: argparse.Namespace, results: dict[str, object]) -> str:
    """The Markdown section for docs/benchmarks.md."""
    walls, owns = results["shown"]  # type: ignore[misc]
    rss, cpu = results["idle"]  # type: ignore[misc]
    status, bare = results["status"]  # type: ignore[misc]
    cpu_name = platform.processor() or platform.machine()
    return "\n".join(
        [
            START,
            "## Tray and `vaclient status`",
            "",
            f"Made by `python3 bench/bench_tray.py --runs {args.runs} --idle {args.idle:g} "
            f"--write docs/benchmarks.md` on {date.today().isoformat()}.",
            f"Machine: {cpu_name}, {psutil.cpu_count()} CPUs, {platform.system()} "
            f"{platform.release()}, Python {platform.python_version()}, Qt offscreen platform.",
            "Seconds as median (min, max) unless marked.",
            "",
            "| measure | result |",
            "| --- | ---: |",
            f"| `vaclient tray`: start to icon shown, wall | {_spread(walls)} |",
            f"| of which QApplication created to icon shown | {_spread(owns)} |",
            f"| `vaclient tray`: RSS 2 s after the icon is shown | {rss:.0f} MiB |",
            f"| `vaclient tray`: CPU over {args.idle:g} s idle, monitor running "
            f"| {cpu:.2f} % of one core |",
            f"| `vaclient status --json` (target < 0.5) | {_spread(status)} |",
            f"| `python3 -c pass`, for comparison | {_spread(bare)} |",
            "",
            "- The idle monitor polls the quick status every 5 s on a worker thread and "
            "runs the doctor at start and then at the settings interval (300 s by default).",
            "- `vaclient status` imports neither PySide6, dnspython nor boto3 "
            "(tests/unit/test_status.py checks it), and the CLI imports only the module "
            "of the command that runs; `python3 -X importtime -m vaclient status` shows "
            "what remains. This machine compiles modules on every run "
            "(PYTHONDONTWRITEBYTECODE=1); an install with bytecode caches starts faster.",
            END,
        ]
    )


def main() -> int:
    """Run the measurements and print (or write) the section."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--idle", type=float, default=60.0)
    parser.add_argument("--write", type=Path, help="update this Markdown file's tray section")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="vaclient-bench-") as tmp:
        base = Path(tmp)
        results = {
            "shown": time_to_shown(args.runs, base / "shown"),
            "status": status_times(args.runs, base / "status"),
            "idle": idle(args.idle, base / "idle"),
        }
    section = render(args, results)
    print(section)
    if args.write:
        write_section(args.write, section, START, END)
    return 0


if __name__ == "__main__":
    sys.exit(main())
