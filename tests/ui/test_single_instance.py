"""One tray per user: a second launch hands its arguments to the first."""

from __future__ import annotations

import os
import uuid
from typing import Any

from vaclient.ui.single_instance import SingleInstance, server_name


def test_second_launch_hands_over_its_file(qtbot: Any) -> None:
    name = f"vaclient-test-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    first = SingleInstance(name)
    second = SingleInstance(name)
    received: list[list[str]] = []
    first.message_received.connect(received.append)
    try:
        assert first.listen()
        assert second.send(["/home/alice/ClientConfig-vai-0123456789abcdef0.json"])
        qtbot.waitUntil(lambda: bool(received), timeout=5000)
        assert received == [["/home/alice/ClientConfig-vai-0123456789abcdef0.json"]]
    finally:
        first.close()


def test_no_running_instance_means_send_fails(qtbot: Any) -> None:
    name = f"vaclient-test-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    assert SingleInstance(name).send(["x"], timeout_ms=200) is False


def test_garbage_is_dropped(qtbot: Any) -> None:
    from PySide6.QtNetwork import QLocalSocket

    name = f"vaclient-test-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    first = SingleInstance(name)
    received: list[Any] = []
    first.message_received.connect(received.append)
    try:
        assert first.listen()
        socket = QLocalSocket()
        socket.connectToServer(name)
        assert socket.waitForConnected(1000)
        socket.write(b'{"not": "a list"}\n')
        socket.flush()
        socket.disconnectFromServer()
        qtbot.wait(200)
        assert received == []
    finally:
        first.close()


def test_server_name_is_per_user_and_safe() -> None:
    assert server_name("alice") == "vaclient-tray-alice"
    assert server_name("DOMAIN\\bob smith") == "vaclient-tray-DOMAIN_bob_smith"
