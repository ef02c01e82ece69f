"""`mip keyperson invite` asks the Bot API at the address `mip run` uses
(MIP_TELEGRAM_BASE_URL), and a Bot API it cannot reach is one clear line, not a traceback."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from bot.cli.main import main
from bot.config import Settings
from bot.engine.process import free_port
from bot.telegram.identity import BotApiUnreachable, bot_username
from tests.unit.fake_botapi import FakeBotApi


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    monkeypatch.setenv("MIP_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
    monkeypatch.setenv("MIP_TELEGRAM_TOKEN", "123:secret-token")
    monkeypatch.delenv("MIP_TELEGRAM_BOT_USERNAME", raising=False)
    return monkeypatch


async def test_the_username_is_asked_where_the_adapter_sends() -> None:
    api, seen = FakeBotApi(), []

    def record(request: httpx.Request) -> None:
        seen.append(str(request.url))

    api.intercept = record
    settings = Settings.from_env(
        {"MIP_TELEGRAM_TOKEN": "123:abc", "MIP_TELEGRAM_BASE_URL": "http://127.0.0.1:9000/"}
    )
    assert await bot_username(settings, api.request()) == "MipTestBot"
    assert seen[0] == "http://127.0.0.1:9000/bot123:abc/getMe"


async def test_a_refused_token_is_said_without_the_token() -> None:
    api = FakeBotApi()
    api.failures["getMe"] = [httpx.Response(401, json={"ok": False, "error_code": 401,
                                                      "description": "Unauthorized"})]  # fmt: skip
    settings = Settings.from_env({"MIP_TELEGRAM_TOKEN": "123:abc"})
    with pytest.raises(BotApiUnreachable, match="refused the token") as caught:
        await bot_username(settings, api.request())
    assert "123:abc" not in str(caught.value)


def test_an_unreachable_bot_api_is_one_line_and_no_invite_is_made(
    env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    env.setenv("MIP_TELEGRAM_BASE_URL", f"http://127.0.0.1:{free_port()}")
    # The log (on standard error too since bot/logs.py) would add the migrations' INFO lines.
    env.setenv("MIP_LOG_LEVEL", "WARNING")
    assert main(["keyperson", "invite", "--languages", "pl"]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("mip: cannot reach the Bot API at http://127.0.0.1:")
    assert "secret-token" not in err
    assert main(["keyperson", "list"]) == 0
    assert "No key persons yet" in capsys.readouterr().out


def test_without_a_token_the_invite_is_a_start_command(
    env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    env.delenv("MIP_TELEGRAM_TOKEN")
    assert main(["keyperson", "invite", "--languages", "pl,nl"]) == 0
    assert capsys.readouterr().out.startswith("/start ")


@pytest.mark.parametrize("address", ["http://127.0.0.1:99999", "127.0.0.1:9000", "ftp://x"])
def test_a_malformed_bot_api_address_is_one_line_naming_the_setting(
    env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], address: str
) -> None:
    env.setenv("MIP_TELEGRAM_BASE_URL", address)
    assert main(["keyperson", "invite", "--languages", "pl"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("mip: MIP_TELEGRAM_BASE_URL")
