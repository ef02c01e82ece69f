"""Run the local engine (`rasa run --enable-api`) as a child process and wait until ready."""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import secrets
import signal
import socket
import sys
import time
from pathlib import Path
from types import TracebackType
from typing import BinaryIO

from bot.config import Settings
from bot.engine.client import EngineClient
from bot.engine.setup import EngineSetupError, Say, ensure_model, rasa_env, say_stderr, venv_python

READY_TIMEOUT = 180.0


def _die_with_parent() -> None:
    # Runs in the child before exec: the kernel sends SIGTERM when the bot's process ends,
    # even by kill -9, so no engine is left holding a port.
    if sys.platform == "linux":
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def port_in_use(port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return True
    return False


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LocalEngine:
    """`async with LocalEngine(settings) as url:` trains if needed, serves, stops on exit.

    The engine's API can replace the model, so it runs with an --auth-token: MIP_ENGINE_TOKEN
    when set, else a random one made here (`self.token`, for the clients of this process).
    `auth=False` serves without one, for tests that share the engine between clients."""

    def __init__(
        self,
        settings: Settings,
        *,
        port: int | None = None,
        say: Say = say_stderr,
        auth: bool = True,
    ) -> None:
        self.settings = settings
        self.port = port or free_port()
        self.say = say
        self.url = f"http://127.0.0.1:{self.port}"
        self.token: str | None = None
        if auth:
            self.token = settings.engine_token.get() or secrets.token_urlsafe(32)
        self.log_path = settings.engine_venv.parent / "engine.log"
        self._process: asyncio.subprocess.Process | None = None

    async def __aenter__(self) -> str:
        model = await asyncio.to_thread(ensure_model, self.settings, say=self.say)
        await self.start(model)
        return self.url

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    async def start(self, model: Path) -> None:
        rasa = venv_python(self.settings).parent / "rasa"
        if port_in_use(self.port):
            raise EngineSetupError(
                f"port {self.port} is already in use; stop what runs there or choose another port"
            )
        log = await asyncio.to_thread(self._open_log)
        self.say(f"Starting the intent engine on {self.url} ...")
        with log:
            self._process = await asyncio.create_subprocess_exec(
                str(rasa),
                "run",
                "--enable-api",
                "--model",
                str(model),
                "--interface",
                "127.0.0.1",
                "--port",
                str(self.port),
                *(["--auth-token", self.token] if self.token else []),
                cwd=self.settings.intents_dir,
                env=rasa_env(),
                stdout=log,
                stderr=log,
                stdin=asyncio.subprocess.DEVNULL,
                preexec_fn=_die_with_parent,
            )
        await self.wait_ready()

    def _open_log(self) -> BinaryIO:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        return self.log_path.open("ab")

    async def wait_ready(self, limit: float = READY_TIMEOUT) -> None:
        client = EngineClient(self.url, timeout=2.0, token=self.token)
        deadline = time.monotonic() + limit
        try:
            while time.monotonic() < deadline:
                if self._process is not None and self._process.returncode is not None:
                    raise EngineSetupError(f"the intent engine exited early; see {self.log_path}")
                if await client.ready():
                    self.say("Intent engine ready.")
                    return
                await asyncio.sleep(0.5)
        finally:
            await client.aclose()
        await self.stop()
        raise EngineSetupError(
            f"the intent engine was not ready after {limit:.0f} s; see {self.log_path}"
        )

    async def stop(self) -> None:
        process, self._process = self._process, None
        if process is None or process.returncode is not None:
            return
        process.terminate()
        try:
            await asyncio.wait_for(process.wait(), 10)
        except TimeoutError:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            await process.wait()
