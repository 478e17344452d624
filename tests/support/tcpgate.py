"""A TCP gate on 127.0.0.1 in front of a real server (PostgreSQL): closed, connections to it
are refused and those it carried are cut, as when the server is down or restarting; open,
bytes go through unchanged.

with TcpGate(("127.0.0.1", 5432)) as gate:       # closed at first
    url = f"postgresql+psycopg://u:p@127.0.0.1:{gate.port}/db"
    gate.open()
    gate.close()                                   # cuts every connection it carried

While closed, the port stays bound but is not listening, so a client is refused at once
(no timeout) and no other program can take the port meanwhile.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from types import TracebackType

HOST = "127.0.0.1"


class TcpGate:
    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self._listener = self._bind(0)
        self.port: int = self._listener.getsockname()[1]
        self._carried: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._accepting: threading.Thread | None = None
        self._stop = threading.Event()

    def _bind(self, port: int) -> socket.socket:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((HOST, port))
        return sock

    def open(self) -> None:
        if self._accepting is not None:
            return
        self._stop.clear()
        self._listener.listen(64)
        self._listener.settimeout(0.05)  # to see the stop flag
        self._accepting = threading.Thread(target=self._accept, daemon=True,
                                           name=f"tcpgate-{self.port}")
        self._accepting.start()

    def close(self) -> None:
        """Refuse new connections and cut those carried (both ends, at once)."""
        if self._accepting is not None:
            self._stop.set()
            self._accepting.join(timeout=10)
            self._accepting = None
            self._listener.close()
            self._listener = self._bind(self.port)  # bound, not listening: refused
        with self._lock:
            carried, self._carried = self._carried, set()
        for sock in carried:
            _cut(sock)

    def __enter__(self) -> TcpGate:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.close()
        self._listener.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            client.settimeout(None)
            try:
                server = socket.create_connection(self.target, timeout=10)
            except OSError:
                _cut(client)
                continue
            server.settimeout(None)
            with self._lock:
                self._carried.update((client, server))
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=_pipe, args=(source, sink), daemon=True).start()


def _pipe(source: socket.socket, sink: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            sink.sendall(data)
    except OSError:
        pass
    _cut(sink)
    _cut(source)


def _cut(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):  # already cut by the other direction
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()
