"""Is this group message a question (or a problem report) the office should answer?

Shared by the FAQ (answer it?) and tickets (record it?). Deliberately conservative:
thanks, greetings, "siap" and short acknowledgements are never questions, so the bot
stays quiet in the group.
"""

from __future__ import annotations

import re

from bot.textnorm import stem

_WORD = re.compile(r"[a-z0-9]+(?:[-/][a-z0-9]+)*")

QUESTION_WORDS = frozenset(
    """apa apakah apaan bagaimana gimana gmn gmna bgmn bagaimanakah kenapa mengapa knp napa
    kapan kpn kapankah dimana dmn mana berapa brp brapa siapa bisakah bolehkah dapatkah
    haruskah perlukah adakah benarkah kah kok kemana kmn kemanakah darimana dimanakah
    berapakah knapa gmana""".split()
)


def _adjacent_swaps(word: str) -> set[str]:
    return {word[:i] + word[i + 1] + word[i] + word[i + 2 :] for i in range(len(word) - 1)}


# Thumbs on a phone swap two letters ("lewat amna", "kpaan terbit"): a question word so
# typed is still one, unless the swap spells a word of its own ("siaap").
QUESTION_TYPOS = frozenset(
    swapped
    for w in QUESTION_WORDS
    if len(w) >= 4
    for swapped in _adjacent_swaps(w)
    if swapped not in QUESTION_WORDS and swapped not in {"siaap", "nama", "aman", "akan"}
)
# A yes/no question asked with the tag inside ("ada biaya ga pak utk layanan di kppn",
# "boleh gak kalau SPM dikirim sore"): the verb, up to three words, then the tag.
_INNER_TAG = re.compile(
    r"^(?:\w+ ){0,2}(?:ada|bisa|boleh|harus|perlu|wajib|kena|dikenakan|berlaku)"
    r"(?: \w+){0,3} (?:ga|gak|gk|nggak|ngga|enggak|engga|tidak|tdk)\b(?! (?:bisa|dapat|ada)\b)"
)

# "cukup di satker ato hrs ke kanwil", "dibayar bareng spm gaji ato terpisah": a choice
# put to the office; the cue word keeps out "nanti siang atau besok saya ke kppn".
_CHOICE = frozenset("atau ato atw ataukah".split())
_CHOICE_CUES = frozenset(
    """cukup perlu harus wajib bisa boleh pakai pake lewat lwt bareng terpisah sendiri aja
    saja langsung manual online fisik""".split()
)
_REPORTED = frozenset("sudah telah terkirim dikirim kami".split())
# "bayar vendor diatas 50 jt wajib LS ya pak": a rule put back for confirmation.
_CONFIRM = re.compile(
    r"\b(?:wajib|harus|perlu|boleh|bisa|cukup|ngaruh|berpengaruh|berlaku)\b(?: \S+){0,5}"
    r" (?:ya|kan|gak|ga|gk|nggak|ngga|enggak|tidak)\b(?! (?:bisa|dapat|ada)\b)"
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
    """error eror gagal ditolak tertolak kendala masalah bermasalah retur diretur stuck macet
    pending kadaluarsa kedaluwarsa kadaluwarsa expired diblokir terblokir merah""".split()
)
PROBLEM_PHRASES = (
    "tidak bisa",
    "habis masa berlaku",
    "hbis masa berlaku",
    "tidak kekonfirmasi",
    "tidak terkonfirmasi",
    "belum terkonfirmasi",
    "belum selesai",
    "blm sls",
    "kena tolak",
    "ditutup sepihak",
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
    "tidak sesuai",
    "tidak muncul",
    "tidak aktif",
    "mohon dicek",
    "tolong dicek",
    "mohon dibantu cek",
    "bisa dikoreksi",
    "mohon dikoreksi",
    "salah akun",
    "salah rekening",
    "salah input",
    "harus ngapain",
    "lupa password",
    "lupa passphrase",
    "lupa sandi",
    "salah terus",
    "tidak terbaca",
    "tidak kebaca",
    "muncul selisih",
    "ada selisih",
)
# Spoken negations, read as "tidak" before the phrases above are looked for.
NEGATIONS = frozenset("gak ga gk nggak ngga enggak engga tdk g".split())
# An Indonesian yes/no question often ends in a tag: "sudah terbit belum?", "bisa gak min".
TAGS = frozenset("belum blm gak ga gk nggak ngga enggak engga tidak tdk kah".split())
TRAILING = frozenset("ya yah min pak bu kak mas mbak om gan sih dong nih".split())
# "belum dibayar", "belum terkonfirmasi": something the asker waits for.
_WAITING = re.compile(r"\b(?:belum|blm) (?:di|ter)[a-z]{3,}")
# Whole messages that are only courtesy or acknowledgement.
CHATTER = frozenset(
    """ok oke okay okey sip siap siaap baik noted mantap mantab thanks thx tks trims makasih
    terima kasih terimakasih matur nuwun hadir wkwk wkwkwk hehe haha amin aamiin pagi siang
    sore malam selamat assalamualaikum waalaikumsalam salam halo hai hi min pak bu bapak ibu
    kak mas mbak om all semua rekan rekan-rekan teman-teman juga sama sama-sama ya yaa iya
    betul benar setuju sudah udah done dicoba coba nanti segera""".split()
)


# Social talk among members: asked with a question word, but not a question to the office.
SOCIAL_PHRASES = (
    "apa kabar",
    "apa kbr",
    "gimana kabar",
    "gmn kabar",
    "bagaimana kabar",
    "kabarnya",
    "kabar semua",
    "piket",
    "sudah makan",
    "udah makan",
    "udh makan",
    "makan siang",
    "lagi apa",
    "lg apa",
    "lagi dimana",
    "lagi di mana",
    "ulang tahun",
    "ultah",
    "siapa yang datang",
    "siapa yang ikut",
    "ada yang ikut",
    "ngopi",
    "sehat semua",
    "sehat selalu",
    "libur ke mana",
    "libur kemana",
    "mudik",
)
# Words that tie a message to the office's services; a social phrase beside one of them
# ("piket kppn hari ini siapa, mau konsultasi sp2d") is still a question.
SERVICE_WORDS = frozenset(
    """sp2d spm spp up tup gup gtup lpj kkp dipa pok sakti omspan om-span span rekon
    rekonsiliasi erekon e-rekon kppn kanwil djpb satker anggaran pagu dana gaji tukin
    tagihan bayar pembayaran cair pencairan rekening supplier kontrak revisi pajak setor
    setoran ntpn billing pnbp retur login password sandi akun user aplikasi adk ikpa
    renkas rpd tte sertel passphrase bendahara ppk ppspm kpa spby belanja realisasi
    konsultasi layanan pengaduan cso hai tiket persediaan uang berkas dokumen surat
    petugas loket permohonan pengajuan usulan undangan sosialisasi passphrase spesimen
    operasional pegawai tunjangan transfer rekanan penyedia vendor honor perjadin kuitansi
    kwitansi whistleblowing wise sp4n gratifikasi pasword kemenkeu""".split()
)
# A social question longer than this is read as a real message that happens to be polite.
SOCIAL_MAX_WORDS = 14


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


# "syarat2", "tanya2": chat writes a repeated word with a 2 ("sp2d" keeps its 2).
_REDUPLICATED = re.compile(r"\b([a-z]{3,})2\b")
# Nouns that ask for information when they name a service: "syarat pengajuan up",
# "jadwal rekon bulan ini", "format lpj bendahara".
REQUEST_NOUNS = frozenset(
    """syarat syaratnya persyaratan cara caranya prosedur prosedurnya mekanisme jadwal
    jadwalnya batas deadline format formatnya contoh contohnya ketentuan ketentuannya
    panduan juknis tahapan langkah dasar""".split()
)


# Chat spellings of the words the rules below look for.
_CHAT_SPELLINGS = {
    "blm": "belum",
    "blum": "belum",
    "sdh": "sudah",
    "udh": "sudah",
    "udah": "sudah",
    "hrs": "harus",
    "tdk": "tidak",
    "gmn": "gimana",
    "brp": "berapa",
    "kpn": "kapan",
    "sy": "saya",
    "yg": "yang",
    "utk": "untuk",
    "bs": "bisa",
    "dgn": "dengan",
    "kmrn": "kemarin",
    "sblmnya": "sebelumnya",
    "sblm": "sebelum",
    "kmarin": "kemarin",
}
_CHAT_WORD = re.compile(r"\b(" + "|".join(_CHAT_SPELLINGS) + r")\b")


def normalise(text: str) -> str:
    """Lower case, single spaces, chat reduplication spelt out ("syarat2" -> "syarat"),
    chat spellings of function words written out ("blm" -> "belum")."""
    lowered = _REDUPLICATED.sub(r"\1", " ".join(text.lower().split()))
    return _CHAT_WORD.sub(lambda m: _CHAT_SPELLINGS[m.group(1)], lowered)


def is_chatter(text: str) -> bool:
    """Only courtesy words (or nothing at all)."""
    ws = words(text)
    return all(w in CHATTER for w in ws)


def is_social(text: str) -> bool:
    """Short social talk with no service word: "Apa kabar semuanya? Siapa yang piket?"."""
    lowered = " ".join(text.lower().split())
    ws = words(lowered)
    if not ws or len(ws) > SOCIAL_MAX_WORDS or any(w in SERVICE_WORDS for w in ws):
        return False
    if any(p in lowered for p in PROBLEM_PHRASES) or any(w in PROBLEM_WORDS for w in ws):
        return False
    padded = f" {' '.join(ws)} "
    return any(f" {p} " in padded for p in SOCIAL_PHRASES)


# A short line naming a service topic is a search ("jam operasional front office kppn",
# "bobot indikator ikpa tahun ini") unless it reports something done, thanks, or judges
# ("tiket pesawat ke Ambon mahal skali skrg").
TOPIC_MAX_WORDS = 7
NOT_A_TOPIC = frozenset(
    """sudah udah udh sdh telah terkirim dikirim terima kasih makasih trims thanks mantap
    siap oke ok baik noted info saya kami sy nanti ada ya akhirnya beres lega bangga senang
    alhamdulillah rasanya kita mahal murah capek cape pusing bosan""".split()
)


def _is_topic_line(ws: list[str]) -> bool:
    return (
        2 <= len(ws) <= TOPIC_MAX_WORDS
        and any(w in SERVICE_WORDS for w in ws)
        and not any(w in NOT_A_TOPIC for w in ws)
        # "kode satker 123456" gives a number: a detail, not a search
        and not any(sum(c.isdigit() for c in w) >= 4 for w in ws)
    )


def _ends_with_tag(ws: list[str]) -> bool:
    rest = list(ws)
    while rest and rest[-1] in TRAILING:
        rest.pop()
    return len(rest) >= 3 and rest[-1] in TAGS


_NEGATION_RE = re.compile(rf"\b(?:{'|'.join(sorted(NEGATIONS, key=len, reverse=True))})\b")


def negations_spelt(lowered: str) -> str:
    """Spoken negations written as "tidak" ("ga diangkat" -> "tidak diangkat")."""
    return _NEGATION_RE.sub("tidak", lowered)


def is_service_word(word: str) -> bool:
    """A service word as written or by its stem ("dibayar", "pencairan")."""
    return word in SERVICE_WORDS or (len(word) > 4 and stem(word) in SERVICE_WORDS)


def on_topic(text: str) -> bool:
    """Names one of the office's services (an off-topic question is the group's own)."""
    return any(is_service_word(w) for w in words(normalise(text)))


def is_question(text: str) -> bool:
    raw = normalise(text)
    if not words(raw) or is_chatter(raw) or is_social(raw):
        return False
    if _ends_with_tag(words(raw)):
        return True
    lowered = _NEGATION_RE.sub("tidak", raw)
    ws = words(lowered)
    if _WAITING.search(" ".join(ws)):
        return True
    if "?" in lowered and (len(ws) >= 2 or len(ws[0]) >= 3):
        return True
    if any(w in QUESTION_WORDS or w in QUESTION_TYPOS for w in ws) and len(ws) >= 2:
        return True
    reported = any(w in _REPORTED for w in ws)
    if _INNER_TAG.search(raw) or (_CONFIRM.search(raw) and not reported):
        return True
    if any(w in _CHOICE for w in ws) and ws[-1] in TRAILING and not reported:
        return True  # "diajukan ke kanwil atau ke dja ya"
    if (
        len(ws) >= 4
        and any(w in _CHOICE for w in ws)
        and any(w in _CHOICE_CUES for w in ws)
        and not any(w in _REPORTED for w in ws)
    ):
        return True
    if any(p in lowered for p in REQUEST_PHRASES):
        return True
    if len(ws) >= 3 and lowered.startswith(HOW_TO_OPENERS):
        return True
    if len(ws) >= 2 and any(w in REQUEST_NOUNS for w in ws) and any(w in SERVICE_WORDS for w in ws):
        return True
    if _is_topic_line(ws):
        return True
    if len(ws) >= 2 and (
        any(w in PROBLEM_WORDS for w in ws) or any(p in lowered for p in PROBLEM_PHRASES)
    ):
        return True
    return False
