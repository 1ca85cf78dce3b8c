from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest

from config.settings import SettingsError, load_settings

TOKEN = "123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def test_defaults_with_only_a_token() -> None:
    s = load_settings({"TELEGRAM_BOT_TOKEN": TOKEN})
    assert s.database == Path("data/lobot.sqlite3")
    assert s.base_url == "https://api.telegram.org/bot"
    assert (s.work_start, s.work_end, s.sla_hours) == (time(8), time(16), 16)


def test_token_never_shown() -> None:
    s = load_settings({"TELEGRAM_BOT_TOKEN": TOKEN})
    assert TOKEN not in repr(s) and TOKEN not in str(s.redacted())


@pytest.mark.parametrize(
    "env, name",
    [
        ({}, "TELEGRAM_BOT_TOKEN"),
        ({"LOBOT_ADMIN_IDS": "12,abc"}, "LOBOT_ADMIN_IDS"),
        ({"LOBOT_TIMEZONE": "Mars/Olympus"}, "LOBOT_TIMEZONE"),
        ({"LOBOT_WORK_START": "25:00"}, "LOBOT_WORK_START"),
        ({"LOBOT_WORK_END": "07:00"}, "LOBOT_WORK_END"),
        ({"LOBOT_SLA_HOURS": "lots"}, "LOBOT_SLA_HOURS"),
        ({"LOBOT_OFFICE_TYPE": "B"}, "LOBOT_OFFICE_TYPE"),
        ({"LOBOT_BASE_URL": "ftp://x"}, "LOBOT_BASE_URL"),
        ({"LOBOT_TYPO": "1"}, "typo"),
        ({"LOBOT_METRICS_PORT": "99999"}, "LOBOT_METRICS_PORT"),
        ({"LOBOT_METRICS_PORT": "９１００"}, "LOBOT_METRICS_PORT"),
        ({"LOBOT_METRICS_HOST": "a host"}, "LOBOT_METRICS_HOST"),
        ({"LOBOT_BACKUP_KEEP": "0"}, "LOBOT_BACKUP_KEEP"),
        ({"LOBOT_BACKUP_KEEP": "2.5"}, "LOBOT_BACKUP_KEEP"),
        ({"LOBOT_BACKUP_AT": "24:00"}, "LOBOT_BACKUP_AT"),
    ],
)
def test_bad_settings_are_named(env: dict[str, str], name: str) -> None:
    full = {"TELEGRAM_BOT_TOKEN": TOKEN, **env} if name != "TELEGRAM_BOT_TOKEN" else env
    with pytest.raises(SettingsError, match=name):
        load_settings(full)


def test_operations_are_off_by_default_and_parsed() -> None:
    s = load_settings({"TELEGRAM_BOT_TOKEN": TOKEN})
    assert (s.metrics_port, s.backup_dir) == (None, None)
    assert (s.metrics_host, s.backup_keep, s.backup_at) == ("127.0.0.1", 7, time(2))
    on = load_settings(
        {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "LOBOT_METRICS_PORT": "9100",
            "LOBOT_METRICS_HOST": "0.0.0.0",
            "LOBOT_BACKUP_DIR": "/var/backups/lobot",
            "LOBOT_BACKUP_KEEP": "14",
            "LOBOT_BACKUP_AT": "23.30",
        }
    )
    assert (on.metrics_port, on.metrics_host) == (9100, "0.0.0.0")
    assert (on.backup_dir, on.backup_keep, on.backup_at) == (
        Path("/var/backups/lobot"),
        14,
        time(23, 30),
    )
    for off in ("", "0", "off"):
        port = load_settings({"TELEGRAM_BOT_TOKEN": TOKEN, "LOBOT_METRICS_PORT": off})
        assert port.metrics_port is None


def test_dashboard_settings() -> None:
    off = load_settings({"TELEGRAM_BOT_TOKEN": TOKEN})
    assert (off.web_port, off.web_url, off.web_auth_max_age) == (None, None, 3600)
    on = load_settings(
        {
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "LOBOT_WEB_PORT": "8080",
            "LOBOT_WEB_URL": "https://lobot.kppn.example/dasbor",
        }
    )
    assert (on.web_port, on.web_host, on.web_url) == (
        8080,
        "127.0.0.1",
        "https://lobot.kppn.example/dasbor/",
    )
    for bad in ("http://lobot.example/", "https://x.example/?a=1", "lobot.example", "https://a b"):
        with pytest.raises(SettingsError, match="LOBOT_WEB_URL"):
            load_settings({"TELEGRAM_BOT_TOKEN": TOKEN, "LOBOT_WEB_URL": bad})


def test_file_then_environment(tmp_path: Path) -> None:
    f = tmp_path / "lobot.toml"
    f.write_text('admin_ids = [1, 2]\ntimezone = "Asia/Makassar"\nsla_hours = 8\n')
    s = load_settings(
        {"TELEGRAM_BOT_TOKEN": TOKEN, "LOBOT_CONFIG_FILE": str(f), "LOBOT_SLA_HOURS": "24"}
    )
    assert s.admin_ids == {1, 2} and s.timezone == "Asia/Makassar" and s.sla_hours == 24


def test_example_file_is_valid() -> None:
    example = Path(__file__).parent.parent / "config" / "lobot.example.toml"
    s = load_settings({"TELEGRAM_BOT_TOKEN": TOKEN, "LOBOT_CONFIG_FILE": str(example)})
    assert s.office_type == "A1"


def test_cli_check_config_and_content(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.__main__ import main

    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    assert main(["check-config"]) == 0
    out = capsys.readouterr().out
    assert "configuration OK" in out and TOKEN not in out
    assert main(["check-content"]) == 0
    monkeypatch.setenv("LOBOT_SLA_HOURS", "abc")
    assert main(["check-config"]) == 2
    assert "LOBOT_SLA_HOURS" in capsys.readouterr().err


def test_database_url_chooses_the_backend() -> None:
    from config.settings import _database

    assert _database({"database": "data/x.sqlite3"}) == {"database": Path("data/x.sqlite3")}
    assert _database({"database": "sqlite:///data/x.sqlite3"}) == {
        "database": Path("data/x.sqlite3")
    }
    assert _database({"database": "sqlite:////var/lib/lobot/x.sqlite3"}) == {
        "database": Path("/var/lib/lobot/x.sqlite3")
    }
    pg = _database({"database": "postgresql://lobot@db/kppn"})
    assert pg["database_url"] == "postgresql://lobot@db/kppn"
    for bad in ("mysql://x/y", "sqlite://relative"):
        with pytest.raises(SettingsError, match="LOBOT_DATABASE"):
            _database({"database": bad})


def test_postgresql_backups_and_secrets_in_check_config() -> None:
    url = "postgresql://lobot:s3cret-pw@db.example:5432/kppn"
    s = load_settings({"TELEGRAM_BOT_TOKEN": TOKEN, "LOBOT_DATABASE": url})
    assert s.database_url == url and s.database == Path("data/lobot.sqlite3")
    shown = s.redacted()
    assert "s3cret-pw" not in str(shown) and shown["database_url"].endswith(
        "***@db.example:5432/kppn"
    )
    with pytest.raises(SettingsError, match="LOBOT_BACKUP_DIR"):
        load_settings({"TELEGRAM_BOT_TOKEN": TOKEN, "LOBOT_DATABASE": url, "LOBOT_BACKUP_DIR": "b"})
    with pytest.raises(SettingsError, match="unknown setting"):
        load_settings({"TELEGRAM_BOT_TOKEN": TOKEN, "LOBOT_DATABASE_URL": url})


def test_webhook_settings() -> None:
    secret = "x" * 40
    base = {"TELEGRAM_BOT_TOKEN": TOKEN, "LOBOT_WEB_PORT": "8080"}
    s = load_settings(
        {**base, "LOBOT_WEBHOOK_URL": "https://bot.example/tg", "LOBOT_WEBHOOK_SECRET": secret}
    )
    assert (s.webhook_url, s.webhook_secret) == ("https://bot.example/tg", secret)
    assert secret not in repr(s) and secret not in str(s.redacted())
    assert load_settings(base).webhook_url is None  # long polling by default
    for env, name in (
        ({"LOBOT_WEBHOOK_URL": "http://bot.example/tg", "LOBOT_WEBHOOK_SECRET": secret}, "URL"),
        (
            {"LOBOT_WEBHOOK_URL": "https://bot.example/tg", "LOBOT_WEBHOOK_SECRET": "short"},
            "SECRET",
        ),
        ({"LOBOT_WEBHOOK_URL": "https://bot.example/tg"}, "SECRET"),
    ):
        with pytest.raises(SettingsError, match=f"LOBOT_WEBHOOK_{name}"):
            load_settings({**base, **env})
    with pytest.raises(SettingsError, match="LOBOT_WEB_PORT"):
        load_settings(
            {
                "TELEGRAM_BOT_TOKEN": TOKEN,
                "LOBOT_WEBHOOK_URL": "https://b.example/t",
                "LOBOT_WEBHOOK_SECRET": secret,
            }
        )
