"""Issue 17, third round: the learned reader's second opinion, through the fake Bot API.
Each message here was read wrongly by the rules alone (each test failed before the
model): a complaint in plain words, chat with a question mark, an FAQ question the
matcher could not place, an entry the two readers disagree on (the sure one answers), a
case said as a statement, a status request without a status phrase. Fourth round (each
failed before its change): a case that opens like a detail with nothing before it, and a
member @mentioned at the start. Fifth: a short report with its number, nothing before it."""

from __future__ import annotations

from datetime import timedelta

from storage import faq as faq_repo
from storage import tickets as repo
from tests.e2e.harness import Harness
from tests.e2e.test_conversation import filed_as_a_complaint
from tests.e2e.test_tickets import ask, ticket
from tests.e2e.world import GROUP, OPERATOR, staffed_office
from tests.fakeapi.server import BOT_USERNAME


async def _no_ticket(h: Harness, number: str = "2026-0001") -> None:
    assert await repo.get_by_number(h.services.db.reader, 1, number) is None


async def test_a_complaint_in_plain_words_reaches_the_complaint_desk(harness: Harness) -> None:
    h = harness
    await staffed_office(h)
    text = "tiap nanya dilempar ke sana sini, LO bilang tanya CSO, CSO bilang tanya LO"
    await filed_as_a_complaint(h, text, "dilempar")


async def test_chat_with_a_question_mark_is_silence(harness: Harness) -> None:
    h = harness
    await staffed_office(h)
    await h.silent(
        GROUP, OPERATOR, "yang dari satker Polres besok ikut bimtek juga kah? bareng yuk"
    )
    await h.silent(GROUP, OPERATOR, "ngopi dulu biar ga ngantuk ngerjain LPJ ☕")
    await _no_ticket(h)


async def test_a_question_the_matcher_could_not_place_is_answered(harness: Harness) -> None:
    h = harness
    await staffed_office(h)
    mark = len(h.api.sent)
    question = h.api.say(GROUP, OPERATOR, "layanan di kppn ada biayanya gak sih")
    answer = await h.api.wait_sent(GROUP, "Bebas Biaya", after=mark)
    assert answer.reply_to == question["message_id"]
    await h.settle()
    await _no_ticket(h)


async def test_where_the_readers_disagree_the_sure_one_answers(harness: Harness) -> None:
    """The matcher alone answered the Uang Persediaan entry to a question about the
    government credit card's share of UP; the learned reader is sure of the card's."""
    h = harness
    await staffed_office(h)
    mark = len(h.api.sent)
    text = (
        "Mohon info Bapak/Ibu, batas penggunaan kartu kredit pemerintah dari UP itu berapa persen?"
    )
    question = h.api.say(GROUP, OPERATOR, text)
    answer = await h.api.wait_sent(GROUP, "Kartu Kredit Pemerintah", after=mark)
    assert answer.reply_to == question["message_id"]
    await h.settle()
    group = [s.plain for s in h.api.sent[mark:] if s.chat_id == GROUP]
    assert not any("Uang Persediaan (UP)" in t for t in group), group
    await _no_ticket(h)
    # The question log names the entry given, not the matcher's first guess.
    since = h.clock.now() - timedelta(hours=1)
    logged = await faq_repo.last_answered(h.services.db.reader, GROUP, OPERATOR, since)
    assert logged is not None and logged["entry_id"] == "kartu-kredit-pemerintah"


async def test_a_case_said_as_a_statement_is_a_ticket(harness: Harness) -> None:
    h = harness
    await staffed_office(h)
    text = (
        "GUP kami nomor 00089 dikembalikan, katanya kuitansi tidak lengkap, "
        "padahal sudah kami lampirkan semua"
    )
    _, reply = await ask(h, text)
    assert "#2026-0001" in reply
    assert (await ticket(h, "2026-0001")).status == "baru"


async def test_a_status_request_in_new_words_lists_the_askers_tickets(harness: Harness) -> None:
    h = harness
    await staffed_office(h)
    await ask(h, "Pak, SPM kami ditolak terus, kenapa ya?")
    mark = len(h.api.sent)
    h.api.say(GROUP, OPERATOR, "yg td pagi saya tanya udh ada update blm pak")
    listed = await h.api.wait_sent(GROUP, "#2026-0001", after=mark)
    assert "2026-0002" not in listed.plain
    await h.settle()
    await _no_ticket(h, "2026-0002")


async def test_a_case_opening_like_a_detail_with_nothing_before_it_is_a_ticket(
    harness: Harness,
) -> None:
    """ "nomor SPM ..." opens a detail of an earlier question; with none before it, a
    message the learned reader is sure is a case is the LO's ticket (it was silence)."""
    h = harness
    await staffed_office(h)
    _, reply = await ask(h, "nomor SPM 00421 kami nyangkut di status 'draft KPPN' sudah 2 hari")
    assert "#2026-0001" in reply
    assert (await ticket(h, "2026-0001")).status == "baru"


async def test_a_short_report_with_its_number_and_nothing_before_it_is_a_ticket(
    harness: Harness,
) -> None:
    """ "dikembalikan lagi bu, yang no ..." reads as a detail of an earlier question; with none
    before it, the number and the trouble make it the LO's case (it was silence)."""
    h = harness
    await staffed_office(h)
    _, reply = await ask(h, "dikembalikan lagi bu, yang no 00517")
    assert "#2026-0001" in reply
    assert (await ticket(h, "2026-0001")).status == "baru"


async def test_a_member_mentioned_at_the_start_is_spoken_to_not_the_office(
    harness: Harness,
) -> None:
    """ "@dewi_bendahara ..." asks a colleague (it was a ticket); "@sari_lo ..." (the group's LO by
    username) and "@<the bot> ..." still ask the office."""
    h = harness
    await staffed_office(h)
    await h.silent(GROUP, OPERATOR, "@dewi_bendahara SPM GUP kemarin sudah dikirim ke KPPN?")
    await _no_ticket(h)
    for text in (
        "@sari_lo mohon info syarat pengajuan GUP apa saja?",
        f"@{BOT_USERNAME} mohon info syarat pengajuan GUP apa saja?",
    ):
        mark = len(h.api.sent)
        question = h.api.say(GROUP, OPERATOR, text)
        answer = await h.api.wait_sent(GROUP, "Penggantian Uang Persediaan", after=mark)
        assert answer.reply_to == question["message_id"]
    await h.settle()
    await _no_ticket(h)
