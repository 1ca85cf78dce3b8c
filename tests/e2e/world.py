"""A small office for the scenarios: an admin, an LO, staff, operators and a group."""

from __future__ import annotations

from tests.e2e.harness import ADMIN, Harness

GROUP = -1001
OTHER_GROUP = -1002
LO, OPERATOR, STRANGER, CSO, SUPERVISOR, KEPALA, LO2 = 200, 300, 400, 500, 600, 700, 210


def people(h: Harness) -> None:
    h.api.user(ADMIN, "Admin", "admin_kppn")
    h.api.user(LO, "Sari", "sari_lo", last_name="Lestari")
    h.api.user(LO2, "Dewi", "dewi_lo")
    h.api.user(OPERATOR, "Budi", "budi_satker")
    h.api.user(STRANGER, "Tono")
    h.api.user(CSO, "Citra", "citra_cso")
    h.api.user(SUPERVISOR, "Hendra", "hendra_kasi")
    h.api.user(KEPALA, "Kartika", "kartika_kakap")
    h.api.group(GROUP, "LO Kemenag <Kotabumi>")
    h.api.group(OTHER_GROUP, "LO Kemenkes")


async def registered_group(h: Harness) -> None:
    """The admin makes Sari LO; the bot joins the group; Sari registers it and a satker."""
    people(h)
    await h.say(LO, LO, "/start")
    reply = await h.say(ADMIN, ADMIN, "/beriperan lo @sari_lo")
    assert "diberikan" in reply.plain
    h.api.add_bot(GROUP, ADMIN)
    await h.api.wait_sent(GROUP, "menunggu pendaftaran")
    reply = await h.say(GROUP, LO, "/daftargrup Kementerian Agama")
    assert "telah terdaftar" in reply.plain
    reply = await h.say(GROUP, LO, "/satker 123456 MTsN 1 Lampung Utara")
    assert "123456" in reply.plain


async def staffed_office(h: Harness) -> None:
    """A registered group with an operator, plus CSO, supervisor, head of office, LO2."""
    await registered_group(h)
    await h.say(GROUP, OPERATOR, "/operator 123456")
    for uid, role, name in (
        (CSO, "cso", "citra_cso"),
        (SUPERVISOR, "supervisor", "hendra_kasi"),
        (KEPALA, "kepala", "kartika_kakap"),
        (LO2, "lo", "dewi_lo"),
    ):
        await h.say(uid, uid, "/start")
        reply = await h.say(ADMIN, ADMIN, f"/beriperan {role} @{name}")
        assert "diberikan" in reply.plain


async def office_with_bot_message(h: Harness) -> int:
    """A staffed office; returns the bot's last message in GROUP, to press buttons on."""
    await staffed_office(h)
    return int(h.api.sent_to(GROUP)[-1].message["message_id"])


async def answer_post(h: Harness) -> int:
    """A registered group, a question and the LO's answer: the answer post's message id
    (it offers the asker's buttons, "tk:1:ok" among them)."""
    await registered_group(h)
    await h.say(GROUP, OPERATOR, "Mohon info pak, SPM kami nomor 12 kapan diproses?")
    mark = len(h.api.sent)
    await h.act(LO, LO, "/jawab 2026-0001 Sudah diproses, silakan cek OM-SPAN.")
    post = await h.api.wait_sent(GROUP, "Jawaban atas tiket", after=mark)
    return int(post.message["message_id"])
