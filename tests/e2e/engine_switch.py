"""A TCP relay in front of the real engine that a test can stop or stall.

Stopping the shared session engine would break the other tests; stopping the relay looks
the same to the bot (connection refused, open connections cut), and stalling it looks like
an engine that accepts connections but never answers.
"""

from __future__ import annotations

import asyncio
import contextlib
from urllib.parse import urlsplit


class EngineSwitch:
    def __init__(self, engine_url: str) -> None:
        target = urlsplit(engine_url)
        self.host = target.hostname or "127.0.0.1"
        self.port = target.port or 80
        self.stalled = False
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()
        self.listen_port = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.listen_port}"

    async def start(self) -> None:
        self._server = await asyncio.start_server(
            self._relay, "127.0.0.1", self.listen_port, reuse_address=True
        )
        self.listen_port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        """The engine is gone: new connections are refused, open ones are cut."""
        if self._server is not None:
            self._server.close()
            for writer in list(self._writers):
                writer.close()
            await self._server.wait_closed()
            self._server = None

    async def _relay(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self._writers.add(writer)
        try:
            if self.stalled:
                await reader.read()  # accept and never answer
                return
            up_reader, up_writer = await asyncio.open_connection(self.host, self.port)
            self._writers.add(up_writer)
            await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))
        except OSError:
            pass
        finally:
            for w in (writer,):
                self._writers.discard(w)
                w.close()


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(OSError):
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    writer.close()
