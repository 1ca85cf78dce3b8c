"""Is a staff reply only an acknowledgement ("Baik Pak, kami cek dulu ya")?

The HAI CSO rule: the answer, not an acknowledgement, stops the SLA clock. A short reply
that promises to look into it marks the ticket "sedang diproses" and keeps it open; a
reply that also carries content (longer than a holding note) is an answer.
"""

from __future__ import annotations

from bot.questions import words

HOLDING_PHRASES = (
    "cek dulu",
    "dicek dulu",
    "kami cek",
    "saya cek",
    "kami periksa",
    "saya periksa",
    "diperiksa dulu",
    "kami tanyakan",
    "saya tanyakan",
    "kami konfirmasi",
    "saya konfirmasi",
    "kami koordinasikan",
    "kami proses",
    "sedang diproses",
    "sedang kami",
    "sedang saya",
    "akan kami",
    "akan saya",
    "mohon ditunggu",
    "mohon menunggu",
    "harap ditunggu",
    "ditunggu ya",
    "tunggu sebentar",
    "tunggu ya",
    "sebentar ya",
    "izin cek",
    "ijin cek",
    "kami pelajari",
    "kami bantu cek",
    "segera kami",
)
# A holding note is short; a reply longer than this says something of substance.
HOLDING_MAX_WORDS = 16


def is_holding(text: str) -> bool:
    ws = words(text)
    if not ws or len(ws) > HOLDING_MAX_WORDS:
        return False
    padded = f" {' '.join(ws)} "
    return any(f" {p} " in padded for p in HOLDING_PHRASES)
