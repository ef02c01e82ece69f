from pathlib import Path

import pytest

from bot.config import ConfigError, Settings


def test_defaults_are_the_embedded_ones() -> None:
    settings = Settings.from_env({})
    assert settings.database_url == "sqlite+aiosqlite:///data/mip.db"
    assert settings.engine_url is None
    assert settings.content_dir == Path("content")


def test_values_come_from_mip_variables_and_secrets_do_not_print() -> None:
    settings = Settings.from_env(
        {
            "MIP_ENGINE_URL": "http://engine:5005/",
            "MIP_TELEGRAM_TOKEN": "123:abc",
            "MIP_LOG_LEVEL": "debug",
        }
    )
    assert settings.engine_url == "http://engine:5005"
    assert settings.telegram_token.get() == "123:abc"
    assert "123:abc" not in repr(settings)
    assert settings.log_level == "DEBUG"


@pytest.mark.parametrize(
    ("name", "value"), [("MIP_LOG_LEVEL", "loud"), ("MIP_ENGINE_TIMEOUT", "soon")]
)
def test_bad_values_fail_naming_the_variable(name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=name):
        Settings.from_env({name: value})
