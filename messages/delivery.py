"""Texts about delivery itself: a message that could not reach the person it was for."""

from __future__ import annotations

from messages.format import esc
from messages.groups import user_name
from storage.models import User

NOT_STARTED = "yang bersangkutan belum memulai percakapan dengan bot (belum menekan tombol Start)"
BLOCKED = "yang bersangkutan memblokir bot"


def reason_text(error: str) -> str:
    lowered = error.lower()
    if "blocked" in lowered:
        return BLOCKED
    return NOT_STARTED


def handed_on(user: User, error: str, original: str) -> str:
    """To the next person in the chain; ``original`` is our own text, already HTML."""
    return (
        f"Pesan untuk <b>{user_name(user)}</b> tidak dapat dikirim karena {reason_text(error)}. "
        "Mohon diteruskan atau ditindaklanjuti; isi pesannya:\n\n" + original
    )


def group_unreachable(title: str, original: str) -> str:
    return (
        f"Pesan ke grup <b>{esc(title)}</b> tidak terkirim karena bot sudah tidak berada "
        "di grup tersebut. Mohon tambahkan kembali bot atau sampaikan isinya langsung:\n\n"
        + original
    )


def unreachable_label() -> str:
    return " <i>(belum dapat dihubungi bot)</i>"
