"""The production server's own refusals as problem details.

Gunicorn refuses a request line or header fields beyond its limits before the
application sees the request, and answers with an HTML page. Its worker here answers
those with ``application/problem+json`` (414 and 431), like every other refusal.
"""

from gunicorn import util
from gunicorn.http.errors import LimitRequestHeaders, LimitRequestLine
from gunicorn.workers.sync import SyncWorker

from vorsprung.core.api.problems import PROBLEM_CONTENT_TYPE, problem_body

# Gunicorn's own limits, set explicitly so the answers below state them truthfully.
LIMIT_REQUEST_LINE = 8190
LIMIT_REQUEST_FIELDS = 100
LIMIT_REQUEST_FIELD_SIZE = 8190

REFUSALS = {
    LimitRequestLine: (
        414,
        "URI Too Long",
        "request-line-too-long",
        f"The request line is longer than {LIMIT_REQUEST_LINE} bytes; send fewer or "
        "shorter query parameters.",
    ),
    LimitRequestHeaders: (
        431,
        "Request Header Fields Too Large",
        "headers-too-large",
        f"The request has more than {LIMIT_REQUEST_FIELDS} header fields or one longer "
        f"than {LIMIT_REQUEST_FIELD_SIZE} bytes.",
    ),
}


def problem_http(status: int, reason: str, kind: str, detail: str) -> bytes:
    body = problem_body(status, detail, kind=kind)
    head = (
        f"HTTP/1.1 {status} {reason}\r\n"
        "Connection: close\r\n"
        f"Content-Type: {PROBLEM_CONTENT_TYPE}\r\n"
        f"Content-Length: {len(body)}\r\n\r\n"
    )
    return head.encode("latin-1") + body


class ProblemWorker(SyncWorker):
    """Gunicorn's sync worker, answering its limit refusals as problem details."""

    def handle_error(self, req, client, addr, exc):
        refusal = next((r for kind, r in REFUSALS.items() if isinstance(exc, kind)), None)
        if refusal is None:
            return super().handle_error(req, client, addr, exc)
        self.log.warning("Invalid request from ip=%s: %s", (addr or ("",))[0], exc)
        try:
            util.write_nonblock(client, problem_http(*refusal))
        except Exception:
            self.log.debug("Failed to send error message.")
