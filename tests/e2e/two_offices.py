"""Two offices in one deployment: KPPN Kotabumi (office 1, WIB, the settings') and KPPN
Makassar I (office 2, WITA, from the offices file), each with an admin, an LO, a CSO, the
compliance section, a registered group with a satker and an operator; and a Kanwil
supervisor of both, plus one who supervises office 2 alone."""

from __future__ import annotations

from pathlib import Path

from config.offices import load_offices
from tests.e2e.harness import ADMIN, Harness, make_settings
from tests.fakeapi.server import FakeBotAPI

# Office 1 (WIB)
GROUP_A, LO_A, OP_A, CSO_A, KI_A = -1001, 200, 300, 500, 800
# Office 2 (WITA)
GROUP_B, ADMIN_B, LO_B, OP_B, CSO_B, KI_B = -2001, 1100, 1200, 1300, 1500, 1800
KANWIL, KANWIL_B = 1900, 1950

OFFICES_TOML = f"""
[[office]]
id = 2
name = "KPPN Makassar I"
type = "A2"
timezone = "WITA"
admin_ids = [{ADMIN_B}]

[[kanwil]]
name = "Kanwil DJPb Uji"
user_ids = [{KANWIL}]
offices = [1, 2]

[[kanwil]]
name = "Kanwil DJPb Sulawesi Selatan"
user_ids = [{KANWIL_B}]
offices = [2]
"""


def settings_for(api: FakeBotAPI, tmp_path: Path, **overrides: object):  # type: ignore[no-untyped-def]
    path = tmp_path / "offices.toml"
    path.write_text(OFFICES_TOML, encoding="utf-8")
    offices, kanwils = load_offices(path)
    return make_settings(
        api,
        tmp_path / "bot.sqlite3",
        offices_file=path,
        offices=offices,
        kanwils=kanwils,
        **overrides,
    )


async def _office(
    h: Harness,
    admin: int,
    group: int,
    lo: tuple[int, str],
    op: int,
    cso: tuple[int, str],
    ki: tuple[int, str],
    satker: str,
) -> None:
    await h.say(admin, admin, "/start")
    for (uid, name), role in ((lo, "lo"), (cso, "cso"), (ki, "kepatuhan")):
        await h.say(uid, uid, "/start")
        reply = await h.say(admin, admin, f"/beriperan {role} @{name}")
        assert "diberikan" in reply.plain, reply.plain
    h.api.add_bot(group, admin)
    await h.api.wait_sent(group, "menunggu pendaftaran")
    reply = await h.say(group, lo[0], "/daftargrup Kementerian Uji")
    assert "telah terdaftar" in reply.plain, reply.plain
    reply = await h.say(group, lo[0], f"/satker {satker}")
    assert satker.split()[0] in reply.plain
    await h.say(group, op, f"/operator {satker.split()[0]}")
    await h.say(op, op, "/start")


async def two_offices(h: Harness) -> None:
    api = h.api
    for uid, name, username in (
        (ADMIN, "Admin Kotabumi", "admin_kbm"),
        (LO_A, "Sari", "sari_lo"),
        (OP_A, "Budi", "budi_satker"),
        (CSO_A, "Citra", "citra_cso"),
        (KI_A, "Rina", "rina_ki"),
        (ADMIN_B, "Admin Makassar", "admin_mks"),
        (LO_B, "Andi", "andi_lo"),
        (OP_B, "Daeng", "daeng_satker"),
        (CSO_B, "Wulan", "wulan_cso"),
        (KI_B, "Ayu", "ayu_ki"),
        (KANWIL, "Bambang", "bambang_kanwil"),
        (KANWIL_B, "Hasan", "hasan_kanwil"),
    ):
        api.user(uid, name, username)
    api.group(GROUP_A, "LO Kemenag Kotabumi")
    api.group(GROUP_B, "LO Kemenkeu Makassar")
    await _office(
        h,
        ADMIN,
        GROUP_A,
        (LO_A, "sari_lo"),
        OP_A,
        (CSO_A, "citra_cso"),
        (KI_A, "rina_ki"),
        "123456 MTsN 1 Lampung Utara",
    )
    await _office(
        h,
        ADMIN_B,
        GROUP_B,
        (LO_B, "andi_lo"),
        OP_B,
        (CSO_B, "wulan_cso"),
        (KI_B, "ayu_ki"),
        "654321 KPP Pratama Makassar Barat",
    )
