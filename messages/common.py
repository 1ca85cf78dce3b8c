"""Texts used by several features: refusals, errors, role names."""

from __future__ import annotations

from messages.format import esc

ROLE_NAMES = {
    "admin": "Admin",
    "lo": "Liaison Officer (LO)",
    "cso": "Customer Service Officer (CSO)",
    "supervisor": "Supervisor (Kepala Seksi)",
    "kepala": "Kepala Kantor",
    "kepatuhan": "Petugas Kepatuhan Internal (pengaduan)",
    "peninjau": "Peninjau Konten FAQ",
    "operator": "Operator Satker",
    "kanwil": "Pengawas Kanwil",
}

INTERNAL_ERROR = (
    "Mohon maaf, permintaan Bapak/Ibu belum dapat kami proses karena kendala teknis. "
    "Silakan coba beberapa saat lagi. Terima kasih atas kesabarannya."
)


def refused(role_names: list[str]) -> str:
    """Name the one role the command needs (the first listed) and who grants it."""
    role = ROLE_NAMES.get(role_names[0], role_names[0]) if role_names else "petugas KPPN"
    return (
        f"Mohon maaf, perintah ini khusus untuk {role}. Peran diberikan oleh Admin "
        "kantor; bila Bapak/Ibu seharusnya memilikinya, mohon hubungi Admin."
    )


def private_only() -> str:
    return (
        "Mohon maaf, perintah ini hanya dapat digunakan melalui chat pribadi dengan bot, "
        "agar data tidak tampil di grup."
    )


def group_only() -> str:
    return "Mohon maaf, perintah ini hanya dapat digunakan di grup LO."


def caption_command_refused(word: str) -> str:
    """A command other than /pengaduan or /tanya sent as a photo's or document's caption."""
    return (
        f"Mohon maaf, perintah <code>/{esc(word)}</code> tidak dapat dikirim sebagai "
        "keterangan foto atau berkas. Silakan kirim perintah tersebut sebagai pesan teks "
        "biasa. Terima kasih."
    )


def group_not_registered() -> str:
    return (
        "Mohon maaf Bapak/Ibu, grup ini belum terdaftar sebagai grup LO, sehingga pertanyaan "
        "belum dapat kami catat. LO atau admin KPPN dapat mendaftarkannya dengan "
        "<code>/daftargrup</code>. Terima kasih atas pengertiannya."
    )


def usage(text: str) -> str:
    return f"Format perintah belum sesuai. Contoh penggunaan:\n{text}"


def button_expired() -> str:
    # Shown as a small alert on the user's screen (at most 200 characters).
    return "Mohon maaf, tombol ini sudah tidak berlaku. Terima kasih."


def button_failed() -> str:
    return (
        "Mohon maaf, permintaan belum dapat kami proses karena kendala teknis. "
        "Silakan coba beberapa saat lagi."
    )


def unknown_command(word: str) -> str:
    return (
        f"Mohon maaf, perintah <code>/{esc(word)}</code> tidak dikenal. Daftar perintah dan "
        "contohnya dapat dilihat dengan <code>/bantuan</code>."
    )
