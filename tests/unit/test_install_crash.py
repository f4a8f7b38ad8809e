"""Killing an install at random moments never leaves a partial or missing file.

A child process installs two configurations in turn, as fast as it can, and
is killed with SIGKILL after a random delay; this repeats many times. After
every kill the target must be one of the two files, complete, and no other
file the client would load (``ClientConfig-*.json``) may exist.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.unit.test_install import FILE_NAME, make_config
from vaclient.config.atomic import is_temp_name
from vaclient.config.install import execute_install, plan_install
from vaclient.config.model import parse_config

KILLS = 60
#: An install takes a few fsyncs (20-40 ms here), so kills land before, during
#: and after the first replacement; 60 rounds stay well under 20 s.
MAX_DELAY_S = 0.08

#: A single-threaded "zygote" imports vaclient once, then per round forks a
#: worker that installs the two files in turn until killed, tells the test the
#: worker's pid, and reports when it has been reaped. Forking keeps each
#: round to milliseconds instead of a fresh interpreter's start-up.
_ZYGOTE = """
import os, sys
from vaclient.config.install import execute_install, plan_install
folder, first, second = sys.argv[1:4]
sources = (first, second)
for line in sys.stdin:
    pid = os.fork()
    if pid == 0:
        index = int(line)  # start with the file that is not installed now
        while True:
            execute_install(plan_install(sources[index % 2], folder))
            index += 1
    print(pid, flush=True)
    _, status = os.waitpid(pid, 0)
    print(status, flush=True)
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL (POSIX)")
def test_sigkill_during_installs_leaves_old_or_new_file(tmp_path: Path) -> None:
    folder = tmp_path / "client"
    folder.mkdir(mode=0o755)
    folder.chmod(0o755)
    first = tmp_path / "first.json"
    second = tmp_path / "second.json"
    first.write_bytes(make_config(region="eu-central-1"))
    second.write_bytes(make_config(region="eu-west-1", routes=("2001:db8:77::/48",)))
    expected = {first.read_bytes(): "first", second.read_bytes(): "second"}
    execute_install(plan_install(first, folder))

    rng = random.Random(int(time.time()))
    seen: dict[str, int] = {"first": 0, "second": 0}
    zygote = subprocess.Popen(
        [sys.executable, "-c", _ZYGOTE, str(folder), str(first), str(second)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert zygote.stdin is not None and zygote.stdout is not None
    try:
        for _ in range(KILLS):
            current = expected[(folder / FILE_NAME).read_bytes()]
            zygote.stdin.write("1\n" if current == "first" else "0\n")
            zygote.stdin.flush()
            worker = int(zygote.stdout.readline())
            time.sleep(rng.uniform(0.0, MAX_DELAY_S))
            os.kill(worker, signal.SIGKILL)
            status = int(zygote.stdout.readline())
            assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
            check_folder(folder, expected, seen)
    finally:
        zygote.stdin.close()
        zygote.wait(timeout=10)
        zygote.stdout.close()

    # Both files were seen: the kills landed while installs were running.
    assert seen["first"] > 0 and seen["second"] > 0, seen
    for backup in (folder / ".backup").iterdir():
        assert backup.read_bytes() in expected or is_temp_name(backup.name)
    left = [p.name for p in folder.iterdir() if is_temp_name(p.name)]
    print(f"kills: {KILLS}, target seen {seen}, temporary files left: {len(left)}")


def check_folder(folder: Path, expected: dict[bytes, str], seen: dict[str, int]) -> None:
    """The target is one of the two files, complete; nothing else is loadable."""
    data = (folder / FILE_NAME).read_bytes()
    assert data in expected, "the target is partial or unknown after a kill"
    parse_config(data, FILE_NAME)
    seen[expected[data]] += 1
    names = {p.name for p in folder.iterdir()}
    loadable = {n for n in names if n.startswith("ClientConfig-") and n.endswith(".json")}
    assert loadable == {FILE_NAME}
    assert all(n in (FILE_NAME, ".backup") or is_temp_name(n) for n in names)
