"""Telegram settings: polling unless MIP_WEBHOOK_URL; a webhook needs a valid secret."""

from __future__ import annotations

import pytest

from bot.config import ConfigError, Secret, TelegramSettings, derive_secret

TOKEN = Secret("123:abc")


def load(**env: str) -> TelegramSettings:
    return TelegramSettings.from_env(TOKEN, {f"MIP_{k}": v for k, v in env.items()})


def test_polling_by_default_with_a_callback_key_derived_from_the_token() -> None:
    settings = load()
    assert settings.webhook is None
    assert settings.callback_secret.get() == derive_secret(TOKEN)


def test_an_explicit_callback_secret_wins_and_does_not_print() -> None:
    settings = load(CALLBACK_SECRET="rotate-me")
    assert settings.callback_secret.get() == "rotate-me"
    assert "rotate-me" not in repr(settings)


def test_webhook_settings() -> None:
    settings = load(
        WEBHOOK_URL="https://bot.example.nl/telegram/hook",
        WEBHOOK_SECRET="s3cr3t_-X",
        WEBHOOK_LISTEN="127.0.0.1",
        WEBHOOK_PORT="8443",
    )
    hook = settings.webhook
    assert hook is not None
    assert (hook.url, hook.listen, hook.port, hook.path) == (
        "https://bot.example.nl/telegram/hook",
        "127.0.0.1",
        8443,
        "telegram/hook",
    )
    assert "s3cr3t" not in repr(settings)


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"WEBHOOK_URL": "https://bot.example.nl/hook"}, "MIP_WEBHOOK_SECRET"),
        (
            {"WEBHOOK_URL": "https://bot.example.nl/hook", "WEBHOOK_SECRET": "has space"},
            "MIP_WEBHOOK_SECRET",
        ),
        ({"WEBHOOK_URL": "bot.example.nl/hook", "WEBHOOK_SECRET": "ok"}, "MIP_WEBHOOK_URL"),
        (
            {"WEBHOOK_URL": "https://b.nl/h", "WEBHOOK_SECRET": "ok", "WEBHOOK_PORT": "http"},
            "MIP_WEBHOOK_PORT",
        ),
        (
            {"WEBHOOK_URL": "https://b.nl/h", "WEBHOOK_SECRET": "ok", "WEBHOOK_PORT": "70000"},
            "MIP_WEBHOOK_PORT",
        ),
    ],
)
def test_bad_webhook_settings_fail_naming_the_variable(env: dict[str, str], named: str) -> None:
    with pytest.raises(ConfigError, match=named):
        load(**env)
