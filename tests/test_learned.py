"""The learned reader (bot/conversation/learned/): the shipped weights match the labelled
sets, inference is well-formed on any text, and its opinion is weighed as documented
(bot/conversation/reading.second_opinion, bot/conversation/policy.second_opinion)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot import faq
from bot.conversation import policy
from bot.conversation.learned import features as feats
from bot.conversation.learned import model as learned
from bot.conversation.learned import train
from bot.conversation.reading import Kind, Reading, asks_the_office, read, second_opinion


def test_the_shipped_weights_were_trained_on_the_labelled_sets_as_they_are() -> None:
    shipped = learned.current().trained_on
    now = train.fingerprint(train.training_sets())
    assert shipped == now, (
        "a labelled set changed since the model was trained: run "
        "`.venv/bin/python -m bot.conversation.learned.train` (needs the [train] extra)"
    )


def test_retraining_gives_the_shipped_model() -> None:
    pytest.importorskip("sklearn")
    fresh = train.fit(train.training_sets())
    shipped = learned.current()
    assert fresh.labels == shipped.labels
    assert fresh.weights.keys() == shipped.weights.keys()
    # The same decisions on every labelled message (weights are rounded when shipped).
    for path in train.training_sets():
        for text, _ in train.labelled(path)[::7]:
            a, b = fresh.guess(text), shipped.guess(text)
            assert a.entry == b.entry
            assert _likeliest(a) == _likeliest(b)


def _likeliest(g: learned.Guess) -> str:
    return max(g.shares, key=g.shares.__getitem__)


@given(st.text(max_size=300))
def test_a_guess_is_well_formed_for_any_text(text: str) -> None:
    g = learned.guess(text)
    assert math.isclose(sum(g.shares.values()), 1.0, rel_tol=1e-9)
    assert all(0.0 <= v <= 1.0 for v in g.shares.values())
    assert learned.current().knows(g.entry)
    assert 0.0 <= g.entry_share <= g.share(learned.QUESTION) + 1e-12
    assert learned.guess(text) == g  # no state between calls


@given(st.text(max_size=200))
def test_each_feature_block_has_unit_length(text: str) -> None:
    found = feats.features(text)
    for prefix in ("w|", "c|"):
        block = [v for k, v in found.items() if k.startswith(prefix)]
        if block:
            assert math.isclose(math.sqrt(sum(v * v for v in block)), 1.0, rel_tol=1e-9)


@given(st.text(alphabet="abcdefghij ?2", max_size=80))
def test_case_and_spacing_do_not_change_the_features(text: str) -> None:
    assert feats.features(text) == feats.features("  " + text.upper().replace(" ", "   "))


def _guess(entry: str = "ganti-up", entry_share: float = 0.0, **shares: float) -> learned.Guess:
    base = {k: 0.0 for k in ("question", *learned.KINDS)}
    base.update(shares)
    return learned.Guess(base, entry, entry_share)


@pytest.mark.parametrize(
    ("rules", "guess", "kind"),
    [
        (Kind.STATEMENT, _guess(complaint=0.7, question=0.3), Kind.COMPLAINT),
        (Kind.CHAT, _guess(complaint=0.6, chat=0.4), Kind.CHAT),  # "kami juga mengalami"
        (Kind.STATEMENT, _guess(status=0.6, question=0.4), Kind.STATUS),
        (Kind.QUESTION, _guess(status=0.7, question=0.3), Kind.QUESTION),  # the LO's
        (Kind.CASE, _guess(complaint=0.7, case=0.3), Kind.CASE),
        (Kind.CASE, _guess(complaint=0.85, case=0.15), Kind.CASE),
        (Kind.CASE, _guess(complaint=0.95, case=0.05), Kind.COMPLAINT),
        (Kind.QUESTION, _guess(complaint=0.85, question=0.15), Kind.COMPLAINT),
        (Kind.QUESTION, _guess(chat=0.8, question=0.2), Kind.CHAT),
        (Kind.CASE, _guess(chat=0.8, case=0.2), Kind.CASE),  # chat never silences a case
        (Kind.STATEMENT, _guess(case=0.6, question=0.4), Kind.CASE),
        (Kind.CHAT, _guess(question=0.7, chat=0.3), Kind.QUESTION),
        (Kind.COMPLAINT, _guess(question=0.6, complaint=0.4), Kind.COMPLAINT),  # kept
        (Kind.STATUS, _guess(question=0.95, status=0.05), Kind.QUESTION),  # sure: overruled
        (Kind.DETAIL, _guess(case=0.9, question=0.1), Kind.DETAIL),  # the context's word
        (Kind.CLARIFY, _guess(question=0.9, chat=0.1), Kind.CLARIFY),
        (Kind.STATEMENT, _guess(question=0.4, chat=0.3, case=0.3), Kind.STATEMENT),
    ],
)
def test_the_rules_and_the_model_weighed(rules: Kind, guess: learned.Guess, kind: Kind) -> None:
    assert second_opinion(rules, guess) is kind


def test_a_question_put_as_a_request_is_never_silenced() -> None:
    chat = _guess(chat=0.95, question=0.05)
    assert second_opinion(Kind.QUESTION, chat, asks=True) is Kind.QUESTION
    assert read("mohon info, undangan sosialisasi minggu depan untuk siapa saja?").kind in (
        Kind.QUESTION,
        Kind.CASE,
    )
    assert read("bagaimana cara mengurus tunjangan anak pegawai?").kind is Kind.QUESTION


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        ("syarat2 pengajuan up", True),
        ("batas pengajuan spm akhir tahun tgl brp", True),
        ("mohon info teman-teman, syarat GUP apa saja?", True),  # a request phrase asks
        ("Ingat ya teman-teman, batas rekon tanggal 10, jangan sampai telat lagi", False),
        ("Fwd: kepada seluruh satker, batas pengajuan SPM mengikuti surat edaran", False),
        ("rekan2 jangan lupa, syarat LPJ sudah diupload sebelum tanggal 10", False),
    ],
)
def test_a_request_noun_said_to_the_group_asks_the_office_nothing(text: str, asks: bool) -> None:
    """A reminder or a forwarded notice names "batas"/"syarat" without asking for them:
    the model may call it chat (it is, 0.98), where a search-like line stays a question."""
    assert asks_the_office(text) is asks


@pytest.fixture(scope="module")
def index() -> faq.FaqIndex:
    return faq.FaqIndex.build(faq.load_dir(faq.default_content_dir()))


def _reading(guess: learned.Guess | None, choice: bool = False) -> Reading:
    return Reading(Kind.QUESTION, names_a_choice=choice, guess=guess)


def test_an_answer_needs_the_model_to_agree(index: faq.FaqIndex) -> None:
    match = faq.Match(index.entries["ganti-up"], 0.9)
    agreeing = _reading(_guess("ganti-up", 0.6, question=1.0))
    other = _reading(_guess("tambahan-up", 0.6, question=1.0))
    assert policy.second_opinion(match, agreeing, index.entries) == match
    assert policy.second_opinion(match, other, index.entries) is None
    # A model sure of its own entry overrules the matcher.
    sure = _reading(_guess("tambahan-up", policy.SURE, question=1.0))
    found = policy.second_opinion(match, sure, index.entries)
    assert found is not None and found.entry.id == "tambahan-up"


def test_a_sure_model_answers_what_the_matcher_could_not_place(index: faq.FaqIndex) -> None:
    """With no entry of the matcher's to weigh against, the model answers from PLACE (0.7),
    below the SURE (0.8) it needs to overrule the matcher."""
    assert policy.PLACE < policy.SURE
    sure = _reading(_guess("ikpa", policy.PLACE, question=1.0))
    unsure = _reading(_guess("ikpa", policy.PLACE - 0.01, question=1.0))
    found = policy.second_opinion(None, sure, index.entries)
    assert found is not None and found.entry.id == "ikpa" and not found.alternatives
    assert policy.second_opinion(None, unsure, index.entries) is None


def test_close_entries_the_asker_named_stay_a_choice(index: faq.FaqIndex) -> None:
    choice = faq.Match(index.entries["ganti-up"], 0.7, (index.entries["tambahan-up"],))
    sure = _guess("ganti-up", 0.95, question=1.0)
    named = _reading(sure, choice=True)
    assert policy.second_opinion(choice, named, index.entries) == choice
    # Not named by the asker: the sure model answers instead of a ticket.
    found = policy.second_opinion(choice, _reading(sure), index.entries)
    assert found is not None and found.entry.id == "ganti-up" and not found.alternatives


def test_a_choice_without_the_models_entry_is_not_offered(index: faq.FaqIndex) -> None:
    """ "layanan di kppn berbayar atau tidak ya": the asker names a choice, the matcher
    offers two entries, the model holds for a third; the menu would have no right button."""
    choice = faq.Match(index.entries["renkas-rpd"], 0.5, (index.entries["sp2d-non-gaji"],))
    sure = _reading(_guess("layanan-gratis", policy.SURE, question=1.0), choice=True)
    found = policy.second_opinion(choice, sure, index.entries)
    assert found is not None and found.entry.id == "layanan-gratis" and not found.alternatives
    unsure = _reading(_guess("layanan-gratis", policy.SURE - 0.01, question=1.0), choice=True)
    assert policy.second_opinion(choice, unsure, index.entries) is None  # the LO takes it


def test_an_entry_the_model_never_saw_keeps_the_matchers_word(index: faq.FaqIndex) -> None:
    own = faq.Entry.from_data({**index.entries["ikpa"].as_data(), "id": "lo-1"})
    match = faq.Match(own, 0.9)
    reading = _reading(_guess("ikpa", 0.9, question=1.0))
    assert policy.second_opinion(match, reading, {**index.entries, "lo-1": own}) == match


def test_a_question_the_model_holds_for_the_offices_is_on_topic() -> None:
    """ "kalau GU nya telat diajukan ada sanksinya gak min": no service word the rules know,
    a question the model learned from the office's own."""
    held = Reading(Kind.QUESTION, on_topic=False, guess=_guess("ganti-up", 0.86, question=0.98))
    # "mohon info cara membuat paspor": put as a question, about none of the office's.
    stray = Reading(Kind.QUESTION, on_topic=False, guess=_guess("hai-djpb", 0.09, question=0.55))
    assert policy.route(held, None) is policy.Route.TICKET
    assert policy.route(stray, None) is policy.Route.SILENCE
