"""MIP_METRICS_PORT: a small HTTP server inside the bot's event loop.

  GET /healthz   200 while the process runs (liveness; no dependency is asked)
  GET /readyz    200 when the database, the engine and Telegram answer; 503 and the reasons
  GET /metrics   Prometheus text format

asyncio's own server and a minimal HTTP/1.1 reader (one request per connection) instead of a
web framework: three GET routes, no new dependency, and the checks and scrape-time queries
run on the bot's loop with its connection pools, not in a thread beside it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Awaitable, Callable, Mapping

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest

from bot.monitoring.gauges import DatabaseGauges

log = logging.getLogger(__name__)

Check = Callable[[], Awaitable[None]]  # returns when fine, raises with the reason otherwise
CHECK_TIMEOUT = 3.0  # seconds per dependency
READY_CACHE = 2.0  # seconds a readiness answer is reused (probes from several places)
REQUEST_TIMEOUT = 5.0  # seconds to read a request's head
MAX_HEAD = 8192


class NotReady(Exception):
    """A dependency is not there; the message is shown in /readyz."""


class Readiness:
    """Named checks run together, each with its own deadline, the answer cached briefly."""

    def __init__(self, checks: Mapping[str, Check]) -> None:
        self.checks = dict(checks)
        self._last: tuple[float, bool, dict[str, str]] | None = None
        self._lock = asyncio.Lock()

    async def report(self) -> tuple[bool, dict[str, str]]:
        async with self._lock:
            if self._last is not None and time.monotonic() - self._last[0] < READY_CACHE:
                return self._last[1], self._last[2]
            names = list(self.checks)
            outcomes = await asyncio.gather(*(self._run(self.checks[n]) for n in names))
            results = dict(zip(names, outcomes, strict=True))
            ready = all(outcome == "ok" for outcome in outcomes)
            self._last = (time.monotonic(), ready, results)
            return ready, results

    @staticmethod
    async def _run(check: Check) -> str:
        try:
            async with asyncio.timeout(CHECK_TIMEOUT):
                await check()
        except TimeoutError:
            return f"no answer within {CHECK_TIMEOUT:.0f} s"
        except NotReady as e:
            return str(e)
        except Exception as e:
            # The type and message of a driver's error, never a URL with credentials: the
            # checks below pass only errors that carry none.
            return f"{type(e).__name__}: {e}"[:300]
        return "ok"


class MonitoringServer:
    def __init__(
        self,
        readiness: Readiness,
        gauges: DatabaseGauges | None = None,
        *,
        listen: str = "0.0.0.0",
        port: int = 0,
    ) -> None:
        self.readiness = readiness
        self.listen = listen
        self.port = port
        self._scraped = CollectorRegistry(auto_describe=False)
        self._gauges = gauges
        if gauges is not None:
            self._scraped.register(gauges)
        self._server: asyncio.Server | None = None

    async def start(self) -> None:
        self._server = await asyncio.start_server(
            self._serve, self.listen, self.port, limit=MAX_HEAD
        )
        self.port = self._server.sockets[0].getsockname()[1]
        log.info(
            "health and metrics on http://%s:%d (/healthz /readyz /metrics)", self.listen, self.port
        )

    async def stop(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.close()
            await server.wait_closed()

    async def __aenter__(self) -> MonitoringServer:
        await self.start()
        return self

    async def __aexit__(self, *_exc: object) -> None:
        await self.stop()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            try:
                async with asyncio.timeout(REQUEST_TIMEOUT):
                    head = await reader.readuntil(b"\r\n\r\n")
                method, target, _version = head.split(b"\r\n", 1)[0].decode("latin-1").split(" ")
            except (
                TimeoutError,
                asyncio.IncompleteReadError,
                asyncio.LimitOverrunError,
                ValueError,
            ):
                status, content_type, body, method = 400, "text/plain", b"bad request\n", "GET"
            else:
                status, content_type, body = await self.route(method, target.split("?", 1)[0])
            reason = {
                200: "OK",
                400: "Bad Request",
                404: "Not Found",
                405: "Method Not Allowed",
                503: "Service Unavailable",
            }[status]
            writer.write(
                f"HTTP/1.1 {status} {reason}\r\nContent-Type: {content_type}\r\n"
                f"Content-Length: {len(body)}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n".encode()
            )
            if method != "HEAD":
                writer.write(body)
            await writer.drain()
        except (ConnectionError, TimeoutError):
            pass
        except Exception:
            log.exception("metrics: answering a request failed")
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError, TimeoutError):
                await writer.wait_closed()

    async def route(self, method: str, path: str) -> tuple[int, str, bytes]:
        if method not in ("GET", "HEAD"):
            return 405, "text/plain", b"only GET\n"
        if path == "/healthz":
            return 200, "text/plain", b"ok\n"
        if path == "/readyz":
            ready, results = await self.readiness.report()
            body = json.dumps({"ready": ready, "checks": results}, ensure_ascii=False) + "\n"
            return (200 if ready else 503), "application/json", body.encode()
        if path == "/metrics":
            if self._gauges is not None:
                await self._gauges.refresh()
            return (
                200,
                CONTENT_TYPE_LATEST,
                generate_latest(REGISTRY) + generate_latest(self._scraped),
            )
        return 404, "text/plain", b"not found: /healthz, /readyz, /metrics\n"
