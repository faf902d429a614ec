"""One app window per database: a second start finds the first through a local socket,
asks it to come to the front, and exits (two windows would be two writers)."""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

TIMEOUT_MS = 500


def server_name(data_dir: Path) -> str:
    """A name per data folder (and user: the socket lives in the user's runtime dir)."""
    digest = hashlib.sha256(str(data_dir.expanduser().resolve()).encode()).hexdigest()[:16]
    return f"callsheet-{digest}"


class SingleInstance(QObject):
    """Signals: activated(): another start asked this instance to show itself."""

    activated = Signal()

    def __init__(self, data_dir: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.name = server_name(data_dir)
        self.server: QLocalServer | None = None

    def notify_running(self) -> bool:
        """True when an instance already runs on this folder (it was asked to come to
        the front); False when this one should start."""
        socket = QLocalSocket()
        socket.connectToServer(self.name)
        if not socket.waitForConnected(TIMEOUT_MS):
            return False
        socket.write(b"activate\n")
        socket.flush()
        socket.waitForBytesWritten(TIMEOUT_MS)
        socket.disconnectFromServer()
        return True

    def listen(self) -> bool:
        """Become the instance others find. A socket left by a crashed run is removed."""
        QLocalServer.removeServer(self.name)
        self.server = QLocalServer(self)
        self.server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self.server.newConnection.connect(self._connected)
        return self.server.listen(self.name)

    def _connected(self) -> None:
        assert self.server is not None
        while self.server.hasPendingConnections():
            socket = self.server.nextPendingConnection()  # owned by the server
            socket.readyRead.connect(self._read)

    def _read(self) -> None:
        socket = self.sender()
        if isinstance(socket, QLocalSocket) and bytes(socket.readAll().data()).startswith(
            b"activate"
        ):
            self.activated.emit()
