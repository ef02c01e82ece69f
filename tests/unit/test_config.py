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


def test_question_collection_is_off_by_default_and_retention_is_90_days() -> None:
    settings = Settings.from_env({})
    assert settings.collect_questions is False and settings.retention_days == 90
    on = Settings.from_env({"MIP_COLLECT_QUESTIONS": "1", "MIP_RETENTION_DAYS": "30"})
    assert on.collect_questions is True and on.retention_days == 30


@pytest.mark.parametrize("value", ["0", "-5", "soon"])
def test_retention_must_be_a_positive_number_of_days(value: str) -> None:
    with pytest.raises(ConfigError, match="MIP_RETENTION_DAYS"):
        Settings.from_env({"MIP_RETENTION_DAYS": value})


def test_the_database_password_comes_from_its_own_variable_or_file(tmp_path: Path) -> None:
    url = "postgresql+asyncpg://mip@db:5432/mip"
    password = "p@ss:w/rd%1"  # every character that breaks a hand-written URL
    settings = Settings.from_env({"MIP_DATABASE_URL": url, "MIP_DATABASE_PASSWORD": password})
    assert settings.database_url == "postgresql+asyncpg://mip:p%40ss%3Aw%2Frd%251@db:5432/mip"
    assert password not in repr(settings) and "p%40ss" not in repr(settings)
    from sqlalchemy.engine import make_url

    assert make_url(settings.database_url).password == password
    secret = tmp_path / "db_password"
    secret.write_text(password + "\n")
    from_file = Settings.from_env(
        {"MIP_DATABASE_URL": url, "MIP_DATABASE_PASSWORD_FILE": str(secret)}
    )
    assert from_file.database_url == settings.database_url


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {
                "MIP_DATABASE_URL": "postgresql+asyncpg://mip:old@db/mip",
                "MIP_DATABASE_PASSWORD": "x",
            },
            "has a password already",
        ),
        (
            {"MIP_DATABASE_URL": "postgresql+asyncpg://db/mip", "MIP_DATABASE_PASSWORD": "x"},
            "needs a user",
        ),
        ({"MIP_DATABASE_PASSWORD": "x", "MIP_DATABASE_PASSWORD_FILE": "/run/x"}, "not both"),
        ({"MIP_ENGINE_TOKEN_FILE": "/nonexistent/token"}, "MIP_ENGINE_TOKEN_FILE"),
        ({"MIP_METRICS_PORT": "80a"}, "MIP_METRICS_PORT"),
        ({"MIP_LOG_FORMAT": "xml"}, "MIP_LOG_FORMAT"),
    ],
)
def test_secret_and_monitoring_settings_fail_clearly(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        Settings.from_env(env)


def test_engine_token_and_monitoring_settings(tmp_path: Path) -> None:
    token = tmp_path / "engine_token"
    token.write_text("s3cret-token\n")
    settings = Settings.from_env(
        {
            "MIP_ENGINE_TOKEN_FILE": str(token),
            "MIP_METRICS_PORT": "9180",
            "MIP_LOG_FORMAT": "JSON",
        }
    )
    assert settings.engine_token.get() == "s3cret-token"
    assert "s3cret" not in repr(settings)
    assert settings.metrics_port == 9180 and settings.metrics_listen == "0.0.0.0"
    assert settings.log_format == "json"
    defaults = Settings.from_env({})
    assert defaults.metrics_port is None and defaults.log_format == "text"
    assert not defaults.engine_token


def test_unsafe_debug_logs_are_off_unless_asked_for_and_stale_tickets_close_after_14_days() -> None:
    settings = Settings.from_env({"MIP_LOG_LEVEL": "DEBUG"})
    assert settings.unsafe_debug_logs is False and settings.stale_ticket_days == 14
    on = Settings.from_env({"MIP_UNSAFE_DEBUG_LOGS": "1", "MIP_STALE_TICKET_DAYS": "3"})
    assert on.unsafe_debug_logs is True and on.stale_ticket_days == 3
    with pytest.raises(ConfigError, match="MIP_STALE_TICKET_DAYS"):
        Settings.from_env({"MIP_STALE_TICKET_DAYS": "0"})
