"""The command catalog: help texts and the command menus published with setMyCommands."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from messages.format import greeting

EVERYONE: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Command:
    name: str
    args: str
    description: str
    roles: frozenset[str]  # empty: everyone
    where: str  # "group", "private" or "both"


STAFF = frozenset({"admin", "lo", "cso", "supervisor", "kepala"})
ADMIN = frozenset({"admin"})
MANAGERS = frozenset({"admin", "lo"})


def _visible(cmd: Command, roles: set[str], chat_type: str) -> bool:
    in_chat = cmd.where == "both" or (cmd.where == "group") == (chat_type != "private")
    return in_chat and (not cmd.roles or bool(cmd.roles & roles))


def help_text(
    commands: list[Command], roles: set[str], chat_type: str, now: datetime, tz: ZoneInfo
) -> str:
    lines = [f"{greeting(now, tz)} Bapak/Ibu, berikut perintah yang dapat digunakan di sini:", ""]
    for cmd in commands:
        if _visible(cmd, roles, chat_type):
            args = f" {cmd.args}" if cmd.args else ""
            lines.append(f"<code>/{cmd.name}{args}</code> — {cmd.description}")
    if chat_type != "private":
        lines += [
            "",
            "Pertanyaan dapat langsung ditulis di grup; bot akan menjawab atau mencatatnya.",
        ]
    elif not roles:
        lines += ["", "Perintah untuk petugas KPPN tampil setelah admin memberikan peran."]
    else:
        lines += ["", *STAFF_GUIDE]
        if "lo" in roles:
            lines += LO_FIRST_STEPS
    return "\n".join(lines)


STAFF_GUIDE = [
    "<b>Tiket</b>: pertanyaan di grup yang tidak terjawab FAQ dicatat sebagai tiket dengan "
    "batas waktu jawaban (jam kerja). Pengingat, peringatan ke supervisor, dan eskalasi "
    "datang ke chat ini, digabung per beberapa menit (<code>/notifikasi</code>).",
    "<b>Tombol</b>: <b>Jawab</b> membuka kolom jawaban; <b>Sedang diproses</b> memberi tahu "
    "penanya tanpa menghentikan batas waktu. Membalas pemberitahuan juga menjawab tiketnya.",
]
LO_FIRST_STEPS = [
    "<b>Langkah pertama LO</b>: jadikan bot admin di setiap grup, lalu ketik "
    "<code>/daftargrup Nama K/L</code> di grup tersebut.",
]


def menu(commands: list[Command], chat_type: str) -> list[tuple[str, str]]:
    """Commands for the Telegram menu of a scope: what any member may use there."""
    return [
        (c.name, c.description)
        for c in commands
        if (c.where == "both" or (c.where == "group") == (chat_type != "private"))
        and (chat_type == "private" or not c.roles)
    ]
