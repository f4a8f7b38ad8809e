"""One tray per user: a second launch hands its arguments to the first and exits.

The first instance listens on a :class:`QLocalServer` named after the user.
A later launch connects, writes its arguments as one JSON line (a list of
strings: a ClientConfig file to import, for example) and exits; the first
instance emits :attr:`SingleInstance.message_received` with that list. A
socket left behind by a crashed instance is removed when nobody answers on it.
"""

from __future__ import annotations

import getpass
import json
import logging
import re

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

logger = logging.getLogger(__name__)

_MAX_MESSAGE = 64 * 1024


def server_name(user: str | None = None) -> str:
    """The per-user server name, e.g. ``vaclient-tray-alice``."""
    try:
        user = user or getpass.getuser()
    except (KeyError, OSError):
        user = "user"
    return "vaclient-tray-" + re.sub(r"[^A-Za-z0-9_.-]", "_", user)


class SingleInstance(QObject):
    """The local server of the first instance, and the client side of later ones.

    Signals:
        message_received(list): arguments handed over by a later launch.
    """

    message_received = Signal(list)

    def __init__(self, name: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = name or server_name()
        self.server: QLocalServer | None = None
        self._buffers: dict[QLocalSocket, bytes] = {}

    def send(self, args: list[str], timeout_ms: int = 1000) -> bool:
        """Hand ``args`` to a running instance; False when none answers."""
        socket = QLocalSocket()
        socket.connectToServer(self.name)
        if not socket.waitForConnected(timeout_ms):
            return False
        socket.write(json.dumps(list(args)).encode("utf-8") + b"\n")
        socket.flush()
        socket.waitForBytesWritten(timeout_ms)
        socket.disconnectFromServer()
        if socket.state() != QLocalSocket.LocalSocketState.UnconnectedState:
            socket.waitForDisconnected(timeout_ms)
        logger.info("handed %d argument(s) to the running instance", len(args))
        return True

    def listen(self) -> bool:
        """Become the first instance; False when the name cannot be taken."""
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.name):
            # Nobody answered send(), so a socket file left by a crash blocks us.
            QLocalServer.removeServer(self.name)
            if not server.listen(self.name):
                logger.warning("cannot listen on %s: %s", self.name, server.errorString())
                return False
        server.newConnection.connect(self._accept)
        self.server = server
        logger.info("single instance: listening on %s", self.name)
        return True

    def close(self) -> None:
        """Stop listening (the socket name is freed) and drop unfinished connections."""
        for socket in list(self._buffers):
            socket.readyRead.disconnect()
            socket.disconnected.disconnect()
            socket.abort()
            socket.deleteLater()
        self._buffers.clear()
        if self.server is not None:
            self.server.close()
            self.server.deleteLater()
            self.server = None

    def _accept(self) -> None:
        assert self.server is not None
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()
            socket.setParent(self)
            self._buffers[socket] = b""
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(lambda s=socket: self._finish(s))
            if socket.bytesAvailable():
                self._read(socket)

    def _read(self, socket: QLocalSocket) -> None:
        data = self._buffers.get(socket, b"") + bytes(socket.readAll().data())
        if len(data) > _MAX_MESSAGE:
            logger.warning("single instance: message too long, dropped")
            socket.abort()
            self._buffers.pop(socket, None)
            return
        self._buffers[socket] = data
        if data.endswith(b"\n"):
            self._deliver(socket)

    def _finish(self, socket: QLocalSocket) -> None:
        if socket in self._buffers:
            self._deliver(socket)
        socket.deleteLater()

    def _deliver(self, socket: QLocalSocket) -> None:
        data = self._buffers.pop(socket, b"")
        if not data.strip():
            return
        try:
            args = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            logger.warning("single instance: unreadable message dropped")
            return
        if isinstance(args, list) and all(isinstance(a, str) for a in args):
            self.message_received.emit(args)
