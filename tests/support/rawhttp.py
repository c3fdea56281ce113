"""HTTP by hand on a raw socket: a request whose body stalls or drips (no tests here)."""

from __future__ import annotations

import socket


def raw_request(port: int, head: str, body: bytes) -> socket.socket:
    client = socket.create_connection(("127.0.0.1", port), timeout=30)
    client.sendall(head.encode("ascii") + b"\r\n" + body)
    return client


def read_response(client: socket.socket) -> str:
    chunks = []
    while True:
        try:
            chunk = client.recv(65536)
        except (ConnectionResetError, TimeoutError):
            break
        if not chunk:
            break
        chunks.append(chunk)
        if b"</html>" in b"".join(chunks):
            break
    return b"".join(chunks).decode("utf-8", "replace")


def post_head(path: str, length: int) -> str:
    return (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\n"
        f"Content-Length: {length}\r\n"
    )
