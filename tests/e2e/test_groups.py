"""Whole conversations about groups and roles, through the fake Bot API."""

from __future__ import annotations

from storage import groups as groups_repo
from tests.e2e.harness import ADMIN, Harness
from tests.e2e.world import GROUP, LO, OPERATOR, STRANGER, people, registered_group

setup_registered_group = registered_group


async def test_added_registered_and_operator(harness: Harness) -> None:
    h = harness
    await setup_registered_group(h)
    joined = h.api.sent_to(GROUP)[0]
    # The title holds "<" and ">": it was escaped, else Telegram would have refused it.
    assert "LO Kemenag <Kotabumi>" in joined.plain
    assert joined.plain.startswith("Selamat pagi Bapak/Ibu")

    reply = await h.say(GROUP, OPERATOR, "/operator 123456")
    assert "operator satker" in reply.plain and "MTsN 1 Lampung Utara" in reply.plain
    assert reply.reply_to is not None

    reply = await h.say(GROUP, OPERATOR, "/operator 654321")
    assert "belum terdaftar" in reply.plain
    reply = await h.say(GROUP, OPERATOR, "/operator 12ab")
    assert "6 digit" in reply.plain

    info = await h.say(GROUP, STRANGER, "/infogrup")
    assert "Kementerian Agama" in info.plain and "Sari Lestari" in info.plain
    assert h.api.refusals == []


async def test_role_refusals_are_polite(harness: Harness) -> None:
    h = harness
    await setup_registered_group(h)
    reply = await h.say(GROUP, STRANGER, "/satker 999999 Satker Palsu")
    assert (
        reply.plain.startswith("Mohon maaf") and "khusus untuk Liaison Officer (LO)" in reply.plain
    )
    reply = await h.say(STRANGER, STRANGER, "/beriperan lo @budi_satker")
    assert reply.plain.startswith("Mohon maaf")
    reply = await h.say(GROUP, STRANGER, "/daftargrup Kementerian Lain")
    assert reply.plain.startswith("Mohon maaf")
    group = await groups_repo.get(h.services.db.reader, GROUP)
    assert group is not None and group.kl_name == "Kementerian Agama"
    assert await groups_repo.satker_of(h.services.db.reader, GROUP) == [
        ("123456", "MTsN 1 Lampung Utara")
    ]


async def test_supergroup_migration_keeps_data(harness: Harness) -> None:
    h = harness
    await setup_registered_group(h)
    await h.say(GROUP, OPERATOR, "/operator 123456")
    h.api.migrate(GROUP, -100777, OPERATOR)
    await h.settle()
    db = h.services.db.reader
    assert await groups_repo.get(db, GROUP) is None
    moved = await groups_repo.get(db, -100777)
    assert moved is not None and moved.active and moved.kl_name == "Kementerian Agama"
    assert await groups_repo.operator_satker(db, OPERATOR, -100777) == "123456"
    reply = await h.say(-100777, STRANGER, "/infogrup")
    assert "MTsN 1 Lampung Utara" in reply.plain


async def test_kicked_group_is_inactive_and_gets_nothing(harness: Harness) -> None:
    h = harness
    await setup_registered_group(h)
    h.api.kick_bot(GROUP, ADMIN)
    await h.settle()
    group = await groups_repo.get(h.services.db.reader, GROUP)
    assert group is not None and group.status == "inactive"
    # An outbox row for the kicked group is dropped, not retried forever.
    from storage import outbox

    async with h.services.db.transaction() as tx:
        await outbox.enqueue(tx, "test:1", GROUP, "Halo", h.clock.now())
    mark = len(h.api.sent)
    result = await h.tick()
    assert result.drained.failed == 1
    assert (await outbox.count_by_status(h.services.db.reader)).get("pending", 0) == 0
    # Not sent there, and not lost either: the group's LO is handed the message.
    sent = h.api.sent[mark:]
    assert [s.chat_id for s in sent] == [LO] and "Halo" in sent[0].plain


async def test_help_fits_role_and_chat(harness: Harness) -> None:
    h = harness
    people(h)
    admin_help = await h.say(ADMIN, ADMIN, "/start")
    assert "/beriperan" in admin_help.plain
    user_help = await h.say(STRANGER, STRANGER, "/bantuan")
    assert "/beriperan" not in user_help.plain
    assert "setMyCommands" in [m for m, _ in h.api.calls]


async def test_set_my_commands_failure_does_not_stop_the_bot(harness: Harness) -> None:
    h = harness
    people(h)
    h.api.fail_next("setMyCommands", 400, "Bad Request: BOT_COMMAND_INVALID")
    await h.restart()
    reply = await h.say(STRANGER, STRANGER, "/bantuan")
    assert "Selamat" in reply.plain
