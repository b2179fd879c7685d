"""An HTTPS front for the emulator, for tests of certificate handling.

A throwaway CA signs a certificate for 127.0.0.1 (made with the `openssl` command); a
proxy terminates TLS with it and forwards the bytes to the emulator's plain HTTP port.
"""

from __future__ import annotations

import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

EXTENSIONS = """\
subjectAltName = IP:127.0.0.1, DNS:localhost
basicConstraints = CA:FALSE
keyUsage = digitalSignature
extendedKeyUsage = serverAuth
"""


@dataclass(frozen=True)
class HttpsEndpoint:
    url: str
    ca_bundle: str


def make_certificates(folder: Path) -> tuple[Path, Path, Path]:
    """A CA (ca.pem) and a server certificate it signed (server.pem, server.key)."""

    def openssl(*arguments: str) -> None:
        subprocess.run(["openssl", *arguments], cwd=folder, check=True, capture_output=True)

    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    openssl(
        "req",
        "-x509",
        *ec,
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=ssm-sessions test CA",
    )
    openssl("req", *ec, "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1")
    (folder / "server.ext").write_text(EXTENSIONS)
    openssl(
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "server.pem",
        "-days",
        "2",
        "-extfile",
        "server.ext",
    )
    return folder / "ca.pem", folder / "server.pem", folder / "server.key"


@contextmanager
def https_front(plain_url: str, folder: Path) -> Iterator[HttpsEndpoint]:
    """Serves `plain_url` (http://127.0.0.1:PORT) over HTTPS until the block ends."""
    ca, certificate, key = make_certificates(folder)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certificate, key)
    backend_port = int(plain_url.rsplit(":", 1)[1])
    listener = socket.create_server(("127.0.0.1", 0))
    stopping = threading.Event()

    def pump(source: socket.socket, sink: socket.socket) -> None:
        with suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        for end in (source, sink):
            with suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)

    def serve(client: socket.socket) -> None:
        try:
            secure = context.wrap_socket(client, server_side=True)
        except (ssl.SSLError, OSError):
            client.close()  # a client that rejected our certificate
            return
        backend = socket.create_connection(("127.0.0.1", backend_port))
        threading.Thread(target=pump, args=(backend, secure), daemon=True).start()
        pump(secure, backend)

    def accept() -> None:
        while not stopping.is_set():
            try:
                client, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=serve, args=(client,), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield HttpsEndpoint(f"https://127.0.0.1:{listener.getsockname()[1]}", str(ca))
    finally:
        stopping.set()
        listener.close()
