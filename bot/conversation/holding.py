"""Is a staff reply only an acknowledgement ("Baik Pak, kami cek dulu ya")?

The HAI CSO rule: the answer, not an acknowledgement, stops the SLA clock. A short reply
that promises to look into it marks the ticket "sedang diproses" and keeps it open; a
reply that also carries content (longer than a holding note) is an answer.
"""

from __future__ import annotations

from bot.conversation.questions import words

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


# "sudah kami proses, SP2D terbit siang ini" reports what was done: an answer, though it
# holds "kami proses". A completion marker before a verb of doing says it is done...
DONE_MARKERS = frozenset("sudah udah udh sdh telah tlh selesai".split())
# ...unless the verb only says the message arrived ("sudah kami terima, kami cek dulu").
RECEIPT_VERBS = frozenset("terima diterima terima, baca dibaca catat dicatat masuk".split())
# Still going on or yet to come: these keep a reply a holding note whatever else it says.
# ("lagi" and "segera" are left out: "cek lagi besok", "silakan segera ajukan" are advice.)
ONGOING = frozenset("sedang akan dulu sebentar nanti tunggu ditunggu menunggu".split())


def is_holding(text: str) -> bool:
    ws = words(text)
    if not ws or len(ws) > HOLDING_MAX_WORDS:
        return False
    padded = f" {' '.join(ws)} "
    if not any(f" {p} " in padded for p in HOLDING_PHRASES):
        return False
    return not _reports_done(ws)


def _reports_done(ws: list[str]) -> bool:
    """Past tense without anything still to come: "SPM GUP sudah kami proses"."""
    if any(w in ONGOING for w in ws):
        return False
    for i, w in enumerate(ws):
        if w in DONE_MARKERS:
            following = ws[i + 1 : i + 3]
            if not any(f in RECEIPT_VERBS for f in following):
                return True
    return False
