"""The first minutes of a new deployment (issue 18, item 11): the README's own commands
work, a failed start is one line, every setting is documented, the log is not flooded."""

from __future__ import annotations

import io
import logging
import re
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import fields
from pathlib import Path

import pytest

from bot import logsetup
from config.settings import Settings, load_settings, notes

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_sample_tokens_pass_the_token_check() -> None:
    samples = re.findall(r"TELEGRAM_BOT_TOKEN=(\S+)", README)
    assert samples
    for token in samples:
        assert load_settings({"TELEGRAM_BOT_TOKEN": token}).token == token


def _env_name(field: str) -> str:
    return "TELEGRAM_BOT_TOKEN" if field == "token" else f"LOBOT_{field.upper()}"


def test_readme_settings_table_lists_every_setting_the_code_reads() -> None:
    # database_url is derived from LOBOT_DATABASE (a postgresql:// value), offices and
    # kanwils from LOBOT_OFFICES_FILE; none is read itself.
    derived = {"LOBOT_DATABASE_URL", "LOBOT_OFFICES", "LOBOT_KANWILS"}
    read = {_env_name(f.name) for f in fields(Settings)} - derived | {"LOBOT_CONFIG_FILE"}
    rows = [line for line in README.splitlines() if line.startswith("| `")]
    documented = {
        name
        for row in rows
        for name in re.findall(r"`((?:LOBOT|TELEGRAM)_[A-Z_]+)`", row.split("|")[1])
    }
    assert documented == read


TOKEN = "110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


def test_self_hosted_bot_api_gets_its_own_file_address() -> None:
    env = {"TELEGRAM_BOT_TOKEN": TOKEN, "LOBOT_BASE_URL": "http://10.0.0.5:8081/bot"}
    assert load_settings(env).base_file_url == "http://10.0.0.5:8081/file/bot"
    assert any("LOBOT_BASE_FILE_URL" in line for line in notes(env))
    odd = {"TELEGRAM_BOT_TOKEN": TOKEN, "LOBOT_BASE_URL": "https://proxy.example/tg"}
    assert load_settings(odd).base_file_url == Settings.base_file_url
    assert any("fail" in line for line in notes(odd))
    both = {**env, "LOBOT_BASE_FILE_URL": "http://10.0.0.5:8081/file/bot"}
    assert notes(both) == [] and notes({"TELEGRAM_BOT_TOKEN": TOKEN}) == []


def test_check_config_warns_about_the_file_address(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.__main__ import main

    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", TOKEN)
    monkeypatch.setenv("LOBOT_BASE_URL", "http://10.0.0.5:8081/bot")
    assert main(["check-config"]) == 0
    out = capsys.readouterr().out
    assert "warning: LOBOT_BASE_FILE_URL is not set" in out and "configuration OK" in out


@pytest.fixture
def log_stream() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    root = logging.getLogger()
    old_level, old_handlers = root.level, list(root.handlers)
    handler = logsetup.configure(logging.INFO, stream)
    yield stream
    root.removeHandler(handler)
    root.setLevel(old_level)
    root.handlers[:] = old_handlers


def test_job_runs_are_not_logged(log_stream: io.StringIO) -> None:
    logging.getLogger("apscheduler.executors.default").info('Running job "tick"')
    logging.getLogger("apscheduler.scheduler").info("Adding job tentatively")
    logging.getLogger("apscheduler.executors.default").warning("Run time of job was missed")
    assert log_stream.getvalue().count("\n") == 1 and "missed" in log_stream.getvalue()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
    return port


def test_unreachable_bot_api_at_start_is_one_line(tmp_path: Path) -> None:
    env = {
        "PATH": "/usr/bin:/bin",
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "LOBOT_DATABASE": str(tmp_path / "bot.sqlite3"),
        "LOBOT_BASE_URL": f"http://127.0.0.1:{_closed_port()}/bot",
        "LOBOT_BASE_FILE_URL": "http://127.0.0.1:1/file/bot",
    }
    done = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr[:2000]
    assert lines[0].startswith("lobot: cannot start:") and "LOBOT_BASE_URL" in lines[0]
    assert TOKEN not in done.stderr
