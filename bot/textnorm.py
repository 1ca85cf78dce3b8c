"""Indonesian text normalisation for FAQ matching.

One pipeline for content and questions alike: lower-case; multi-word terms to their
abbreviation (so "tambahan uang persediaan" and "TUP" meet); informal spellings to standard
words ("gmn" -> "bagaimana"); stop words out; Sastrawi stemming (abbreviations are left
alone: the stemmer would mangle "sp2d"); then synonyms to one canonical stem.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Longest first, applied on the lower-cased text with word boundaries.
PHRASES: list[tuple[str, str]] = sorted(
    [
        ("tambahan uang persediaan", "tup"),
        ("tambahan up", "tup"),
        ("tambah up", "tup"),
        ("ganti uang persediaan", "gup"),
        ("penggantian uang persediaan", "gup"),
        ("ganti up", "gup"),
        ("uang persediaan", "up"),
        ("kartu kredit pemerintah", "kkp"),
        ("kartu kredit", "kkp"),
        ("surat perintah membayar", "spm"),
        ("surat perintah pencairan dana", "sp2d"),
        ("laporan pertanggungjawaban", "lpj"),
        ("laporan pertanggung jawaban", "lpj"),
        ("om-span", "omspan"),
        ("om span", "omspan"),
        ("e-rekon", "erekon"),
        ("e rekon", "erekon"),
        ("tanda tangan elektronik", "tte"),
        ("tanda tangan digital", "tte"),
        ("sertifikat elektronik", "sertel"),
        ("rencana penarikan dana", "rpd"),
        ("rencana kas", "renkas"),
        ("call center", "callcenter"),
        ("contact center", "callcenter"),
        ("kata sandi", "password"),
        ("data supplier", "supplier"),
        ("pihak ketiga", "rekanan"),
        ("jam berapa", "jam"),
        ("pukul berapa", "jam"),
        # The consultation service's name holds a greeting ("hai" is a stop word).
        ("hai djpb", "haidjpb"),
        ("hai cso", "haicso"),
        # Asked for money by staff: a fee, whatever service it was for.
        ("minta uang", "pungli"),
        ("uang pelicin", "pungli"),
        ("uang rokok", "pungli"),
        # "masuk" is "log in" only beside an application; "dana masuk" is money arriving.
        ("masuk sakti", "login sakti"),
        ("masuk ke sakti", "login sakti"),
        ("masuk aplikasi", "login aplikasi"),
        ("masuk omspan", "login omspan"),
        ("masuk om-span", "login omspan"),
        ("gagal masuk", "gagal login"),
        ("bisa masuk", "bisa login"),
        ("hari libur", "libur"),
        ("akhir tahun", "akhirtahun"),
        ("tahun anggaran", "ta"),
        ("zero cost", "biaya"),
        ("whistleblowing system", "wise"),
        ("gaji ke-13", "gaji13"),
        ("ke kppn", "kppn"),
    ],
    key=lambda p: -len(p[0]),
)
_PHRASE_RE = [(re.compile(rf"(?<![a-z0-9]){re.escape(a)}(?![a-z0-9])"), b) for a, b in PHRASES]
# Any of them: four messages in five hold none, and one search of all costs what one
# substitution does (48 substitutions were 0.12 ms of each message's reading).
_ANY_PHRASE = re.compile(
    rf"(?<![a-z0-9])(?:{'|'.join(re.escape(a) for a, _ in PHRASES)})(?![a-z0-9])"
)

SLANG = {
    "gmn": "bagaimana",
    "gmna": "bagaimana",
    "gimana": "bagaimana",
    "bgmn": "bagaimana",
    "gmana": "bagaimana",
    "brp": "berapa",
    "brapa": "berapa",
    "sy": "saya",
    "sya": "saya",
    "aq": "saya",
    "tdk": "tidak",
    "gak": "tidak",
    "ga": "tidak",
    "gk": "tidak",
    "nggak": "tidak",
    "ngga": "tidak",
    "enggak": "tidak",
    "yg": "yang",
    "dgn": "dengan",
    "utk": "untuk",
    "kpn": "kapan",
    "knp": "kenapa",
    "napa": "kenapa",
    "blm": "belum",
    "sdh": "sudah",
    "udah": "sudah",
    "udh": "sudah",
    "aja": "saja",
    "tp": "tapi",
    "krn": "karena",
    "lg": "lagi",
    "bs": "bisa",
    "bsa": "bisa",
    "dmn": "dimana",
    "ttg": "tentang",
    "thn": "tahun",
    "bln": "bulan",
    "tgl": "tanggal",
    "rek": "rekening",
    "pw": "password",
    "pass": "password",
    "passwd": "password",
    "sandi": "password",
    "rekon": "rekonsiliasi",
    "spmnya": "spm",
    "sp2dnya": "sp2d",
    "lpjnya": "lpj",
    "dipanya": "dipa",
    "tupnya": "tup",
    "upnya": "up",
    "gupnya": "gup",
    "kkpnya": "kkp",
    "erekon": "erekon",
    "msh": "masih",
    "jg": "juga",
    "gaji13": "gaji",
    "bgt": "banget",
    "dll": "",
    "dsb": "",
    "pdhl": "padahal",
    "kalo": "kalau",
    "klo": "kalau",
    "kl": "kalau",
    "trs": "terus",
    "trus": "terus",
    "min": "",
    "mimin": "",
    "kak": "",
    "gan": "",
    "bro": "",
    "sis": "",
    "om": "",
    "apaan": "apa",
    "apasih": "apa",
    "gini": "begini",
    "gitu": "begitu",
    "bikin": "buat",
    "ngajuin": "ajukan",
    "ngajukan": "ajukan",
    "nyetor": "setor",
    "ngisi": "isi",
    "dicairin": "cair",
    "nyairin": "cair",
    "cairin": "cair",
    "ilang": "hilang",
    "ampe": "sampai",
    "sampe": "sampai",
    "bener": "benar",
    "telat": "terlambat",
    "lewat": "lewat",
    "mo": "mau",
    "pengen": "ingin",
    "pgn": "ingin",
    "tau": "tahu",
    "kasi": "kasih",
    "lupain": "lupa",
    "login": "login",
    "log": "login",
    "reject": "tolak",
    "direject": "tolak",
    "error": "error",
    "eror": "error",
    "err": "error",
}
PROTECTED = frozenset(
    """sp2d spm up tup gup gtup lpj kkp dipa sakti omspan erekon ls ntpn npwp bast bapp ikpa
    rpd renkas tte sertel hai djpb cso lo kppn pnbp mpn simponi bsre tukin thr gpp bar adk pok
    rkakl wise sipandu callcenter digipay password login error rekanan supplier akhirtahun ta
    kanwil djpb ppspm ppk kpa satker 14090 haidjpb haicso""".split()
)
STOP = frozenset(
    """yang dan di ke dari untuk dengan ini itu ada saya kami kita kamu anda bapak ibu pak bu
    admin mohon tolong info informasi izin ijin bertanya tanya nanya mau ingin apa apakah
    bagaimana kenapa mengapa kapan berapa dimana mana siapa ya yaa dong sih kah nya deh kok
    tidak bisa sudah belum saja juga lagi atau pada dalam oleh karena jika kalau agar supaya
    terus lalu sama seperti cara harus perlu boleh masih sedang akan sebelum sesudah setelah
    selamat pagi siang sore malam terima kasih terimakasih makasih rekan teman para semua
    tersebut hal terkait mengenai tentang soal begini begitu banget padahal sampai benar tahu
    kasih hari ini besok kemarin sekarang nih tuh aku gue gw punya jadi bila apabila bagi
    atas se sebuah suatu tiap setiap the a an is of to how what when why can i my please
    kenapakah bagaimanakah buat lah pun mohonn assalamualaikum wr wb salam halo hai hi
    satuan kerja lo""".split()
)
# Canonical stems for words that mean the same thing to an operator.
SYNONYMS = {
    "keluh": "adu",
    "komplain": "adu",
    "complain": "adu",
    "aduan": "adu",
    "gratis": "biaya",
    "pungli": "biaya",
    "tarif": "biaya",
    "pungut": "biaya",
    "imbal": "biaya",
    "vendor": "supplier",
    "penyedia": "rekanan",
    "rekan": "rekanan",
    "kontraktor": "rekanan",
    "operasional": "layan",
    "buka": "buka",
    "lapor": "lapor",
    "tolak": "tolak",
    "kembali": "kembali",
    "deadline": "batas",
    "tenggat": "batas",
    "cek": "pantau",
    "monitor": "pantau",
    "lacak": "pantau",
    "status": "pantau",
    "kedaluwarsa": "kadaluarsa",
    "expired": "kadaluarsa",
    "habis": "kadaluarsa",
    "rekening": "rekening",
    "pukul": "jam",
}

_WORD = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=1)
def _stemmer():  # type: ignore[no-untyped-def]
    # Imported on first use: the FAQ is built after polling has started (bot/app.py).
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return StemmerFactory().create_stemmer()


@lru_cache(maxsize=1)
def _roots() -> frozenset[str]:
    """The stemmer's dictionary of Indonesian root words (about 30,000)."""
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return frozenset(StemmerFactory().get_words())


@lru_cache(maxsize=50_000)
def stem(word: str) -> str:
    if word in PROTECTED or word.isdigit() or any(c.isdigit() for c in word):
        return word
    stemmed = _stemmer().stem(word) or word
    if stemmed not in _roots():
        stemmed = _colloquial(word) or stemmed
    return SYNONYMS.get(stemmed, stemmed)


def _colloquial(word: str) -> str | None:
    """The root of a chat-style verb: "dibalikin", "daftarin" are "dibalikkan",
    "daftarkan"; the stemmer knows only the standard suffix."""
    if len(word) < 6 or not word.endswith("in"):
        return None
    root = _stemmer().stem(word[:-2] + "kan")
    return root if root in _roots() else None


def is_word(word: str) -> bool:
    """Is this an Indonesian word (or a form of one) rather than a misspelling? Typo
    correction must leave real words alone: "rapat" is not a misspelt "ralat"."""
    return word in _roots() or stem(word) in _roots()


def surface_words(text: str) -> list[str]:
    """Words after phrase and slang normalisation, before stop words and stemming."""
    lowered = " ".join(text.lower().split())
    if _ANY_PHRASE.search(lowered):
        for pattern, replacement in _PHRASE_RE:  # in turn: one may make the next's phrase
            lowered = pattern.sub(replacement, lowered)
    out = []
    for w in _WORD.findall(lowered):
        w = SLANG.get(w, w)
        if w:
            out.extend(w.split())
    return out


def content_words(text: str) -> list[str]:
    """Surface words that carry meaning (stop words removed)."""
    return [w for w in surface_words(text) if w not in STOP and len(w) > 1 or w.isdigit()]


def tokens(text: str) -> list[str]:
    """The normalised stems of ``text``, in order, duplicates kept."""
    return [s for s in (stem(w) for w in content_words(text)) if s and s not in STOP]
