"""Endpoints that fail on the connection itself, for the tests of bounded collection: a
loopback port that accepts connections and never answers (not even a TLS handshake), and
a port nothing listens on."""

import contextlib
import socket
import threading


@contextlib.contextmanager
def silent_endpoint():
    """(port, the connections accepted so far): accepts and holds every connection,
    answering nothing, until the block ends."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(64)
    held, stop = [], threading.Event()

    def hold():
        sock.settimeout(0.2)
        while not stop.is_set():
            try:
                held.append(sock.accept()[0])
            except socket.timeout:
                continue
            except OSError:
                return

    thread = threading.Thread(target=hold, daemon=True)
    thread.start()
    try:
        yield sock.getsockname()[1], held
    finally:
        stop.set()
        thread.join()
        for conn in held:
            conn.close()
        sock.close()


def closed_port() -> int:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port
