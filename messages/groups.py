"""Texts for group life cycle and registration."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from messages.format import esc, greeting
from storage.models import Group, User

UNSEEN_HINT = "belum pernah menulis ke bot"


def user_name(user: User) -> str:
    """A user's name, escaped; one known only by id gets a mention link (it opens their
    profile in Telegram), never a bare number."""
    if user.seen:
        return esc(user.full_name)
    return f'<a href="tg://user?id={int(user.user_id)}">pengguna {int(user.user_id)}</a>'


def user_label(user: User) -> str:
    """Name (and @username) of a user, escaped; for one known only by id, the mention
    link and what is missing (they must open the bot and press Start to be reached)."""
    if not user.seen:
        return f"{user_name(user)} ({UNSEEN_HINT})"
    name = user_name(user)
    return f"{name} (@{esc(user.username)})" if user.username else name


def unseen_name(user_id: int) -> str:
    """Plain text (no markup) for where only a name fits, e.g. a list of parties."""
    return f"pengguna {user_id} ({UNSEEN_HINT})"


CANNOT_READ = (
    "⚠️ Namun bot belum dapat membaca pesan anggota di grup ini karena belum menjadi "
    "<b>admin</b> grup (mode privasi Telegram): pertanyaan yang ditulis biasa belum akan "
    "tercatat. Mohon admin grup menjadikan bot sebagai admin. Sementara itu, pertanyaan "
    "dapat diajukan dengan <code>/tanya isi pertanyaan</code>."
)


def joined_pending(title: str, now: datetime, tz: ZoneInfo, can_read: bool = True) -> str:
    promise = (
        "Setelah terdaftar, pertanyaan Bapak/Ibu di grup ini akan kami jawab atau catat sebagai "
        "tiket konsultasi."
        if can_read
        else "Setelah terdaftar dan bot dijadikan admin grup, pertanyaan Bapak/Ibu di grup ini "
        "akan kami jawab atau catat sebagai tiket konsultasi."
    )
    return (
        f"{greeting(now, tz)} Bapak/Ibu. Terima kasih telah menambahkan bot layanan LO "
        f"ke grup <b>{esc(title)}</b>.\n\n"
        "Grup ini tercatat <b>menunggu pendaftaran</b>. Admin atau LO dapat mendaftarkannya "
        "dengan perintah:\n<code>/daftargrup nama K/L</code>\n\n" + promise
    )


def joined_again(group: Group, now: datetime, tz: ZoneInfo) -> str:
    return (
        f"{greeting(now, tz)} Bapak/Ibu. Bot layanan LO kembali aktif di grup "
        f"<b>{esc(group.title)}</b>. Data grup sebelumnya tetap tersimpan."
    )


def registered(group: Group, lo: User, can_read: bool = True) -> str:
    """``can_read``: the bot sees members' messages (an admin, or privacy mode off)."""
    kl = esc(group.kl_name or "-")
    after = (
        "Pertanyaan Bapak/Ibu di grup ini akan kami jawab atau catat sebagai tiket konsultasi."
        if can_read
        else CANNOT_READ
    )
    return (
        f"Terima kasih. Grup <b>{esc(group.title)}</b> telah terdaftar.\n"
        f"K/L: <b>{kl}</b>\nLO: {user_label(lo)}\n\n"
        "Bapak/Ibu operator satker mohon mendaftarkan diri dengan "
        f"<code>/operator kode_satker</code> (6 digit).\n\n{after}"
    )


def register_usage() -> str:
    return (
        "Format perintah belum sesuai. Contoh:\n<code>/daftargrup Kementerian Agama</code>\n"
        "Admin dapat menunjuk LO: <code>/daftargrup @username_lo Kementerian Agama</code>"
    )


def target_not_lo() -> str:
    return (
        "Mohon maaf, pengguna tersebut belum memiliki peran LO. Admin dapat memberikannya "
        "dengan <code>/beriperan lo @username</code> melalui chat pribadi dengan bot."
    )


def unknown_user() -> str:
    return (
        "Mohon maaf, pengguna tersebut belum kami kenal. Mohon pengguna tersebut mengirim "
        "pesan ke bot atau ke grup terlebih dahulu, atau gunakan ID Telegram-nya."
    )


def satker_usage() -> str:
    return (
        "Format perintah belum sesuai. Contoh:\n<code>/satker 123456 Nama Satker</code>\n"
        "Kode satker terdiri dari 6 digit angka."
    )


def satker_added(kode: str, name: str) -> str:
    return f"Terima kasih. Satker <b>{esc(kode)}</b> {esc(name)} telah ditambahkan ke grup ini."


def satker_removed(kode: str) -> str:
    return f"Satker <b>{esc(kode)}</b> telah dihapus dari grup ini."


def satker_unknown(kode: str) -> str:
    return (
        f"Mohon maaf, kode satker <b>{esc(kode)}</b> belum terdaftar di grup ini. "
        "Mohon periksa kembali kodenya atau hubungi LO grup ini."
    )


def operator_usage() -> str:
    return (
        "Format perintah belum sesuai. Contoh:\n<code>/operator 123456</code>\n"
        "Kode satker terdiri dari 6 digit angka."
    )


def operator_no_satker() -> str:
    return (
        "Mohon maaf, LO belum mendaftarkan satker untuk grup ini. "
        "Kami mohon Bapak/Ibu menunggu LO menambahkannya dengan <code>/satker</code>."
    )


def operator_registered(user: User, kode: str, name: str | None) -> str:
    satker = f"{esc(kode)} {esc(name)}" if name else esc(kode)
    return (
        f"Terima kasih, {user_label(user)} telah terdaftar sebagai operator satker <b>{satker}</b>."
    )


def group_info(
    group: Group, lo: User | None, satker: list[tuple[str, str]], can_read: bool = True
) -> str:
    status = {"pending": "menunggu pendaftaran", "active": "aktif", "inactive": "tidak aktif"}
    shown = status.get(group.status, group.status)
    if not can_read and group.status != "inactive":
        shown += " (bot belum dapat membaca pesan anggota: jadikan bot admin grup)"
    lines = [
        f"<b>{esc(group.title)}</b>",
        f"Status: {shown}",
        f"K/L: {esc(group.kl_name or '-')}",
        f"LO: {user_label(lo) if lo else '-'}",
        "Satker:" if satker else "Satker: belum ada",
    ]
    lines += [f"• {esc(kode)} {esc(name)}" for kode, name in satker]
    return "\n".join(lines)


def privacy_warning_group() -> str:
    return (
        "⚠️ Mohon maaf, saat ini bot belum dapat membaca pertanyaan di grup ini karena belum "
        "menjadi <b>admin</b> grup (mode privasi Telegram). Pertanyaan Bapak/Ibu belum akan "
        "tercatat. Mohon admin grup menjadikan bot sebagai admin. Terima kasih."
    )


def privacy_warning_private(title: str) -> str:
    return (
        f"Bot telah ditambahkan ke grup <b>{esc(title)}</b>, tetapi belum dapat membaca "
        "pertanyaan anggota karena belum menjadi admin (mode privasi Telegram aktif).\n"
        "Cara memperbaiki: buka info grup → Administrator → Tambah admin → pilih bot ini "
        "(hak apa pun cukup). Setelah itu, daftarkan grup dengan <code>/daftargrup</code> "
        "bila belum."
    )
