"""The production server (``vorsprung serve``, gunicorn) answers its own limit refusals
as problem details, not with an HTML page."""

import json
import os
import socket
import subprocess
import sys
import time

import pytest


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port = _free_port()
    env = {**os.environ, "VORSPRUNG_DATA_DIR": str(tmp_path_factory.mktemp("data"))}
    env.pop("VORSPRUNG_DATABASE_URL", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "vorsprung.cli", "serve", "--port", str(port), "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail("vorsprung serve did not start")
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


def exchange(port: int, request: bytes) -> tuple[int, dict, dict]:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(request)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in header_lines)
    return int(status_line.split()[1]), headers, json.loads(body)


def test_a_request_line_beyond_the_limit_is_a_414_problem(server):
    request = b"GET /api/v1/leads?q=" + b"a" * 9000 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"

    status, headers, body = exchange(server, request)

    assert status == 414
    assert headers["Content-Type"] == "application/problem+json"
    assert body == {
        "type": "urn:vorsprung:problem:request-line-too-long",
        "title": "URI too long",
        "status": 414,
        "detail": "The request line is longer than 8190 bytes; send fewer or shorter query "
        "parameters.",
    }


@pytest.mark.parametrize(
    "headers",
    [b"X-Long: " + b"a" * 9000 + b"\r\n", b"".join(b"X-%d: 1\r\n" % n for n in range(120))],
    ids=["one long field", "too many fields"],
)
def test_header_fields_beyond_the_limits_are_a_431_problem(server, headers):
    request = b"GET /api/v1/leads HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers + b"\r\n"

    status, response_headers, body = exchange(server, request)

    assert status == 431
    assert response_headers["Content-Type"] == "application/problem+json"
    assert body["type"] == "urn:vorsprung:problem:headers-too-large"
    assert body["detail"] == (
        "The request has more than 100 header fields or one longer than 8190 bytes."
    )
