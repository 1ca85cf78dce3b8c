"""Texts of /kantor: which office a private chat acts for, in a deployment of several."""

from __future__ import annotations

from collections.abc import Sequence

from messages.format import esc
from messages.kanwil import zone_label
from storage.models import Office


def _office(o: Office) -> str:
    return f"{o.id}. {esc(o.name)} ({esc(zone_label(o.timezone))})"


def shown(current: Office, allowed: Sequence[Office]) -> str:
    lines = [f"Kantor aktif di chat ini: <b>{_office(current)}</b>", ""]
    lines.append("Bapak/Ibu dapat bertindak untuk kantor:")
    lines += [f"• {_office(o)}" for o in allowed]
    if len(allowed) > 1:
        lines += [
            "",
            "Ketik <code>/kantor nomor</code> untuk berpindah, misalnya "
            f"<code>/kantor {allowed[-1].id}</code>.",
        ]
    return "\n".join(lines)


def chosen(office: Office) -> str:
    return (
        f"Terima kasih. Mulai sekarang perintah Bapak/Ibu di chat ini berlaku untuk "
        f"<b>{_office(office)}</b> (peran, tiket, rekap, dan pengaturan kantor tersebut)."
    )


def not_theirs(allowed: Sequence[Office]) -> str:
    names = ", ".join(_office(o) for o in allowed)
    return (
        "Mohon maaf, Bapak/Ibu tidak memegang peran di kantor tersebut. Kantor yang dapat "
        f"Bapak/Ibu pilih: {names}."
    )


def no_office() -> str:
    return (
        "Mohon maaf, Bapak/Ibu belum memegang peran di kantor mana pun. Peran diberikan oleh "
        "Admin kantor."
    )


def usage() -> str:
    return "Format belum sesuai. Contoh: <code>/kantor</code> atau <code>/kantor 2</code>."
