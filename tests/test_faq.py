"""FAQ content, matching and quality."""

from __future__ import annotations

import functools
import shutil
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.common import WIB, services
from bench.faq_eval import EVAL, evaluate, read_set
from bot import faq, textnorm
from bot.conversation.questions import is_question
from bot.services import Services


@pytest.fixture
async def svc(tmp_path: Path) -> AsyncIterator[Services]:
    s = await services(tmp_path / "faq.sqlite3", datetime(2026, 11, 23, 10, tzinfo=WIB))
    await faq.reload(s)
    yield s
    await s.db.close()


def test_shipped_content_is_valid_and_complete() -> None:
    entries = faq.load_dir(faq.default_content_dir())
    assert len(entries) >= 25
    for e in entries:
        assert set(e.aspects) == set(faq.ASPECTS)
        assert len(e.id) <= 32  # callback data stays under Telegram's 64 bytes


def _broken_copy(tmp: Path, file: str, old: str, new: str) -> Path:
    target = tmp / "content"
    shutil.copytree(faq.default_content_dir(), target)
    path = target / file
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    return target


@pytest.mark.parametrize(
    "file, old, new, expected",
    [
        ("tambahan-up.yaml", "  sanksi: |", "  sanksi_lain: |", "aspects.sanksi_lain"),
        ("ikpa.yaml", "id: ikpa", "id: ikpa\nreviewed_at: 2026-11-20", "kolom 'reviewed_at'"),
        ("ikpa.yaml", "id: ikpa", "id: ikpa\nreviewed_by: Kasi PD", "dicatat di bot"),
        ("ikpa.yaml", "panduan_umum: [waktu", "panduan_umum: [biaya", "bukan nama aspek"),
        ("ikpa.yaml", "synonyms: [", "synonyms: [batas rekon, ", "juga dipakai entri"),
        ("ikpa.yaml", "synonyms: [", "synonyms: [skor ikpa satker, skor ikpa satker, ", "ganda"),
        ("ikpa.yaml", "sources:", "sumber:", "kolom 'sources'"),
        ("om-span.yaml", "title: Monitoring", "titel: Monitoring", "kolom 'title'"),
        ("retur-sp2d.yaml", "keywords: [", "keywords: [[", "YAML tidak valid"),
        ("jam-layanan.yaml", "id: jam-layanan", "id: sp2d-non-gaji", "sudah dipakai"),
    ],
)
def test_errors_name_file_entry_and_field(
    tmp_path: Path, file: str, old: str, new: str, expected: str
) -> None:
    with pytest.raises(faq.ContentError) as info:
        faq.load_dir(_broken_copy(tmp_path, file, old, new))
    assert file in str(info.value) and expected in str(info.value)


async def test_refused_reload_keeps_previous_content(svc: Services, tmp_path: Path) -> None:
    before = svc.faq
    broken = _broken_copy(tmp_path, "ikpa.yaml", "id: ikpa", "id: ikpa\nreviewed: x")
    with pytest.raises(faq.ContentError):
        await faq.reload(svc, broken)
    assert svc.faq is before
    assert await faq.load_from_db(svc) == len(before.entries)


@pytest.mark.parametrize(
    "text",
    [
        '"sp2d',
        "sp2d AND spm",
        "NEAR(sp2d spm)",
        "sp2d*",
        "title:sp2d",
        "-- ; DROP TABLE",
        "^^^",
        "sp2d OR",
        "(((",
        "'",
    ],
)
async def test_odd_text_searches_without_error(svc: Services, text: str) -> None:
    faq.search(svc.faq, text)


@settings(max_examples=15, deadline=None)
@given(st.lists(st.text(max_size=60), min_size=1, max_size=20))
def test_any_text_searches_without_error(texts: list[str]) -> None:
    for text in texts:
        for match in faq.search(_index(), text):
            assert 0.0 <= match.confidence <= 1.0
        chosen, confidence = faq.decide(_index(), text, 0.55)
        assert 0.0 <= confidence <= 1.0


def test_typos_and_slang_reach_the_entry() -> None:
    index = faq.FaqIndex.build(faq.load_dir(faq.default_content_dir()))
    assert "rekonsiliasi" in index.normalise("bts rekonsilasi kpn?").terms
    assert "tup" in index.normalise("syarat tambahan uang persediaan").terms


def test_aspect_follows_the_question() -> None:
    assert faq.pick_aspect("syarat pengajuan TUP apa aja") == "persyaratan"
    assert faq.pick_aspect("kapan batas rekon") == "waktu"
    assert faq.pick_aspect("sanksi kalau telat kirim lpj apa") == "sanksi"
    assert faq.pick_aspect("status revisi dipa bisa dicek di mana") == "pemantauan"
    assert faq.pick_aspect("bagaimana alur revisi dipa") == "alur"
    # "pukul berapa" asks the time of day like "jam berapa" (blind set 3 got the procedure).
    assert faq.pick_aspect("spm diterima sampai pukul berapa") == "waktu"


@functools.cache
def _index() -> faq.FaqIndex:
    """The shipped content's index, built once (about half a second): nothing mutates it."""
    return faq.FaqIndex.build(faq.load_dir(faq.default_content_dir()))


def test_quality_meets_targets() -> None:
    report = evaluate(_index(), read_set(EVAL), 0.55, "main")
    assert report.positives >= 200 and report.negatives >= 100
    assert report.top1_accuracy >= 0.94, report.wrong
    assert report.answered_wrong == 0, report.wrong
    assert report.false_rate <= 0.01, report.false
    assert report.recall >= 0.80


# Every labelled set we have, with its top-1 floor. None of them may get a wrong-entry
# answer, a question back without the right entry, or an answer to a negative (issue 11).
# The blind sets were each measured once before anything was changed for them
# (docs/BENCHMARKS.md); here they are regression floors, no longer held-out figures.
SETS = {  # name: (top-1 floor, questions back without the right entry tolerated)
    "faq_holdout_blind.yaml": (0.90, 0),
    "faq_holdout_blind2.yaml": (0.90, 0),
    "faq_holdout_blind3.yaml": (0.90, 0),
    "faq_holdout_blind4.yaml": (0.85, 0),
    # Written after every change of this round and measured once, summary only: its one
    # question back without the right option was not looked at (the set stays held-out).
    "faq_holdout_blind5.yaml": (0.90, 1),
    "faq_dev.yaml": (0.93, 0),
    "faq_holdout.yaml": (0.80, 0),
}
# Questions whose label disagrees with another set's label for the same question: the
# third blind set files "until what time is an SPM accepted?" under opening hours, the main
# set ("spm masih bisa dikirim jam berapa hari ini?") under SPM submission, whose time
# aspect now states the hours. Counted wrong in docs/BENCHMARKS.md; tolerated here only
# with the entry the bot gives today.
DISPUTED = {
    "Selamat sore, pengajuan SPM setiap harinya diterima sampai pukul berapa ya?": "spm-pengajuan",
}


def _undisputed(wrong: list[str]) -> list[str]:
    return [
        w
        for w in wrong
        if not any(f"{q!r}: " in w and f"answered {e}" in w for q, e in DISPUTED.items())
    ]


@pytest.mark.parametrize("name, floor, asked_without", [(n, *v) for n, v in SETS.items()])
def test_no_set_gets_a_wrong_answer(name: str, floor: float, asked_without: int) -> None:
    report = evaluate(_index(), read_set(EVAL.with_name(name)), 0.55, name)
    # Counts only: the messages would print a held-out set's questions.
    assert report.answered_wrong - (len(report.wrong) - len(_undisputed(report.wrong))) == 0
    assert report.asked_wrong <= asked_without
    assert report.false_answers == 0
    assert report.top1_accuracy >= floor


@pytest.mark.parametrize(
    "question, offered",
    [
        # The best entry wins on a context phrase ("belanja modal"), the predicate
        # ("dikembalikan") is another entry's phrase: ask, and offer that entry.
        ("spm belanja modal kami dikembalikan lagi, kenapa ya", {"sp2d-non-gaji", "spm-ditolak"}),
        # Two specific words ("geser", "pagu") are the revision entry's subject only.
        ("bagaimana geser pagu belanja modal ke belanja barang", {"revisi-dipa"}),
        # The whole title of an entry, spelled out, names it.
        ("apakah indikator kinerja pelaksanaan anggaran dihitung dari halaman iii dipa?", {"ikpa"}),
    ],
)
def test_evidence_for_another_entry_asks_instead_of_answering(
    question: str, offered: set[str]
) -> None:
    chosen, _ = faq.decide(_index(), question, 0.55)
    assert chosen is not None and chosen.alternatives, "answered outright"
    assert offered <= {chosen.entry.id, *(e.id for e in chosen.alternatives)}


@pytest.mark.parametrize(
    "question, expected",
    [
        # One ordinary word shared with another entry is not evidence: answer.
        ("kapan sp2d terbit kalau spm masuk jam 10?", "sp2d-non-gaji"),
        ("spm kami ditolak, alasannya bisa dilihat di mana?", "spm-ditolak"),
    ],
)
def test_one_shared_ordinary_word_still_answers(question: str, expected: str) -> None:
    chosen, _ = faq.decide(_index(), question, 0.55)
    assert chosen is not None and not chosen.alternatives
    assert chosen.entry.id == expected


@pytest.mark.parametrize(
    "question, expected",
    [
        # Service names outweigh the words many entries share (issue 11).
        ("lupa password omspan gimana min", "om-span"),
        ("mau komplain pelayanan kppn ke mana ya", "pengaduan"),
        ("bagaimana cara login?", "sakti-akses"),
        # "dana masuk" is money arriving, not logging in.
        ("dana belum masuk ke rekening penerima, kenapa?", "retur-sp2d"),
    ],
)
def test_service_name_outweighs_shared_words(question: str, expected: str) -> None:
    assert faq.search(_index(), question, limit=1)[0].entry.id == expected


@pytest.mark.parametrize(
    "question, expected",
    [
        # The matcher alone ranks UP, LS to third parties, the satker's account first.
        (
            "batas belanja pakai kartu kredit pemerintah per transaksi maksimal berapa",
            "kartu-kredit-pemerintah",
        ),
        ("lembur pegawai dibayar lewat LS atau UP", "belanja-pegawai"),
        ("data supplier dari satker lain bisa kami pakai juga?", "data-supplier"),
    ],
)
def test_the_ranking_weighs_the_operators_phrasing(question: str, expected: str) -> None:
    index = _index()
    assert index.match.rank(index.normalise(question))[0][0] != expected
    assert faq.search(index, question, limit=1)[0].entry.id == expected


def test_an_entry_the_model_never_saw_keeps_the_matchers_rank() -> None:
    index = _index()
    approved = replace(index.entries["ganti-up"], id="jawaban-lo-1")
    both = faq.FaqIndex.build([*index.entries.values(), approved])
    ranked = [m.entry.id for m in faq.search(both, "syarat pengajuan GUP apa saja", limit=3)]
    assert ranked.index("jawaban-lo-1") < 2


def test_a_named_service_the_answer_is_not_about_makes_the_bot_ask() -> None:
    match, _ = faq.decide(_index(), "revisi dipa terlambat apakah menurunkan ikpa?", 0.55)
    assert match is not None and match.entry.id == "revisi-dipa"
    assert [e.id for e in match.alternatives] == ["ikpa"]


def test_fee_question_is_not_answered_with_the_service_it_names() -> None:
    match, _ = faq.decide(_index(), "ada pungutan buat revisi dipa ga min", 0.55)
    assert match is None or match.alternatives or match.entry.id == "layanan-gratis"


def test_close_entries_are_asked_not_guessed() -> None:
    match, _ = faq.decide(_index(), "syarat gup atau tup apa ya?", 0.55)
    assert match is not None and match.alternatives
    assert {match.entry.id, *(e.id for e in match.alternatives)} >= {"ganti-up", "tambahan-up"}


def test_fuzzy_index_corrects_like_edit_distance() -> None:
    from bot.fuzzy import FuzzyIndex, distance

    index = FuzzyIndex(["rekonsiliasi", "persediaan", "supplier", "sp2d"])
    assert index.closest("rekonsilasi") == "rekonsiliasi"
    assert index.closest("persedian") == "persediaan"
    assert index.closest("suplier") == "supplier"
    assert index.closest("sp2") is None  # short words are never corrected
    assert distance("suplier", "supplier") == 1 and distance("ab", "ba") == 1


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet="abcdeprs", min_size=4, max_size=9))
def test_fuzzy_index_agrees_with_a_full_scan(word: str) -> None:
    from bot.fuzzy import FuzzyIndex, allowed, distance

    vocabulary = ["spasi", "sadar", "rapes", "pasar", "bersandar", "ceprek", "dapur", "sebar"]
    found = FuzzyIndex(vocabulary).closest(word)
    limit = allowed(word)
    scan = [v for v in vocabulary if v[0] == word[0] and distance(word, v) <= limit]
    assert (found is None) == (not scan)
    if found is not None:
        assert distance(word, found) == min(distance(word, v) for v in scan)


@pytest.mark.parametrize(
    "text",
    [
        "apa kabar",
        "siapa yang piket hari ini",
        "Apa kabar semuanya? Siapa yang piket hari ini?",
        "Selamat pagi, apa kabar bapak ibu semua?",
        "sudah makan siang belum?",
        "nanti saya kirim ya",
    ],
)
def test_social_talk_is_not_a_question(text: str) -> None:
    assert not is_question(text)


@pytest.mark.parametrize(
    "text",
    [
        "apa kabar sp2d kami min? sudah 2 hari",
        "piket kppn hari ini siapa ya, mau konsultasi revisi dipa",
        "bagaimana cara login?",
        "selamat pagi, sp2d belum terbit kenapa ya",
        # Yes/no tags and waiting reports are questions too.
        "sp2d honor narsum kami udah terbit blm ya",
        "sabtu kppn buka gak min",
        "ntpn setoran kami belum terkonfirmasi",
        "lpj bendahara penerimaan dikirim kemana",
    ],
)
def test_social_words_beside_a_service_word_still_ask(text: str) -> None:
    assert is_question(text)


async def test_unchanged_content_is_not_parsed_again(
    svc: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def must_not_parse(path: Path) -> list[faq.Entry]:
        raise AssertionError("content parsed again although unchanged")

    before = svc.faq
    with monkeypatch.context() as m:
        m.setattr(faq, "load_dir", must_not_parse)
        assert await faq.reload(svc) == len(before.entries)
    assert svc.faq.match.weights == before.match.weights
    # A changed file is parsed and indexed again.
    changed = _broken_copy(tmp_path, "ikpa.yaml", "synonyms: [", "synonyms: [rapor ikpa, ")
    await faq.reload(svc, changed)
    assert "rapor" in svc.faq.match.weights["ikpa"]


# ---- content corrections (issue 11) ----------------------------------------------------------
def _entries() -> dict[str, faq.Entry]:
    return {e.id: e for e in faq.load_dir(faq.default_content_dir())}


def _all_text(e: faq.Entry) -> str:
    return " ".join([*e.aspects.values(), e.dasar_hukum or "", e.catatan or "", e.produk or ""])


def test_the_replaced_payment_rule_is_named_once_with_what_replaced_it() -> None:
    """PMK 62/2023 replaced PMK 190/2012: said once, plainly; never 'not the only basis'."""
    entries = _entries()
    naming = [e.id for e in entries.values() if "190/PMK.05/2012" in _all_text(e)]
    assert naming == ["spm-pengajuan"]
    assert "digantikan PMK 62 Tahun 2023" in (entries["spm-pengajuan"].catatan or "")
    for e in entries.values():
        text = _all_text(e)
        assert "acuan tunggal" not in text and "PMK 210" not in text, e.id


# ---- content a head of office would sign (issue 20) --------------------------------------
def test_no_placeholder_rules_and_no_unchecked_sources() -> None:
    for e in _entries().values():
        basis = e.dasar_hukum or ""
        assert "PMK tentang" not in basis and "yang berlaku" not in basis, e.id
        assert not basis.startswith("Ketentuan"), e.id
        assert all("belum dicocokkan" not in s for s in e.sources), e.id


def test_every_statement_is_sourced_or_general_guidance() -> None:
    """An entry no specific rule stands behind says so in every aspect; an aspect outside
    panduan_umum is covered by the entry's dasar_hukum."""
    for e in _entries().values():
        if not e.dasar_hukum:
            assert set(e.panduan_umum) == set(faq.ASPECTS), e.id


def test_the_one_hour_sp2d_standard_keeps_its_conditions() -> None:
    entries = _entries()
    for eid in ("sp2d-non-gaji", "spm-pengajuan"):
        waktu = entries[eid].aspects["waktu"]
        assert "sejak ADK SPM diterima di SPAN" in waktu, eid
        for condition in ("08.00 dan 12.00", "beban puncak", "data kontrak", "keadaan kahar"):
            assert condition in waktu, (eid, condition)
        assert "tidak berlaku" in waktu, eid
    assert all("15.00" not in _all_text(e) for e in entries.values())


def test_complaint_channels_are_named_right() -> None:
    entries = _entries()
    channels = entries["pengaduan"].aspects["alur"]
    assert "SP4N-LAPOR!" in channels and "www.lapor.go.id" in channels
    assert "wise.kemenkeu.go.id" in channels and "call center DJPb 14090" in channels
    for e in entries.values():
        text = _all_text(e)
        assert "Kemenkeu: 14090" not in text and "Contact center" not in text, e.id
    correction = entries["konfirmasi-setoran"].aspects["alur"]
    assert "pemindahbukuan (Pbk) di KPP" in correction


def test_sanctions_state_a_sanction_or_that_there_is_none() -> None:
    for e in _entries().values():
        sanksi = e.aspects["sanksi"]
        assert "dapat menjelaskan" not in sanksi and "sesuai ketentuan yang berlaku" not in sanksi
    assert "RKAKL Online" not in _entries()["revisi-dipa"].aspects["pemantauan"].split(".")[1]


def test_ikpa_indicators_named_elsewhere_exist_in_the_ikpa_entry() -> None:
    import re

    entries = _entries()
    listed = entries["ikpa"].aspects["alur"].lower()
    for e in entries.values():
        for name in re.findall(r"indikator ([a-z/ ]+?)[),.]", _all_text(e).lower()):
            for part in re.split(r" dan |, ", name.replace("antara lain ", "")):
                assert part.strip() in listed, (e.id, part)
    for gone in ("kualitas pengajuan spm", "kepatuhan pelaporan", "pengelolaan kontrak"):
        assert all(gone not in _all_text(e).lower() for e in entries.values()), gone


def test_completion_times_from_the_service_standard() -> None:
    entries = _entries()
    assert "1 (satu) jam" in entries["sp2d-non-gaji"].aspects["waktu"]
    assert "08.00 dan 12.00" in entries["sp2d-non-gaji"].aspects["waktu"]
    assert "1 (satu) hari kerja" in entries["tambahan-up"].aspects["waktu"]
    assert "5 (lima) hari kerja" in entries["rekening-satker"].aspects["waktu"]
    for eid in ("sp2d-non-gaji", "tambahan-up", "rekening-satker"):
        assert any("KEP-83/PB/2025" in s for s in entries[eid].sources), eid


def test_every_entry_names_its_output_and_sources() -> None:
    for e in _entries().values():
        assert e.produk and e.sources, e.id


def test_hai_cso_lives_in_monsakti() -> None:
    entries = _entries()
    assert "MonSAKTI" in entries["hai-djpb"].aspects["alur"]
    assert "HAI DJPb di OM-SPAN" not in _all_text(entries["hai-djpb"])
    assert "Contact center Kementerian Keuangan" not in _all_text(entries["pengaduan"])


def test_answer_says_whether_the_office_reviewed_it() -> None:
    from dataclasses import replace
    from datetime import date

    from messages import faq as msg

    entry = _entries()["ikpa"]
    assert "belum ditinjau oleh KPPN" in msg.entry_text(entry, "alur")
    reviewed = replace(entry, reviewed_by="Seksi PD", reviewed_at=date(2026, 11, 30))
    text = msg.entry_text(reviewed, "alur")
    assert "Ditinjau oleh Seksi PD, Senin, 30 November 2026" in text
    assert "belum ditinjau" not in text


def test_exported_draft_is_a_valid_content_file() -> None:
    import yaml

    from bot import faq_flow

    entry = faq_flow.learned_entry(7, "apakah paket fullboard boleh pakai KKP?", "Boleh.")
    parsed = faq.parse_entry("lo-7.yaml", yaml.safe_load(faq.to_yaml(entry)))
    assert parsed.id == "lo-7" and parsed.aspects["alur"] == "Boleh."
    assert parsed.questions == ("apakah paket fullboard boleh pakai KKP?",)
    assert parsed.reviewed_by is None and parsed.panduan_umum == ()


def test_approved_draft_message_fits_one_telegram_message() -> None:
    from bot import faq_flow
    from messages import faq as msg

    entry = faq_flow.learned_entry(3, "pertanyaan panjang?", "jawaban <b>panjang</b> " * 400)
    text = msg.draft_approved(entry, faq.to_yaml(entry))
    assert len(text) < 4096 and text.count("<pre>") == text.count("</pre>") == 1
    assert "&lt;b&gt;" in text  # the LO's text is escaped


def test_real_words_are_not_corrected_as_typos() -> None:
    """'rapat' is a meeting, not a misspelt 'ralat'; 'tarik' is not 'tarif' (a fee)."""
    query = _index().normalise("jadwal rapat besok, tarik dana kapan?")
    assert {"rapat", "tarik"} <= set(query.terms) and not query.fuzzy


def test_chat_style_verbs_reach_their_root() -> None:
    assert textnorm.stem("dibalikin") == "balik" and textnorm.stem("daftarin") == "daftar"
    assert textnorm.stem("mungkin") == "mungkin"  # a word that merely ends in -in


def test_context_sentences_of_a_long_message_weigh_less() -> None:
    query = _index().normalise(
        "Satker kami baru terbentuk tahun ini. Bagaimana cara mengajukan UP?"
    )
    assert {"bentuk", "baru"} <= query.background and "up" not in query.background
    # One sentence, or no sentence that asks: nothing is background.
    assert not _index().normalise("satker baru, cara mengajukan UP?").background
    # A service named in the context is still the topic.
    assert "kkp" not in _index().normalise("Kami baru pakai KKP. Bagaimana caranya?").background


def test_an_entry_the_question_names_is_among_the_options() -> None:
    """The whole title ("uang persediaan") names the UP entry although another scores higher."""
    chosen, _ = faq.decide(_index(), "uang persediaan boleh dipakai utk belanja apa saja?", 0.55)
    assert chosen is not None
    assert "uang-persediaan" in {chosen.entry.id, *(e.id for e in chosen.alternatives)}


def test_a_service_name_holding_a_greeting_is_still_a_name() -> None:
    """'hai' is a greeting (a stop word), but 'HAI DJPb' is the consultation service."""
    chosen, _ = faq.decide(_index(), "apa itu hai djpb?", 0.55)
    assert chosen is not None and chosen.entry.id == "hai-djpb"


def test_staff_asking_for_money_is_about_fees_whatever_the_service() -> None:
    ranked = faq.search(_index(), "petugas minta uang waktu urus sp2d, boleh?", limit=3)
    assert ranked[0].entry.id == "layanan-gratis"
