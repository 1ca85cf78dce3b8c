"""LOBOT_OFFICES_FILE: the further offices and the Kanwil supervisors (config/offices.py)."""

from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest

from config.settings import SettingsError, load_settings

TOKEN = "110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
EXAMPLE = Path(__file__).parent.parent / "config" / "offices.example.toml"


def _load(tmp_path: Path, text: str, **env: str):  # type: ignore[no-untyped-def]
    path = tmp_path / "offices.toml"
    path.write_text(text, encoding="utf-8")
    return load_settings({"TELEGRAM_BOT_TOKEN": TOKEN, "LOBOT_OFFICES_FILE": str(path), **env})


def test_example_file_is_valid() -> None:
    s = load_settings({"TELEGRAM_BOT_TOKEN": TOKEN, "LOBOT_OFFICES_FILE": str(EXAMPLE)})
    assert [(o.id, o.timezone, o.office_type) for o in s.office_specs] == [
        (1, "Asia/Jakarta", "A1"),
        (2, "Asia/Makassar", "A1"),
        (3, "Asia/Jayapura", "A2"),
    ]
    assert s.kanwils[0].offices == (2,) and s.kanwils[0].user_ids == frozenset({555000111})


def test_office_one_is_the_settings_and_deadline_files_sit_beside_the_file(
    tmp_path: Path,
) -> None:
    s = _load(
        tmp_path,
        '[[office]]\nid = 2\nname = "KPPN B"\ntimezone = "Asia/Makassar"\n'
        'work_start = "07.30"\nwork_end = "15:30"\ndeadlines_file = "b.yaml"\n',
        LOBOT_OFFICE_NAME="KPPN A",
        LOBOT_TIMEZONE="WIT",
    )
    first, second = s.office_specs
    assert (first.id, first.name, first.timezone) == (1, "KPPN A", "Asia/Jayapura")
    assert (second.work_start, second.work_end) == (time(7, 30), time(15, 30))
    assert second.deadlines_file == tmp_path / "b.yaml"


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ('[[office]]\nid = 1\nname = "X"\n', "id must be a whole number from 2"),
        ('[[office]]\nid = 2\nname = "X"\ntimezone = "Mars"\n', "unknown time zone"),
        ('[[office]]\nid = 2\nname = "X"\ntype = "B"\n', "type must be A1 or A2"),
        ("[[office]]\nid = 2\n", "name is missing"),
        ('[[office]]\nid = 2\nname = "X"\nwork_end = "07:00"\n', "work_end must be later"),
        ('[[office]]\nid = 2\nname = "X"\n[[office]]\nid = 2\nname = "Y"\n', "same id"),
        ('[[office]]\nid = 2\nname = "X"\nzone = "WIB"\n', "unknown key(s) zone"),
        ('[[kanwil]]\nname = "K"\nuser_ids = [1]\noffices = [7]\n', "no office with id 7"),
        ('[[kanwil]]\nname = "K"\noffices = [1]\n', "user_ids is missing"),
        ("[kantor]\n", "unknown section(s) kantor"),
        ("office = [", "not valid TOML"),
    ],
)
def test_bad_files_are_refused_naming_the_entry(tmp_path: Path, text: str, named: str) -> None:
    with pytest.raises(SettingsError) as err:
        _load(tmp_path, text)
    assert named in str(err.value) and "LOBOT_OFFICES_FILE" in str(err.value)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SettingsError, match="not found"):
        load_settings(
            {"TELEGRAM_BOT_TOKEN": TOKEN, "LOBOT_OFFICES_FILE": str(tmp_path / "none.toml")}
        )
