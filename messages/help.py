"""The command catalog: help texts and the command menus published with setMyCommands."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from messages.common import ROLE_NAMES, group_only, private_only, refused
from messages.format import esc, greeting

EVERYONE: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Command:
    name: str
    args: str
    description: str
    roles: frozenset[str]  # empty: everyone
    where: str  # "group", "private" or "both"


STAFF = frozenset({"admin", "lo", "cso", "supervisor", "kepala"})
ADMIN = frozenset({"admin"})
MANAGERS = frozenset({"admin", "lo"})


def in_place(cmd: Command, chat_type: str) -> bool:
    """The command may be used in this kind of chat ("private", "group", "supergroup")."""
    return cmd.where == "both" or (cmd.where == "group") == (chat_type != "private")


def in_role(cmd: Command, roles: set[str]) -> bool:
    return not cmd.roles or bool(cmd.roles & roles)


def _visible(cmd: Command, roles: set[str], chat_type: str) -> bool:
    return in_place(cmd, chat_type) and in_role(cmd, roles)


# The role a refusal names first: the one most users of the command hold.
_ROLE_ORDER = ("lo", "cso", "kepatuhan", "supervisor", "peninjau", "kepala", "admin")


def refusal(cmd: Command, roles: set[str], chat_type: str) -> str | None:
    """Why this user may not use ``cmd`` here (the text to answer), or None when they may.

    The one check of where a command may be used and by whom (handlers/commands.py runs
    it before every command); the help and the command menus are shown by the same rule.
    """
    if not in_place(cmd, chat_type):
        return private_only() if cmd.where == "private" else group_only()
    if not in_role(cmd, roles):
        # A command for every staff role names none ("petugas KPPN"), else the likeliest.
        return refused([] if STAFF <= cmd.roles else sorted(cmd.roles, key=_role_rank))
    return None


def _role_rank(role: str) -> tuple[int, str]:
    return (_ROLE_ORDER.index(role) if role in _ROLE_ORDER else len(_ROLE_ORDER), role)


def help_text(
    commands: list[Command], roles: set[str], chat_type: str, now: datetime, tz: ZoneInfo
) -> str:
    lines = [f"{greeting(now, tz)} Bapak/Ibu, berikut perintah yang dapat digunakan di sini:", ""]
    for cmd in commands:
        if _visible(cmd, roles, chat_type):
            args = f" {cmd.args}" if cmd.args else ""
            lines.append(f"<code>/{cmd.name}{args}</code> — {cmd.description}")
    if chat_type != "private":
        lines += [
            "",
            "Pertanyaan dapat langsung ditulis di grup; bot akan menjawab atau mencatatnya.",
        ]
    elif not roles:
        lines += ["", "Perintah untuk petugas KPPN tampil setelah admin memberikan peran."]
    else:
        lines += ["", *STAFF_GUIDE]
        if "admin" in roles:
            lines += ADMIN_FIRST_STEPS
        if "lo" in roles:
            lines += LO_FIRST_STEPS
    lines += [
        "",
        "Contoh dan penjelasan satu perintah: <code>/bantuan nama_perintah</code>, "
        "mis. <code>/bantuan tiket</code>.",
    ]
    return "\n".join(lines)


# One short, correct example per command (tests/test_help_examples.py checks that each
# parses as its command expects and that every command in the catalog has one).
EXAMPLES = {
    "bantuan": "/bantuan jawab",
    "operator": "/operator 123456",
    "kantor": "/kantor 2",
    "infogrup": "/infogrup",
    "daftargrup": "/daftargrup Kementerian Agama",
    "satker": "/satker 123456 MTsN 1 Lampung Utara",
    "hapussatker": "/hapussatker 123456",
    "peran": "/peran",
    "beriperan": "/beriperan lo @sari_lo",
    "cabutperan": "/cabutperan cso @citra_cso",
    "libur": "/libur tambah 2026-12-24 Cuti bersama Natal",
    "tanya": "/tanya Bagaimana cara mengajukan revisi DIPA?",
    "tiket": "/tiket 2026-0001",
    "jawab": "/jawab 2026-0001 Sudah kami proses, silakan cek status SP2D di OM-SPAN.",
    "proses": "/proses 2026-0001 Sedang kami cek ke seksi bank",
    "tutup": "/tutup 2026-0001",
    "catat": "/catat telepon 123456 Satker menanyakan status SP2D nomor 00123",
    "alihkan": "/alihkan 2026-0001 @dewi_lo",
    "cuti": "/cuti @dewi_lo 2026-12-31",
    "faq": "/faq revisi DIPA",
    "muatfaq": "/muatfaq",
    "faqgagal": "/faqgagal",
    "faqdraf": "/faqdraf",
    "tinjaufaq": "/tinjaufaq tambahan-up",
    "kembalikanfaq": "/kembalikanfaq tambahan-up Batas waktu pertanggungjawaban mohon dicek",
    "faqstatus": "/faqstatus",
    "rekap": "/rekap 2026-11",
    "haicso": "/haicso berkas 2026-12-01 csv",
    "pengaduan": "/pengaduan Antrean di loket lebih dari 3 jam tanpa kejelasan",
    "tindaklanjut": "/tindaklanjut P-2026-0001 selesai Petugas loket telah kami tegur",
    "notifikasi": "/notifikasi ringkas",
    "tahap": "/tahap tambah 2026-12-04 untuk=cso tahap=I Laporan implementasi tahap I",
    "umumkan": "/umumkan semua\nLayanan KPPN tutup pada 24 Desember 2026 (cuti bersama).",
    "status": "/status sp2d 123456 SP2D nomor 261011301000123 telah terbit",
}
_WHERE = {
    "group": "di grup",
    "private": "di chat pribadi dengan bot",
    "both": "di grup dan chat pribadi",
}


def find(commands: list[Command], word: str) -> Command | None:
    """The catalog entry for '/jawab', 'jawab' or 'JAWAB'."""
    name = word.strip().lstrip("/").split("@", 1)[0].lower()
    return next((c for c in commands if c.name == name), None)


def command_help(cmd: Command) -> str:
    """One command: what it does, its form, one example, who may use it and where."""
    args = f" {esc(cmd.args)}" if cmd.args else ""
    who = ", ".join(ROLE_NAMES.get(r, r) for r in sorted(cmd.roles)) or "semua pengguna"
    lines = [f"<code>/{cmd.name}{args}</code> — {esc(cmd.description)}"]
    if cmd.name in EXAMPLES:
        lines.append(f"Contoh:\n<code>{esc(EXAMPLES[cmd.name])}</code>")
    lines.append(f"Untuk: {who}; {_WHERE.get(cmd.where, '')}.")
    return "\n".join(lines)


def unknown_command(word: str) -> str:
    return (
        f"Mohon maaf, perintah <code>{esc(word[:40])}</code> tidak kami kenal. Ketik "
        "<code>/bantuan</code> untuk daftar perintah."
    )


STAFF_GUIDE = [
    "<b>Tiket</b>: pertanyaan di grup yang tidak terjawab FAQ dicatat sebagai tiket dengan "
    "batas waktu jawaban (jam kerja). Pengingat, peringatan ke supervisor, dan eskalasi "
    "datang ke chat ini, digabung per beberapa menit (<code>/notifikasi</code>).",
    "<b>Tombol</b>: <b>Jawab</b> membuka kolom jawaban; <b>Sedang diproses</b> memberi tahu "
    "penanya tanpa menghentikan batas waktu. Membalas pemberitahuan juga menjawab tiketnya.",
]
ADMIN_FIRST_STEPS = [
    "<b>Langkah pertama Admin</b>:",
    "1. Minta setiap petugas membuka chat dengan bot dan menekan <b>Start</b>, lalu berikan "
    "perannya, mis. <code>/beriperan lo @username</code> (juga <code>cso</code>, "
    "<code>supervisor</code>, <code>kepala</code>, <code>kepatuhan</code>).",
    "2. Tambahkan bot ke setiap grup LO dan jadikan bot <b>admin</b> grup, agar pertanyaan "
    "terbaca dan pesan pengaduan dapat dihapus dari grup.",
    "3. Di grup, LO mengetik <code>/daftargrup Nama K/L</code>, lalu "
    "<code>/satker kode nama</code> untuk setiap satker.",
    "4. Periksa peran dengan <code>/peran</code> dan hari libur kantor dengan <code>/libur</code>.",
]
LO_FIRST_STEPS = [
    "<b>Langkah pertama LO</b>: jadikan bot admin di setiap grup, lalu ketik "
    "<code>/daftargrup Nama K/L</code> di grup tersebut.",
]


def menu(commands: list[Command], chat_type: str) -> list[tuple[str, str]]:
    """Commands for the Telegram menu of a scope: what any member may use there."""
    return [
        (c.name, c.description)
        for c in commands
        if in_place(c, chat_type) and (chat_type == "private" or not c.roles)
    ]
