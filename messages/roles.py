"""Texts for granting and listing roles."""

from __future__ import annotations

from collections.abc import Set

from messages.common import ROLE_NAMES
from messages.delivery import unreachable_label
from messages.format import esc
from messages.groups import user_label
from storage.models import User


def usage(verb: str) -> str:
    return (
        f"Format perintah belum sesuai. Contoh:\n<code>/{verb} lo @username</code>\n"
        "Peran: lo, cso, supervisor, kepala, admin. Pengguna dapat ditulis sebagai @username, "
        "ID Telegram, atau dengan membalas pesannya."
    )


def unknown_role() -> str:
    return "Mohon maaf, peran tersebut tidak dikenal. Pilihan: lo, cso, supervisor, kepala, admin."


def granted(user: User, role: str) -> str:
    return f"Peran <b>{ROLE_NAMES[role]}</b> telah diberikan kepada {user_label(user)}."


def already(user: User, role: str) -> str:
    return f"{user_label(user)} sudah memiliki peran <b>{ROLE_NAMES[role]}</b>."


def revoked(user: User, role: str) -> str:
    return f"Peran <b>{ROLE_NAMES[role]}</b> telah dicabut dari {user_label(user)}."


def not_held(user: User, role: str) -> str:
    return f"{user_label(user)} tidak memiliki peran <b>{ROLE_NAMES[role]}</b>."


def config_admin() -> str:
    return (
        "Mohon maaf, admin ini ditetapkan melalui konfigurasi (LOBOT_ADMIN_IDS) dan hanya dapat "
        "dicabut dengan mengubah konfigurasi."
    )


def listing(holders: dict[str, list[User]], unreachable: Set[int] = frozenset()) -> str:
    lines = ["<b>Daftar peran</b>"]
    for role, users in holders.items():
        # A user never seen is unreachable by definition; their label already says so.
        labels = [
            user_label(u) + (unreachable_label() if u.seen and u.user_id in unreachable else "")
            for u in users
        ]
        lines.append(f"<b>{ROLE_NAMES[role]}</b>: {', '.join(labels) if labels else '-'}")
    if unreachable & {u.user_id for users in holders.values() for u in users}:
        lines.append(
            "\nYang belum dapat dihubungi bot perlu membuka percakapan dengan bot dan "
            "menekan <b>Start</b>; sampai itu, pesan untuk mereka diteruskan ke atasan."
        )
    return "\n".join(lines)


def my_roles(roles: set[str]) -> str:
    if not roles:
        return "Bapak/Ibu belum memiliki peran khusus."
    return "Peran Bapak/Ibu: " + ", ".join(ROLE_NAMES[r] for r in sorted(roles))


FIRST_STEPS = {
    "lo": [
        "Tambahkan bot sebagai <b>admin</b> di setiap grup LO yang Bapak/Ibu tangani "
        "(tanpa hak admin, bot tidak dapat membaca pertanyaan).",
        "Di setiap grup, ketik <code>/daftargrup Nama K/L</code>, lalu "
        "<code>/satker 123456 Nama Satker</code>.",
        "Pertanyaan anggota menjadi tiket; pemberitahuannya datang ke chat ini. Tekan "
        "<b>Jawab</b> atau balas pemberitahuan untuk menjawab; <b>Sedang diproses</b> bila "
        "perlu waktu (batas waktu tetap berjalan).",
    ],
    "cso": [
        "Catat pertanyaan dari meja layanan, telepon, surat, atau WhatsApp dengan "
        "<code>/catat telepon 123456 isi pertanyaan</code>.",
        "Jawab tiket dengan <code>/jawab nomor isi jawaban</code> atau tombol <b>Jawab</b>.",
    ],
    "supervisor": [
        "Bapak/Ibu menerima peringatan bila tiket melewati batas waktu.",
        "Lihat tiket terbuka dengan <code>/tiket</code> dan rekap dengan <code>/rekap</code>.",
    ],
    "kepala": [
        "Bapak/Ibu menerima eskalasi tiket yang lama belum dijawab.",
        "Lihat rekap kinerja dengan <code>/rekap</code>.",
    ],
    "peninjau": [
        "Tinjau konten FAQ dengan <code>/tinjaufaq</code>: setiap entri dikirim lengkap "
        "dengan sumber dan perubahannya sejak tinjauan terakhir.",
        "Setujui, atau kembalikan dengan catatan; status semua entri: <code>/faqstatus</code>.",
    ],
    "admin": [
        "Berikan peran dengan <code>/beriperan lo @username</code>; lihat semua peran "
        "dengan <code>/peran</code>.",
        "Atur hari libur dengan <code>/libur</code>.",
    ],
}


def role_received(role: str, office_name: str) -> str:
    steps = FIRST_STEPS.get(role, [])
    lines = [
        f"Selamat, Bapak/Ibu kini memiliki peran <b>{ROLE_NAMES.get(role, role)}</b> di "
        f"{esc(office_name)}."
    ]
    if steps:
        lines += ["", "<b>Langkah pertama</b>"]
        lines += [f"{i}. {step}" for i, step in enumerate(steps, 1)]
    lines += ["", "Daftar perintah dan contohnya: <code>/bantuan</code>. Terima kasih."]
    return "\n".join(lines)
