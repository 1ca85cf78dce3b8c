"""Where a command may be used and by whom: the help shows what the one check allows."""

from __future__ import annotations

from datetime import datetime

from hypothesis import given
from hypothesis import strategies as st

from handlers import (
    broadcast,
    calendar,
    complaints,
    deadlines,
    faq,
    groups,
    help,
    notifikasi,
    rekap,
    roles,
    tickets,
)
from messages.help import Command, _visible, help_text, refusal
from tests.conftest import WIB

CATALOG: list[Command] = [
    *help.COMMANDS,
    *groups.COMMANDS,
    *roles.COMMANDS,
    *calendar.COMMANDS,
    *tickets.COMMANDS,
    *faq.COMMANDS,
    *rekap.COMMANDS,
    *complaints.COMMANDS,
    *notifikasi.COMMANDS,
    *deadlines.COMMANDS,
    *broadcast.COMMANDS,
]
ROLES = ["admin", "lo", "cso", "supervisor", "kepala", "kepatuhan"]


@given(
    st.sampled_from(CATALOG),
    st.sets(st.sampled_from(ROLES)),
    st.sampled_from(["private", "group", "supergroup"]),
)
def test_the_check_allows_exactly_what_the_help_shows(
    cmd: Command, roles: set[str], chat_type: str
) -> None:
    allowed = refusal(cmd, roles, chat_type) is None
    assert allowed == _visible(cmd, roles, chat_type)
    shown = help_text(CATALOG, roles, chat_type, datetime(2026, 11, 23, 9, tzinfo=WIB), WIB)
    args = f" {cmd.args}" if cmd.args else ""
    assert (f"<code>/{cmd.name}{args}</code> — " in shown) == allowed


def test_private_only_commands_say_so_in_a_group() -> None:
    for name in ("alihkan", "cuti"):
        cmd = next(c for c in CATALOG if c.name == name)
        said = refusal(cmd, {"lo", "admin"}, "supergroup")
        assert said is not None and "chat pribadi" in said
