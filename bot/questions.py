"""Is this group message a question (or a problem report) the office should answer?

Shared by the FAQ (answer it?) and tickets (record it?). Deliberately conservative:
thanks, greetings, "siap" and short acknowledgements are never questions, so the bot
stays quiet in the group.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[a-z0-9]+(?:[-/][a-z0-9]+)*")

QUESTION_WORDS = frozenset(
    """apa apakah apaan bagaimana gimana gmn gmna bgmn bagaimanakah kenapa mengapa knp napa
    kapan kpn kapankah dimana dmn mana berapa brp brapa siapa bisakah bolehkah dapatkah
    haruskah perlukah adakah benarkah kah kok""".split()
)
# Phrases that open a request in the polite register operators use.
REQUEST_PHRASES = (
    "mohon info",
    "minta info",
    "mohon informasi",
    "minta informasi",
    "izin bertanya",
    "ijin bertanya",
    "izin tanya",
    "ijin tanya",
    "mau tanya",
    "mo tanya",
    "mau nanya",
    "numpang tanya",
    "tanya dong",
    "mohon petunjuk",
    "minta petunjuk",
    "mohon arahan",
    "mohon pencerahan",
    "mohon bantuan",
    "minta bantuan",
    "mohon dibantu",
    "tolong dibantu",
    "bagaimana cara",
    "cara mengajukan",
    "syaratnya",
    "persyaratan",
    "solusinya",
    "prosedurnya",
    "caranya",
    "langkahnya",
)
# A message that opens with "cara ..." ("cara daftar supplier") asks how to do it.
HOW_TO_OPENERS = ("cara ", "gimana ", "bagaimana ", "prosedur ", "syarat ", "mohon ")
# Problem reports: not phrased as questions, but they want an answer.
PROBLEM_WORDS = frozenset(
    """error eror gagal ditolak tertolak kendala masalah bermasalah retur stuck macet
    pending""".split()
)
PROBLEM_PHRASES = (
    "tidak bisa",
    "tdk bisa",
    "gak bisa",
    "ga bisa",
    "gk bisa",
    "nggak bisa",
    "ngga bisa",
    "belum masuk",
    "belum cair",
    "belum terbit",
    "belum muncul",
    "tidak muncul",
    "tidak dapat",
    "tdk dapat",
    "belum bisa",
    "belum keluar",
    "belum valid",
    "belum ada",
    "tidak masuk",
    "tidak tercatat",
    "terkunci",
    "hilang",
    "belum dijawab",
)
# Whole messages that are only courtesy or acknowledgement.
CHATTER = frozenset(
    """ok oke okay okey sip siap siaap baik noted mantap mantab thanks thx tks trims makasih
    terima kasih terimakasih matur nuwun hadir wkwk wkwkwk hehe haha amin aamiin pagi siang
    sore malam selamat assalamualaikum waalaikumsalam salam halo hai hi min pak bu bapak ibu
    kak mas mbak om all semua rekan rekan-rekan teman-teman juga sama sama-sama ya yaa iya
    betul benar setuju sudah udah done dicoba coba nanti segera""".split()
)


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def is_chatter(text: str) -> bool:
    """Only courtesy words (or nothing at all)."""
    ws = words(text)
    return all(w in CHATTER for w in ws)


def is_question(text: str) -> bool:
    lowered = " ".join(text.lower().split())
    ws = words(lowered)
    if not ws or is_chatter(lowered):
        return False
    if "?" in lowered and (len(ws) >= 2 or len(ws[0]) >= 3):
        return True
    if any(w in QUESTION_WORDS for w in ws) and len(ws) >= 2:
        return True
    if any(p in lowered for p in REQUEST_PHRASES):
        return True
    if len(ws) >= 3 and lowered.startswith(HOW_TO_OPENERS):
        return True
    if len(ws) >= 2 and (
        any(w in PROBLEM_WORDS for w in ws) or any(p in lowered for p in PROBLEM_PHRASES)
    ):
        return True
    return False
