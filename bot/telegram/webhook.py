"""The webhook server: Telegram posts each update here (MIP_WEBHOOK_URL).

Our own small Tornado server instead of python-telegram-bot's, for three reasons: the
secret token is checked before a byte of the body is read, and in constant time
(`hmac.compare_digest`); a body is refused above 1 MiB (Tornado's default is 100 MB, and
Telegram's updates are a few kilobytes); and nothing is logged about a request but its
outcome (python-telegram-bot's server logs every body at DEBUG and a wrong secret as it was
sent).
"""

from __future__ import annotations

import hmac
import json
import logging
import re
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from typing import Any

import tornado.web
from tornado.httpserver import HTTPServer

log = logging.getLogger(__name__)

MAX_BODY = 1 << 20  # bytes; Telegram's updates are small
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"

Receive = Callable[[dict[str, Any]], Awaitable[None]]


@tornado.web.stream_request_body
class UpdateHandler(tornado.web.RequestHandler):
    SUPPORTED_METHODS = ("POST",)

    def initialize(self, secret: bytes, receive: Receive) -> None:
        self.secret = secret
        self.receive = receive
        self.body = bytearray()

    def prepare(self) -> None:
        # Only the headers have been read so far.
        given = self.request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, self.secret):
            raise tornado.web.HTTPError(HTTPStatus.FORBIDDEN)
        length = self.request.headers.get("Content-Length")
        if length is not None and (not length.isdigit() or int(length) > MAX_BODY):
            raise tornado.web.HTTPError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE)

    def data_received(self, chunk: bytes) -> None:
        # A body without Content-Length (chunked) is counted as it comes.
        self.body.extend(chunk)
        if len(self.body) > MAX_BODY:
            raise tornado.web.HTTPError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE)

    async def post(self) -> None:
        try:
            data = json.loads(bytes(self.body))
        except ValueError:
            raise tornado.web.HTTPError(HTTPStatus.BAD_REQUEST) from None
        if not isinstance(data, dict):
            raise tornado.web.HTTPError(HTTPStatus.BAD_REQUEST)
        await self.receive(data)

    def write_error(self, status_code: int, **kwargs: Any) -> None:
        self.finish()  # no body, no traceback

    def log_exception(self, typ: Any, value: BaseException | None, tb: Any) -> None:
        if isinstance(value, tornado.web.HTTPError):
            log.info("webhook request refused: HTTP %d", value.status_code)
        elif value is not None:
            log.error("webhook request failed", exc_info=value)


class WebhookServer:
    def __init__(self, path: str, secret: str, receive: Receive) -> None:
        route = rf"/{re.escape(path.strip('/'))}/?" if path.strip("/") else r"/"
        self.app = tornado.web.Application(
            [(route, UpdateHandler, {"secret": secret.encode(), "receive": receive})],
            log_function=lambda _handler: None,  # no access log: the outcome is enough
        )
        self.http: HTTPServer | None = None

    def start(self, listen: str, port: int) -> None:
        self.http = HTTPServer(self.app, max_body_size=MAX_BODY, body_timeout=30.0)
        self.http.listen(port, address=listen)

    async def stop(self) -> None:
        if self.http is not None:
            self.http.stop()
            await self.http.close_all_connections()
            self.http = None
