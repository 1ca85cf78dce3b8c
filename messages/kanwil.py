"""Texts of the Kanwil's view (/rekap kanwil): its offices side by side."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from config.offices import ZONES
from messages.format import esc, fmt_datetime, fmt_number, fmt_percent

ZONE_NAMES = {iana: short for short, iana in ZONES.items()}


def zone_label(name: str) -> str:
    """WIB, WITA, WIT for the three Indonesian zones; the IANA name otherwise."""
    return ZONE_NAMES.get(name, name)


def _kpi(k: Any) -> str:
    if k is None or not k.judged:
        return "belum dapat dihitung (belum ada tiket yang dapat dinilai)"
    verdict = "memenuhi" if k.meets_target else "belum memenuhi"
    return f"<b>{fmt_number(k.weighted, 2)}</b> ({verdict} target 3)"


def _office(n: int, f: Any) -> list[str]:
    office, recap = f.office, f.recap
    t = recap.total
    share = t.on_time_share
    lines = [
        "",
        f"<b>{n}. {esc(office.name)}</b> (kantor {office.id}, tipe {esc(office.office_type)}, "
        f"{esc(zone_label(office.timezone))})",
        f"Tiket: diterima {fmt_number(t.received)}, dijawab {fmt_number(t.answered)}, "
        f"belum dijawab {fmt_number(t.open)}",
        f"Tepat waktu: {fmt_percent(share) if share is not None else '-'} "
        f"({fmt_number(t.on_time)} dari {fmt_number(t.judged)} yang dapat dinilai); "
        f"terlambat {fmt_number(f.late)} (dijawab terlambat {fmt_number(recap.answered_late)}, "
        f"belum dijawab melewati batas {fmt_number(t.open_late)})",
        f"Perkiraan IKU: {_kpi(recap.kpi_office)}",
    ]
    cc = recap.complaints
    if cc is not None:
        lines.append(
            f"Pengaduan: diterima {fmt_number(cc.received)}, selesai {fmt_number(cc.done)}, "
            f"dalam proses {fmt_number(cc.in_progress)}, belum ditindaklanjuti "
            f"{fmt_number(cc.not_followed_up)}"
        )
    return lines


def side_by_side(view: Any, now: datetime) -> str:
    first = view.offices[0].office if view.offices else None
    tz = ZoneInfo(first.timezone) if first else ZoneInfo("Asia/Jakarta")
    lines = [
        f"<b>Rekap {esc(view.kanwil)} — {esc(view.label)}</b>",
        f"Per {fmt_datetime(now, tz)}",
    ]
    for n, f in enumerate(view.offices, start=1):
        lines += _office(n, f)
    lines += [
        "",
        "<i>Perkiraan IKU dihitung dari tiket yang tercatat di bot (bukan nilai resmi HAI CSO); "
        "minimal tiket sesuai tipe kantor. Hari dan jam kerja mengikuti zona waktu dan "
        "kalender masing-masing kantor.</i>",
    ]
    return "\n".join(lines)


def usage() -> str:
    return (
        "Format belum sesuai. Contoh: <code>/rekap kanwil</code> (bulan ini, semua kantor), "
        "<code>/rekap kanwil triwulan ini</code>, <code>/rekap kanwil 2 2026-11</code> "
        "(kantor nomor 2 saja)."
    )


def not_kanwil() -> str:
    return (
        "Mohon maaf, rekap Kanwil khusus untuk pejabat Kanwil yang ditetapkan mengawasi "
        "kantor-kantor dalam layanan ini. Bila Bapak/Ibu seharusnya memilikinya, mohon "
        "hubungi pengelola bot."
    )


def not_theirs() -> str:
    return (
        "Mohon maaf, kantor tersebut tidak termasuk kantor yang Bapak/Ibu awasi. "
        "Ketik <code>/rekap kanwil</code> untuk melihat kantor-kantor Bapak/Ibu."
    )


def use_kanwil() -> str:
    return (
        "Bapak/Ibu terdaftar sebagai pengawas Kanwil. Ketik <code>/rekap kanwil</code> untuk "
        "melihat rekap kantor-kantor yang Bapak/Ibu awasi secara berdampingan."
    )
