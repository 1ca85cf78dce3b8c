"""Why an uploaded table was not read (bot/uploads.py): one plain sentence, not escaped
(the caller escapes it with the rest of its list)."""

from __future__ import annotations

from bot.uploads import UploadRefused, column_letters
from messages.format import fmt_number


def _where(r: UploadRefused) -> str:
    if r.row is not None and r.column is not None:
        return f"Baris {fmt_number(r.row)}, kolom {column_letters(r.column)}: "
    return f"Baris {fmt_number(r.row)}: " if r.row is not None else ""


def refusal(r: UploadRefused) -> str:
    limit = fmt_number(r.limit)
    texts = {
        "too_big": f"Berkas lebih dari {fmt_number(r.limit / (1024 * 1024))} MB",
        "unpacked": (
            f"Isi berkas XLSX terlalu besar setelah dibuka (lebih dari "
            f"{fmt_number(r.limit / (1024 * 1024))} MB); mohon simpan ulang hanya "
            "lembar datanya"
        ),
        "rows": f"Berkas terlalu besar: lebih dari {limit} baris data",
        "records": f"Berkas berisi lebih dari {limit} baris, baris kosong termasuk",
        "columns": f"ada isi di luar {limit} kolom pertama; mohon hapus kolom yang tidak perlu",
        "cell_chars": f"isi sel lebih dari {limit} karakter",
        "cells": f"Berkas berisi terlalu banyak sel terisi (lebih dari {limit})",
        "strings": f"Berkas berisi terlalu banyak teks berbeda (lebih dari {limit})",
        "text_chars": f"Berkas berisi terlalu banyak teks (lebih dari {limit} karakter)",
        "seconds": (
            f"Berkas tidak selesai dibaca dalam {limit} detik; mohon kirim berkas yang lebih "
            "kecil atau simpan ulang sebagai CSV"
        ),
        "unreadable": "Berkas tidak dapat dibaca: bukan CSV atau XLSX yang utuh",
        "kind": "Jenis berkas tidak didukung: mohon kirim CSV atau XLSX",
    }
    text = texts[r.reason]
    where = _where(r)
    return where + text[:1].lower() + text[1:] if where else text[:1].upper() + text[1:]
