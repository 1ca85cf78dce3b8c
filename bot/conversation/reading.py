"""What one group message is, read once into plain data. Pure functions: no I/O.

The intake (bot/intake.py) reads a message here exactly once and then decides with the
group's short memory (open tickets, their askers, the group's LO, recent FAQ answers).
What the message *is* comes from its words; what it *points at* (a ticket number in the
text, a colleague it is addressed to) too; the replied message and the memory are the
intake's business.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

from bot.conversation.holding import is_holding
from bot.conversation.learned import model as learned
from bot.conversation.questions import (
    PROBLEM_PHRASES,
    PROBLEM_WORDS,
    QUESTION_WORDS,
    REQUEST_NOUNS,
    REQUEST_PHRASES,
    SERVICE_WORDS,
    is_chatter,
    is_question,
    is_service_word,
    is_social,
    negations_spelt,
    normalise,
    on_topic,
    words,
)


class Kind(Enum):
    QUESTION = "question"  # how something works in general: the FAQ may answer it
    CASE = "case"  # this satker's own document, number, amount or error: the LO answers
    ANSWER = "answer"  # staff: says what was done, or how it is
    HOLDING = "holding"  # staff: acknowledges, will look into it, or asks back
    DETAIL = "detail"  # adds to something asked: "ini pak", a screenshot, a number
    CLARIFY = "clarify"  # "maksud saya bukan itu": the answer given missed the point
    COMPLAINT = "complaint"  # about the service or its staff: not a question for the LO
    STATUS = "status"  # "pertanyaan saya kemarin sudah dijawab belum?"
    STATEMENT = "statement"  # says something about the service without asking
    CHAT = "chat"  # courtesy, social talk, apologies, the weather


@dataclass(frozen=True)
class Reading:
    kind: Kind
    ticket_numbers: tuple[str, ...] = ()  # "2026-0018" as written in the text
    addressed_to: str | None = None  # "budi" in "pak budi, laptopnya sudah dibalikin?"
    # Names one of the office's services: a question that does not ("bagaimana cara
    # membuat paspor?") gets an FAQ answer if one fits, never a ticket.
    on_topic: bool = True
    # "GUP atau TUP?", "apa bedanya ...": the asker offers a choice themselves.
    names_a_choice: bool = False
    # The learned reader's opinion of a member's message (None for staff and for a
    # message without words): policy.py weighs its FAQ entry against the matcher's.
    guess: learned.Guess | None = None
    # A question to the rules that the model calls chat: silence, unless an FAQ entry the
    # model never saw (approved from an LO's answer, an office's own) answers it.
    hushed: bool = False
    # A detail that reports on its own ("ditolak lagi pak, yg no 00218"): its document
    # named, and more said than the reference. With nothing before it to join, a case.
    reported: bool = False


TICKET_NUMBER = re.compile(r"(?<![\d-])#?(20\d\d-\d{3,6})(?![\d-])")
# "Pak Budi, ..." / "bu rina: ..." at the very start: said to one person by name.
_TITLE = (
    r"(?:pak|bapak|bu|ibu|mas|mbak|mba|kak|kakak|kaka|bang|abang|om|dik|dek|uda|uni|daeng|lae|"
    r"bli|kang|teh|nyong|nona|cak|ning|bung|ito|pace|mace|bapa|usi|akang)"
)
# "Pak Budi, ..." / "bu rina: ..." / "Pak/Bu Putri, ...": said to one person by name; a
# short message may leave the comma out ("mas eko nanti siang jadi ke kppn?").
_VOCATIVE = re.compile(
    rf"^\s*{_TITLE}(?:/{_TITLE})?\s+([a-z][a-z'.-]{{1,20}})(?:\s+[a-z][a-z'.-]{{1,20}})?\s*([,:])?"
)
VOCATIVE_NO_COMMA_WORDS = 8
# Words that follow "pak" without being a name: "pak mohon info", "bu kapan ...".
_NOT_A_NAME = frozenset(
    """mohon izin ijin minta tolong mau maaf mo numpang sekalian apa apakah bagaimana
    gimana gmn kapan kpn berapa brp dimana mana kenapa knp siapa bisa boleh ada saya
    kami sy kalau kalo klo untuk utk yang yg sudah udah udh sdh belum blm ini itu
    terima makasih selamat""".split()
)
# Names that are roles, not persons: "pak LO, ..." asks the office.
_NOT_NAMES = frozenset(
    "lo admin cso kasi kepala kppn petugas operator bendahara ppk ibu bapak bu pak".split()
)  # "Bapak ibu, jadwal ... kapan?" speaks to everyone

COMPLAINT_PHRASES = (
    "komplain",
    "complain",
    "mau mengadu",
    "ingin mengadu",
    "mengadukan",
    "pengaduan",
    "saya adukan",
    "kecewa dengan",
    "kecewa sama",
    "sangat kecewa",
    "pelayanan buruk",
    "pelayanannya buruk",
    "layanan buruk",
    "tidak profesional",
    "tidak ramah",
    "dimintai uang",
    "diminta uang",
    "pungli",
    "pungutan liar",
    "gratifikasi",
    "suap",
    "kecewa",
    "mengecewakan",
    "dipersulit",
    "berbelit",
    "tidak ditanggapi",
    "tidak direspon",
    "tidak ada respon",
    "tidak ada tanggapan",
    "tanpa respon",
    "tanpa tanggapan",
    "tidak dibalas",
    "tidak dilayani",
    "diabaikan",
    "dicuekin",
    "slow respon",
    "slow response",
    "lambat sekali",
    "lama sekali",
    "lambat banget",
    "lama banget",
    "susah dihubungi",
    "tidak bisa dihubungi",
    "sulit dihubungi",
    "kasar",
    "judes",
    "jutek",
    "minta imbalan",
    "uang terima kasih",
    "uang lelah",
    "diminta bayar",
    "disuruh bayar",
    "biaya tambahan",
    # unreachable
    "tidak diangkat",
    "tidak pernah diangkat",
    "tidak dibales",
    "tidak pernah dibalas",
    "tidak pernah dibales",
    # rudeness
    "membentak",
    "dibentak",
    "tidak sopan",
    "ketus",
    "sikap petugas",
    # money asked for
    "uang rokok",
    "uang pelicin",
    "uang kopi",
    "minta uang",
    "bawa oleh",
    # said as a complaint without the word
    "keluhan",
    "mengeluh",
    "tolong diperbaiki",
    "mohon diperbaiki",
    "harap diperbaiki",
    "lebih serius",
    "dirugikan",
    "merugikan",
    "tidak becus",
    "tidak nyambung",
    "infonya beda",
    "informasinya beda",
    "ternyata salah",
    "antrian panjang",
    "antrean panjang",
    "antriannya panjang",
    "makin lambat",
    "semakin lambat",
    "bolak balik",
    "beda terus",
    "keberatan dengan",
    "ketidakpuasan",
    "tidak puas",
    "merendahkan",
    "percuma",
    "jarang dijawab",
    "jarang dibalas",
    "tidak pernah nyambung",
    "padahal gratis",
    "padahal katanya gratis",
    "biaya administrasi",
    "biaya percepatan",
    "tutup padahal",
    "diminta oleh",
)
STATUS_PHRASES = (
    "nunggu jawaban tiket",
    "menunggu jawaban tiket",
    "tunggu jawaban tiket",
    "sudah dijawab belum",
    "udah dijawab belum",
    "sudah dijawab blm",
    "udh dijawab blm",
    "sudah ada jawaban",
    "sudah ada jawabannya",
    "belum ada jawaban",
    "belum dapat jawaban",
    "belum dijawab ya",
    "nomor tiket",
    "no tiket",
    "tiket saya",
    "tiket kami",
    "pertanyaan saya kemarin",
    "pertanyaan saya tadi",
    "pertanyaan kami kemarin",
    "pertanyaan kami tadi",
    "pertanyaan saya sebelumnya",
    "pertanyaan kami sebelumnya",
    "kelanjutan pertanyaan",
    "progres pertanyaan",
    "status pertanyaan",
    "status tiket",
    "yang kemarin saya tanyakan",
    "yang saya tanyakan kemarin",
    "gimana kelanjutannya",
    "bagaimana kelanjutannya",
    "tindak lanjutnya",
    "belum dibalas",
    "belum direspon",
    "yang saya tanya",
    "yang kami tanya",
    "yang saya tanyakan",
    "yang kami tanyakan",
    "yang kemarin saya",
    "tiket no berapa",
    "tiket nomor berapa",
    "nomor tiketnya",
    "progres tiket",
    "yang saya tanyain",
    "yang kami tanyain",
    "kapan dijawab",
    "saya nanya dari",
    "kami nanya dari",
)
# A ticket number with one of these asks where the ticket stands.
_HOW_IT_STANDS = frozenset(
    """status statusnya gimana bagaimana kabarnya perkembangan perkembangannya progres
    progresnya kelanjutannya dijawab""".split()
)
# "tiket nomor #T-20261203-017", "tiket no 18": a ticket named by its number, in any form.
_TICKET_REFERENCE = re.compile(r"\btiket\s+(?:nomor|nmr|no\.?)?\s*#?[\w-]*\d")


def _names_a_ticket(text: str, lowered: str) -> bool:
    return bool(TICKET_NUMBER.search(text) or _TICKET_REFERENCE.search(lowered))


def _asks_how_it_stands(lowered: str) -> bool:
    return bool(set(lowered.split()) & _HOW_IT_STANDS) or "sampai mana" in lowered


# "pertanyaan saya ... belum", "tiket kami gimana": one's own earlier question, asked about.
_OWN_QUESTION = re.compile(
    r"\b(?:pertanyaan|tiket|konsultasi|laporan|permasalahan|masalah|pesan)(?:nya)?\s+"
    r"(?:yang\s+|yg\s+)?(?:saya|kami|sy|aku|awak|ambo|sa|beta|ulun)\b"
    r"|\b(?:pertanyaan|tiket|konsultasi)ku\b"  # "tiketku", "pertanyaanku"
    # Javanese and Sundanese: "pitakonku wingi", "pitakenan kula", "patarosan abdi"
    r"|\b(?:pitakon|pitakonan|pitakenan)(?:ku|\s+kula|\s+kulo)\b|\bpatarosan\s+abdi\b"
)
# "yang sa tanya tadi pagi", "yg kutanya kemarin", "saya sudah tanya 2 hari lalu": one's
# own question of before, in the words of the east and of chat ("mau tanya" is a new one).
_ASKED_EARLIER = re.compile(
    r"\b(?:yang|yg)\s+(?:saya\s+|sa\s+|sy\s+|aku\s+|kami\s+)?(?:ku)?(?:tanya|tanyakan|tanyain)\b"
    r"|\b(?:saya|sa|sy|aku|kami|ambo|beta|ulun)\s+(?:\w+\s+)?"
    r"(?:sudah|udah|sdh|su|sempat|pernah|lah|alah)\s+(?:tanya|bertanya|menanyakan|nanya|batanyo)\b"
    r"|\b(?:saya|sa|sy|aku|kami)\s+(?:tanya|nanya|bertanya)\s+(?:dari\s+)?"
    r"(?:kemarin|kemaren|kmrn|tadi|td|semalam)\b"
)
_ABOUT_IT = frozenset(
    """belum sudah status gimana bagaimana kelanjutan kelanjutannya progres dijawab dibalas
    jawaban ajukan diajukan update kabar kabarnya mana ditindaklanjuti menindaklanjuti
    proses tangani ditangani ditanggapi progresnya perkembangan perkembangannya durung
    jawabane wis sampun dereng piye parantos kumaha jawabannyo alun""".split()
)
# Impatience about one's own document ("kenapa lama sekali SP2D kami terbit?") is that
# document's case for the LO, not a complaint about the service.
SLOWNESS = (
    "lambat sekali", "lama sekali", "lambat banget", "lama banget", "makin lambat", "semakin lambat"
)  # fmt: skip
SERVICE_PEOPLE = (
    "pelayanan", "layanan", "petugas", "lo", "loket", "cso", "respon", "responnya", "antrian",
    "antrean", "antriannya", "call center", "pegawai",
)  # fmt: skip
CLARIFY_PHRASES = (
    "maksud saya",
    "maksud sy",
    "maksudnya bukan",
    "bukan itu",
    "bukan yang itu",
    "bukan yg itu",
    "bukan itu maksud",
    "belum menjawab",
    "blm menjawab",
    "tidak menjawab",
    "tdk menjawab",
    "yang saya tanyakan",
    "yg saya tanyakan",
    "yg sy tanyakan",
)
# "rekan2 satker, ada yg punya kontak tukang servis AC?": everyone is a satker here.
_TOPICS_BUT_SATKER = SERVICE_WORDS - {"satker"}
# "izin share foto kegiatan kemarin": something shown to the group, nothing asked.
_SHARING = ("izin share", "ijin share", "izin berbagi", "ijin berbagi", "izin kirim foto")
CHAT_PHRASES = (
    "salah kirim",
    "salah grup",
    "salah group",
    "salah kamar",
    "abaikan pesan",
    "mohon diabaikan",
    "maaf salah",
)
# Chat the model may not name otherwise: closing one's own question ("sudah terjawab,
# tiket boleh ditutup" read as a status request, 0.56) and welcomes or farewells
# ("Welcome Pak Bayu, PPSPM baru di satker kami" read as a case, 0.67).
FIRM_CHAT_PHRASES = (
    "sudah terjawab",
    "udah terjawab",
    "sdh terjawab",
    "boleh ditutup",
    "bisa ditutup",
    "silakan ditutup",
    "selamat datang",
    "selamat bergabung",
    "welcome",
    "selamat jalan",
    "selamat bertugas",
    "sukses selalu",
)


# One's own absence told to colleagues: the work named in it is handed over, not asked.
ABSENCE_PHRASES = (
    "izin tidak masuk",
    "ijin tidak masuk",
    "izin gak masuk",
    "izin ga masuk",
    "izin sakit",
    "ijin sakit",
    "izin cuti",
    "ijin cuti",
)


# A note or reminder to the whole group ("Catatan buat kita semua: ...", "Reminder: LPJ
# ...", "Pesan kepala satker: ..."): passed on to colleagues, nothing asked of the office.
# In the 38 labelled sets (6,900 messages) 51 open so, all chat; the model named some
# cases (a service's words in a colleague's advice).
_NOTICE = re.compile(
    r"^(?:catatan|pesan (?:dari )?(?:kepala|pimpinan|kasatker|kpa)|disampaikan (?:kepada|kpd)|"
    r"share info|mohon izin share|izin share|ijin share|pengingat|reminder|jangan lupa|"
    r"ingat ya|sekedar mengingatkan|sekadar mengingatkan|diinformasikan|info aja|info saja|"
    r"info buat|info untuk|note buat|note untuk|saran aja|saran saja|pengalaman saya)\b"
)
# A laugh: banter ("wkwk SPM ku lolos terus 😂", "ciee yg ikpa nya 100"). In the labelled
# sets 90 messages laugh so, all chat ("hehe" and 😅 also close status requests and
# questions: not a laugh here). One naming its own document is still read as a case.
_LAUGH = re.compile(r"😂|🤣|😆|\bwkwk|\bkwkw|\bha(?:ha)+\b|\bcie+\b|\bxixi", re.IGNORECASE)
# Relief told to colleagues ("akhirnya SP2D cair juga", "lega banget, rekon match"): in the
# labelled sets 13 messages open so, all chat.
_RELIEF = re.compile(r"^\W*(?:akhirnya|lega)\b", re.IGNORECASE)


# A statement that something is now in order, with no "but" and no trouble in it: reported,
# not a problem, whatever the model makes of its numbers.
_SETTLED = re.compile(
    r"\b(?:sudah|sdh|udah|udh|dah|telah)\s+(?:sesuai|benar|bener|beres|aman|oke|ok|clear|lancar)\b"
)
_BUT = frozenset("tapi tp tetapi namun padahal masih belum blm kok".split())


def _settled(text: str, lowered: str) -> bool:
    if "?" in text or not _SETTLED.search(lowered):
        return False
    ws = set(lowered.split())
    return not ws & _BUT and not ws & STUCK


def _firmly_chat(text: str, lowered: str) -> bool:
    """Chat the model is not asked about: it may name it otherwise."""
    return _has(lowered, FIRM_CHAT_PHRASES) or bool(_NOTICE.match(lowered)) or _banter(text)


def _banter(text: str) -> bool:
    joked = _LAUGH.search(text) or _RELIEF.match(text)
    return bool(joked) and not names_a_reference(text)


DETAIL_OPENERS = (
    "ini pak",
    "ini bu",
    "ini kak",
    "ini min",
    "ini mas",
    "ini mbak",
    "berikut",
    "terlampir",
    "screenshot",
    "ss nya",
    "ssnya",
    "tangkapan layar",
    "fotonya",
    "buktinya",
    "lampiran",
    "kode satker",
    "kode satkernya",
    "nomor spm",
    "no spm",
    "nomornya",
)
# A statement that reports its document stuck: "... blm ada SP2D nya", "statusnya masih
# 'diproses' terus" ("Akun 521211 sudah sesuai DIPA" only informs).
# One's own document or account in trouble, in chat's words ("akun sakti sy kekunci",
# "ikpa kita anjlok", "tukin kurang bayar, tolong cek"). Tried and dropped: "salah" and
# "kurang" alone ("setoran kami tercatat dgn kode satker yg salah, koreksinya ke mana?" is
# filed as a general question; "kurang nyaman" is a complaint).
OWN_TROUBLE = PROBLEM_WORDS | frozenset("kekunci keblokir anjlok".split())
OWN_TROUBLE_PHRASES = (
    *PROBLEM_PHRASES,
    "tolong cek",
    "mohon cek",
    "belum berubah",
    "blm berubah",
    "kurang bayar",
    "kurang dibayar",
)
STUCK = OWN_TROUBLE | frozenset("terus masih belum tolong mohon kosong".split())
THANKS = frozenset("makasih terima terimakasih trims thanks thx alhamdulillah".split())
# The words of one's own: "SPM kami", "user saya".
# The regions' "I" and "we" too: Papua's "sa", Minang's "ambo", Maluku's "beta", Banjar's
# "ulun", Jawa's "kula", Sunda's "abdi", Betawi's "ane"/"aye".
OWN = frozenset(
    "kami saya sy kmi kita aku gue gw punya sa ambo awak beta ulun kula abdi ane aye".split()
)
# A problem put as a condition ("kalau SPM ditolak, ...") is a general question.
CONDITIONAL = frozenset(
    "kalau kalo klo kl jika jikalau apabila bila misal misalnya seandainya".split()
)
PROGRESS_VERBS = frozenset(
    """diproses proses cair dicairkan terbit diterbitkan masuk selesai disetujui diterima
    sampai dibayar ditransfer divalidasi diverifikasi""".split()
)
PROGRESS_ASKS = frozenset("kapan kpn sudah udah udh sdh belum blm kenapa knp lama".split())
_CHOICE = re.compile(r"\b(?:atau|atw|ataukah|bedanya|perbedaan|beda)\b|\bvs\b")
# A reference code of letters and digits: an NTPN "90F20A37F1FFF", an SPM "00516C".
# Two digits at least: "berhenti2" is chat's reduplication, not a code.
_CODE = re.compile(r"\b(?=[a-z0-9]*\d[a-z0-9]*\d)(?=[a-z0-9]*[a-z])[a-z0-9]{8,}\b")
_DIGITS = re.compile(r"\d[\d./-]*\d|\d")
_AMOUNT = re.compile(
    r"\brp\.?\s*\d|\b\d{1,3}(?:[.,]\d{3}){1,}\b|\b\d+(?:[.,]\d+)?\s*(?:juta|jt|ribu|rb|miliar|m)\b"
)
_QUOTED = re.compile(r"[\"'“”‘’«]([^\"'“”‘’»]{6,120})[\"'“”‘’»]")
_ERROR_SHOWN = re.compile(
    r"\b(?:muncul|keluar|tertulis|bertuliskan|notif|notifikasi|pesan error)\b"
)


def read(text: str, *, from_staff: bool = False, has_media: bool = False) -> Reading:
    """Read a group message. ``has_media``: it came with a photo or document."""
    numbers = tuple(dict.fromkeys(TICKET_NUMBER.findall(text)))
    lowered = " ".join(text.lower().split())
    addressed = _addressed_to(text, lowered)
    guess = None
    hushed = False
    if from_staff:
        kind = _staff_kind(text)
    else:
        said_words = " ".join(words(normalise(text)))  # once: every rule below reads it
        kind = _member_kind(text, said_words, has_media)
        if kind is not Kind.CHAT or not _firmly_chat(text, said_words):
            guess = learned.guess(text) if words(text) else None
            # Only a question can be silenced, so only a question is asked whether it asks.
            asks = kind is Kind.QUESTION and asks_the_office(text, said_words)
            said = second_opinion(kind, guess, asks)
            hushed = kind is Kind.QUESTION and said is Kind.CHAT
            if said is Kind.QUESTION and kind in _UNREAD and is_specific(text):
                said = Kind.CASE  # a question about this satker's own person or document
            if said is Kind.CASE and kind in _UNREAD and _settled(text, said_words):
                said = kind  # "Akun 521211 sudah sesuai DIPA revisi ke-2 pak": nothing wrong
            kind = said
    to_colleague = addressed in _SATKER_ROLES or bool(_COLLEAGUE_TALK & set(words(lowered)))
    if not from_staff and addressed and to_colleague:
        kind = Kind.CHAT  # "mas Andi, spm yg tadi udh kamu cek?": one member to another
        hushed = False
    choice = bool(_CHOICE.search(lowered))
    reported = kind is Kind.DETAIL and not has_media and _reports(text)
    return Reading(kind, numbers, addressed, on_topic(text), choice, guess, hushed, reported)


# Words a detail needs besides its reference to report something: "no spm 00218" does not,
# "ditolak lagi pak, yg no 00218" does.
REPORT_WORDS = 5


def _reports(text: str) -> bool:
    return len(words(text)) >= REPORT_WORDS and is_specific(text)


# How sure the learned reader must be to overrule the rules, by what is at stake. The
# rules hold phrases and structure; the model has seen ~3,200 labelled messages. Chosen
# leave-one-set-out over the six sets with every group (docs/BENCHMARKS.md).
NAME_THE_UNREAD = 0.5  # a statement or chat the rules left unread: a question, case, status
FILE_A_COMPLAINT = 0.65  # ... a complaint, filed with the compliance desk ("kami juga")
TAKE_FROM_THE_LO = 0.8  # a question or case: a complaint or status request after all
# A case the rules found names the satker's own document: as a complaint it would reach
# the compliance desk, not the LO ("berkas yang kami titipkan ke petugas sudah sampai?").
COMPLAINT_NOT_CASE = 0.9
SILENCE_A_QUESTION = 0.7  # a question: chat (never a case, never one put as a request)
SURE_QUESTION = 0.9  # a complaint or status request: a general question after all
# A complaint to the rules ("alasannya beda terus") about this satker's own document,
# which the model is this sure is the LO's case.
A_CASE_NOT_COMPLAINT = 0.7
# A statement the model holds for a problem without telling a case from a complaint
# ("Serel kami tidak bisa dipakai, pesan 'sertifikat dicabut'": 0.47 and 0.48).
A_PROBLEM = 0.8
# What the rules read from the conversation around a message (a screenshot after a
# question, "maksud saya bukan itu" after an answer): the model sees one message only.
_CONTEXTUAL = frozenset({Kind.DETAIL, Kind.CLARIFY})
_UNREAD = frozenset({Kind.STATEMENT, Kind.CHAT})


# Said to the whole group or passed on to it ("Ingat ya teman-teman, batas rekon tanggal
# 10", "Fwd: kepada seluruh satker ..."): a request noun in it asks the office nothing.
_TO_THE_GROUP = re.compile(
    r"\b(?:teman-teman|temen-temen|teman|temen|rekan-rekan|rekan|kepada seluruh|"
    r"disampaikan kepada|diteruskan|fwd)\b"
)


def asks_the_office(text: str, lowered: str | None = None) -> bool:
    """ "Mohon info ...", "mau tanya ...", "bagaimana cara/syarat ...": put as a request for
    information, which colleagues chatting rarely do. ``lowered``: its normalised words,
    when the caller has them."""
    if lowered is None:
        lowered = " ".join(words(normalise(text)))
    if _has(lowered, REQUEST_PHRASES):
        return True
    return bool(set(lowered.split()) & REQUEST_NOUNS) and not _TO_THE_GROUP.search(lowered)


def second_opinion(kind: Kind, guess: learned.Guess | None, asks: bool = False) -> Kind:
    """The rules' kind of a member's message, weighed with the model's guess. A complaint,
    a status request or a case is kept when either reader sees it (each is costly to
    miss); chat needs a sure model, and never silences a case the rules found nor a
    question put as a request for information (``asks``: asks_the_office)."""
    if guess is None or kind in _CONTEXTUAL:
        return kind
    if kind in (Kind.COMPLAINT, Kind.STATUS) and guess.share(learned.QUESTION) >= SURE_QUESTION:
        return Kind.QUESTION  # "kalau nanya di grup ini dapat nomor tiket?" asks how it works
    unread = kind in _UNREAD
    if kind is Kind.COMPLAINT and guess.share(learned.CASE) >= A_CASE_NOT_COMPLAINT:
        return Kind.CASE  # "SPM kami ditolak 3 kali, alasannya beda terus": the LO's case
    if kind is Kind.COMPLAINT or guess.share(learned.COMPLAINT) > _complaint_bar(kind):
        return Kind.COMPLAINT
    if kind is Kind.STATUS or guess.share(learned.STATUS) > (
        NAME_THE_UNREAD if unread else TAKE_FROM_THE_LO
    ):
        return Kind.STATUS
    if kind is Kind.QUESTION and guess.share(learned.CHAT) > SILENCE_A_QUESTION and not asks:
        return Kind.CHAT  # a statement the model calls chat is silence already
    if kind is Kind.CASE or guess.share(learned.CASE) > NAME_THE_UNREAD:
        return Kind.CASE
    if unread and guess.share(learned.CASE) + guess.share(learned.COMPLAINT) > A_PROBLEM:
        return Kind.CASE  # a problem, case or complaint: the LO sees it, silence would lose it
    if unread and guess.share(learned.QUESTION) > NAME_THE_UNREAD:
        return Kind.QUESTION
    return kind


def _complaint_bar(kind: Kind) -> float:
    if kind in _UNREAD:
        return FILE_A_COMPLAINT
    return COMPLAINT_NOT_CASE if kind is Kind.CASE else TAKE_FROM_THE_LO


# How colleagues talk to each other; a member writes to the office with "kami"/"Bapak".
_COLLEAGUE_TALK = frozenset("kamu km aku gue gw lu kita nitip titip".split())
# "pak kasubbag, kuitansi yg kemarin sdh ditandatangani?": a role inside the satker.
_SATKER_ROLES = frozenset("kasubbag kasubag kabag sekretaris sekre kasubbagian".split())


# Staff speaking to the whole group ("rekan2 mohon SPM jangan menumpuk", "selamat pagi
# rekan-rekan satker"): an announcement, not one asker's answer.
_TO_EVERYONE = re.compile(
    r"^\s*(?:selamat (?:pagi|siang|sore|malam)\s+)?(?:rekan|rekan2|rekan-rekan|teman2|"
    r"teman-teman|para|bapak ibu sekalian|bapak/ibu sekalian|bapak ibu semua|semua)\b"
)


def _is_complaint(text: str, lowered: str) -> bool:
    said = negations_spelt(lowered)
    if _asks_how_to_complain(lowered) or _PERMISSION.search(said):
        return False
    found = (
        [p for p in COMPLAINT_PHRASES if _has_one(said, p)] if _has(said, COMPLAINT_PHRASES) else []
    )
    if not found:
        return _judges_the_service(text, said)
    only_impatience = all(p in SLOWNESS for p in found)
    # "sp2d ... kok lama sekali ya" asks why; slowness is a complaint when it is about the
    # service or its people ("pelayanan di loket lambat sekali").
    about_service = _has(lowered, SERVICE_PEOPLE)
    return not (only_impatience and (is_specific(text) or not about_service))


# Who a complaint is about, and the words that judge them: a complaint is rarely said
# with the word "komplain" ("petugasnya galak, ditelpon tidak diangkat").
_SERVICE_SIDE = frozenset(
    """pelayanan pelayanannya layanan layanannya petugas petugasnya pegawai pegawainya
    loket loketnya lo lonya cso kppn admin adminnya grup telp telepon ditelpon ditelepon
    antrian antrean antriannya""".split()
)
_JUDGEMENT = frozenset(
    """lambat lelet lemot susah sulit kasar ketus jutek galak sinis cuek buruk jelek parah
    ribet bertele seenaknya semena sembarangan asal-asalan kecewa dirugikan percuma""".split()
)
_FAILED_DUTY = re.compile(
    r"\btidak (?:pernah |ada yang |juga )?(?:diangkat|dibalas|dibales|dijawab|direspon|"
    r"direspons|ditanggapi|dilayani|ramah|sopan|jelas|konsisten|profesional|responsif|"
    r"aktif)\b"
)
_ASKED_FOR = re.compile(
    r"\bminta(?:nya)? (?:kami |saya )?(?:uang|imbalan|biaya|oleh|rokok|transfer|"
    r"dibelikan|dibeliin|dibawakan|dibawain|ditraktir|traktir)"
)


def _judges_the_service(text: str, said: str) -> bool:
    """The service or its people, and a word that judges them; not one satker's own
    document that is late (that is a case for the LO)."""
    ws = set(said.split())
    if not ws & _SERVICE_SIDE and not _ASKED_FOR.search(said):
        return False
    if _ASKED_FOR.search(said):
        return True
    if ws & DAY_WORDS:
        return False  # "macet parah, telat sampai KPPN": the traffic is judged
    judged = bool(ws & _JUDGEMENT) or bool(_FAILED_DUTY.search(said))
    # "kok" and "masa" carry the reproach; a real question word asks something instead.
    asks = "?" in text or bool(ws & (QUESTION_WORDS - {"kok", "masa"}))
    return judged and not asks and not is_specific(text)


def _asks_about_own_question(lowered: str) -> bool:
    """ "pertanyaan saya ... sudah dijawab?", or "sudah ada update untuk pertanyaan saya"."""
    m = _OWN_QUESTION.search(lowered) or _ASKED_EARLIER.search(lowered)
    if m is None or set(lowered.split()) & THANKS:
        return False  # "masalah saya sudah selesai, terima kasih": thanks, nothing asked
    near = lowered[: m.start()].split()[-8:] + lowered[m.end() :].split()[:8]
    return any(w in _ABOUT_IT for w in near)


# "@Yosef bisa ko kirim file rekap gaji ke sa?": a member mentioned at the very start.
_MENTION = re.compile(r"^\s*@([A-Za-z]+)")


def _addressed_to(text: str, lowered: str) -> str | None:
    mention = _MENTION.match(text)
    if mention is not None:  # "@budi_kppn": the letters before the first other sign
        return mention.group(1).lower()
    m = _VOCATIVE.match(lowered)
    if m is None:
        return None
    name = m.group(1)
    if name in _NOT_NAMES or name in _NOT_A_NAME or name in SERVICE_WORDS:
        return None
    # "Pak Budi td nanya password SAKTI punya siapa? ...": a capitalised name after the
    # title is a person, however long the message; without either, a long message may
    # be an opener ("pak mohon info ...").
    named = bool(_CAPITALISED.match(text))
    if m.group(2) is None and not named and len(lowered.split()) > VOCATIVE_NO_COMMA_WORDS:
        return None
    return name


_CAPITALISED = re.compile(rf"^\s*(?i:{_TITLE})(?:/(?i:{_TITLE}))?\s+[A-Z][a-z]")


def _staff_kind(text: str) -> Kind:
    ws = words(text)
    if not ws or is_chatter(text) or is_social(text):
        return Kind.CHAT
    if _TO_EVERYONE.match(text.lower()):
        return Kind.CHAT
    if is_holding(text):
        return Kind.HOLDING
    # Staff asking back ("kode satkernya berapa pak?") has not answered yet.
    if text.rstrip().endswith("?") and len(ws) <= 20:
        return Kind.HOLDING
    if len(ws) < 3:
        return Kind.CHAT
    return Kind.ANSWER


def _has(lowered: str, phrases: tuple[str, ...]) -> bool:
    """One of ``phrases`` as whole words (before a space, a comma or "?")."""
    return _phrases(phrases).search(f" {lowered} ") is not None


def _has_one(lowered: str, phrase: str) -> bool:
    padded = f" {lowered} "
    return any(f" {phrase}{end}" in padded for end in " ,?")


@lru_cache(maxsize=64)
def _phrases(phrases: tuple[str, ...]) -> re.Pattern[str]:
    """The phrase lists as one expression each: a message is searched once per list, not
    once per phrase and ending (260 substring searches a message, 5 % of its CPU)."""
    longest_first = sorted(phrases, key=len, reverse=True)
    alternatives = "|".join(map(re.escape, longest_first))
    return re.compile(rf"(?<= )(?:{alternatives})(?=[ ,?])")


_FORWARDED = re.compile(
    r"^(?:fwd|fw|forward|forwarded|diteruskan|meneruskan|terusan|fyi|sekadar info|sekedar info)\b"
)


def _member_kind(text: str, lowered: str, has_media: bool) -> Kind:
    """``lowered``: the message's words, normalised (read())."""
    if not lowered:
        return Kind.DETAIL if has_media else Kind.CHAT
    if _FORWARDED.match(lowered) or _NOTICE.match(lowered) or _banter(text):
        return Kind.CHAT  # "Fwd: mohon satker mengisi survei ...": passed on, not said
    if _has(lowered, ABSENCE_PHRASES):
        return Kind.CHAT  # "saya izin tidak masuk, urusan SPM dihandle Mbak Tika dulu"
    if _is_complaint(text, lowered):
        return Kind.COMPLAINT
    if _has(lowered, STATUS_PHRASES) or _asks_about_own_question(lowered):
        return Kind.STATUS
    if _names_a_ticket(text, lowered) and _asks_how_it_stands(lowered):
        return Kind.STATUS  # "tiket nomor 2026-0412 statusnya gimana pak"
    if _has(lowered, CLARIFY_PHRASES):
        return Kind.CLARIFY
    if lowered.startswith(_SHARING):
        return Kind.CHAT
    if _TO_EVERYONE.match(lowered) and not set(lowered.split()) & _TOPICS_BUT_SATKER:
        return Kind.CHAT  # "rekan2 satker, ada yg punya kontak tukang servis AC?"
    asked = is_question(text)  # once: every rule below reads this answer
    if (_has(lowered, CHAT_PHRASES) or _has(lowered, FIRM_CHAT_PHRASES)) and not asked:
        return Kind.CHAT
    if _about_the_day(lowered, text):
        return Kind.CHAT
    if asked and _concerns_service(text, lowered):
        return Kind.CASE if is_specific(text) else Kind.QUESTION
    if has_media or lowered.startswith(DETAIL_OPENERS) or _only_reference(lowered):
        return Kind.DETAIL
    if is_chatter(text) or is_social(text) or not on_topic(text):
        return Kind.CHAT
    # "SPM 00374C/400181/2026 sdh 3 hari statusnya 'diproses' terus": a problem report
    # about this satker's own document, unless it only thanks for a solved one.
    ws = lowered.split()
    said = negations_spelt(lowered)
    stuck = any(w in STUCK for w in ws) or any(p in said for p in OWN_TROUBLE_PHRASES)
    if stuck and is_specific(text) and not any(w in THANKS for w in ws):
        return Kind.CASE
    if _owns_by_number(text, lowered, ws) and not any(w in THANKS for w in ws):
        return Kind.CASE
    return Kind.STATEMENT


def _owns_by_number(text: str, lowered: str, ws: list[str]) -> bool:
    """ "rekon okt kmi selisih di akun 522151", "tagihan kkp kmi kedebet dobel rp 3,2jt",
    "data supplier an. Hj. Nurhayati slh no rek": this satker's own document, money or
    person, said as a statement; whatever it reports, only the LO can look. (A quote is
    not enough: "LO nya bilang '...'" reports what someone said.)"""
    if _NAMED.search(text):
        return True
    numbered = _CODE.search(lowered) or _AMOUNT.search(lowered) or _LONG_NUMBER.search(lowered)
    return bool(numbered) and any(w in OWN for w in ws)


# "Bagaimana cara menyampaikan pengaduan?", "mau komplain ke mana ya": asks for the
# channels (the FAQ has them), is not itself a complaint.
HOW_TO_COMPLAIN = (
    "caranya",
    "lewat mana",
    "ke siapa",
    "kalau mau",
    "kalau ingin",
    "cara",
    "ke mana",
    "kemana",
    "kmn",
    "dimana",
    "di mana",
    "saluran",
    "nomor",
    "bagaimana",
    "gimana",
    "gmn",
    "lewat apa",
)


def _asks_how_to_complain(lowered: str) -> bool:
    short = len(lowered.split()) <= 10 or lowered.startswith(_ASKING_FOR_INFO)
    return _has(lowered, HOW_TO_COMPLAIN) and short


_ASKING_FOR_INFO = ("mohon info", "minta info", "izin bertanya", "ijin bertanya", "mau tanya")
# "boleh ga ngasih uang terima kasih ke petugas?": asks the rule, accuses nobody.
_PERMISSION = re.compile(r"\b(?:boleh|bolehkah|diperbolehkan|dibolehkan)\b")


# The weather, the traffic, someone ill: "hujan deres di sini, bendahara blm bisa ke
# kantor" tells the group about the day, it asks the office nothing.
DAY_WORDS = frozenset("hujan deras deres banjir macet mogok sakit demam kecelakaan".split())


def _about_the_day(lowered: str, text: str) -> bool:
    ws = lowered.split()
    return (
        any(w in DAY_WORDS for w in ws)
        and "?" not in text
        and not any(w in QUESTION_WORDS for w in ws)
        and not is_specific(text)
    )


def _concerns_service(text: str, lowered: str) -> bool:
    """A problem report needs a service word ("wah macet banget hari ini" is the traffic);
    a question put as one ("jam berapa buka?") does not."""
    ws = lowered.split()
    if any(is_service_word(w) for w in ws):
        return True
    return "?" in text or any(w in QUESTION_WORDS for w in ws) or _has(lowered, REQUEST_PHRASES)


# "rekening penerima a.n. Putri Ayu", "atas nama Sdr. Dewi": a person of the satker's own.
_LONG_NUMBER = re.compile(r"\d{5,}")
# A contract's or a letter's number: "12/SPK/PPK/2026", "S-45/WPB.12/2026".
_LETTER_NUMBER = re.compile(r"\b[a-z]?-?\d+/[a-z][a-z0-9.-]*(?:/[a-z0-9.-]+)+")
_NAMED = re.compile(
    r"\b(?:[aA]\.\s?[nN]\.?|[aA][nN]\.|[aA]tas [nN]ama)\s+"
    r"(?:(?:Sdr[ai]?|Bpk|Ibu|Hj?|Dr|Ir|Drs)\.?\s+)?[A-Z][a-z]"
)


_ASKER = re.compile(r"\b\w+ (?:mau|ingin|mo|izin|ijin) (?:tanya|nanya|bertanya)\b")
_NOT_YET = re.compile(r"\b(?:blm|blum|blom|belom)\b")
# A person of the satker's own named inside the message ("gaji pak Sahrul ga masuk"); at
# its start the name is the one spoken to.
_A_PERSON = re.compile(r"(?<=\S)\s+(?i:pak|bu|bapak|ibu|sdr|sdri)\.?\s+([A-Z][a-z]+)")


def names_a_reference(text: str) -> bool:
    """A document's number, a reference code, an error quoted, a person named "a.n. ...":
    what only this satker has. ("SPM kami ditolak" is its own too, but in a joke's words.)"""
    lowered = " ".join(text.lower().split())
    if any(
        len(d.replace(".", "").replace("/", "").replace("-", "")) >= 5
        for d in _DIGITS.findall(lowered)
    ):
        return True
    if _LETTER_NUMBER.search(lowered):
        return True
    return bool(_QUOTED.search(text) or _CODE.search(lowered) or _NAMED.search(text))


def is_specific(text: str) -> bool:
    """Names something of the asker's own: a document number, an amount, an error message
    shown to them, or their own document in trouble ("SPM kami ditolak")."""
    if names_a_reference(text):
        return True
    lowered = " ".join(text.lower().split())
    ws = words(lowered)
    # "sa mau tanya, ... su keluar kah?": the one asking, not the owner of a document.
    own = any(w in OWN for w in words(_ASKER.sub(" ", lowered)))
    # An amount alone may be a rule's threshold ("belanja di atas Rp50 juta"); with "kami"
    # it is this satker's money.
    if own and (_AMOUNT.search(lowered) or _ERROR_SHOWN.search(lowered)):
        return True
    if any(w in CONDITIONAL for w in ws):
        return False
    trouble = _in_trouble(ws, lowered)
    # "SPM GUP kami kapan diproses?", "SP2D kami sudah terbit belum?": where one's own
    # document stands is a case, however general the words.
    progress = any(w in PROGRESS_VERBS for w in ws) and any(w in PROGRESS_ASKS for w in ws)
    return (own and (trouble or progress)) or _a_persons_trouble(text, lowered)


def _a_persons_trouble(text: str, lowered: str) -> bool:
    """ "gaji pak Sahrul ga masuk bulan ini": a person of the satker's own, and trouble."""
    person = _A_PERSON.search(text)
    if person is None or person.group(1).lower() in _NOT_NAMES:
        return False
    said = _NOT_YET.sub("belum", negations_spelt(lowered))
    return _in_trouble(said.split(), said)


def _in_trouble(ws: list[str], lowered: str) -> bool:
    return any(w in OWN_TROUBLE for w in ws) or any(p in lowered for p in OWN_TROUBLE_PHRASES)


def _only_reference(lowered: str) -> bool:
    """A short message that only gives a number ("kode satker 123456", "no 00123")."""
    ws = lowered.split()
    return len(ws) <= 6 and any(any(c.isdigit() for c in w) and len(w) >= 4 for w in ws)
