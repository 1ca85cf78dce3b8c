"""The conversation reading (bot/conversation/reading.py): tables of real phrasings from
the simulated office week and the groups' history, and properties over any text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.conversation.holding import is_holding
from bot.conversation.policy import Route, route
from bot.conversation.reading import Kind, is_specific, read

MEMBER = [
    # general questions: the FAQ may answer
    ("syarat2 pengajuan up", Kind.QUESTION),
    ("bagaimana cara mengajukan TUP?", Kind.QUESTION),
    ("Kalau SPM kami ditolak, apa yang harus dilakukan?", Kind.QUESTION),
    ("bagaimana cara agar SPM kami cepat diproses?", Kind.QUESTION),
    ("jam operasional front office kppn", Kind.QUESTION),
    ("gmn cara daftar supplier baru di sakti", Kind.QUESTION),
    ("bagaimana cara menyampaikan pengaduan?", Kind.QUESTION),
    ("ada biaya ga pak utk layanan di kppn", Kind.QUESTION),  # the tag inside
    ("boleh gak SPM LS dikirim sore hari", Kind.QUESTION),
    ("kalau mau menyampaikan pengaduan layanan lewat amna ya pak", Kind.QUESTION),  # "mana"
    ("revisi POK cukup di satker atau harus ke kanwil?", Kind.QUESTION),  # a choice
    ("bayar vendor di atas 50 juta wajib LS ya pak", Kind.QUESTION),  # put back to confirm
    ("boleh tidak memberi uang terima kasih ke petugas?", Kind.QUESTION),  # asks the rule
    (
        "Mohon informasi saluran pengaduan resmi selain ke kantor, apakah ada nomor call center?",
        Kind.QUESTION,
    ),  # fmt: skip
    # this satker's own case: the LO answers
    ("user PPSPM kami muncul 'user tidak aktif' gmn ya", Kind.CASE),
    ("kenapa SPM kami ditolak?", Kind.CASE),
    ("SP2D nomor 261234500012 belum masuk rekening", Kind.CASE),
    ("ADK SPM kami nomor 00512 ga kebaca di kppn", Kind.CASE),
    ("di e-rekon satker kami muncul selisih Rp 3.400.000", Kind.CASE),
    ("Pak, SPM GUP kami kapan diproses ya?", Kind.CASE),
    ("pak sp2d honor narsum kami udah terbit blm ya", Kind.CASE),
    ("dana kami Rp 15.000.000 belum masuk rekening bendahara, kenapa ya", Kind.CASE),
    # the asker's own tickets
    ("pertanyaan saya kemarin sudah dijawab belum?", Kind.STATUS),
    ("lupa nomor tiket saya pak", Kind.STATUS),
    ("tiket sy gmn?", Kind.STATUS),
    ("pertanyaan kami soal revisi blm dibalas", Kind.STATUS),
    ("tiket yang saya ajukan kemarin bagaimana progresnya", Kind.STATUS),
    ("yg sy tanyakan soal retur kmrn udh diteruskan blm", Kind.STATUS),
    ("yg kemarin sy tanyakan udh ada jawaban?", Kind.STATUS),
    ("bagaimana kelanjutan masalah yang kami sampaikan kemarin?", Kind.STATUS),
    ("menindaklanjuti pesan saya tgl 2, apakah sudah ada kabar?", Kind.STATUS),
    # complaints
    ("saya mau komplain, pertanyaan kami dari kemarin belum dijawab", Kind.COMPLAINT),
    ("saya kecewa dengan pelayanan loket tadi pagi", Kind.COMPLAINT),
    ("LO kami susah dihubungi pak, wa tidak dibalas", Kind.COMPLAINT),
    ("kok diminta uang terima kasih waktu ambil sp2d", Kind.COMPLAINT),
    ("pelayanan di loket lambat sekali, sy sampai nunggu 3 jam", Kind.COMPLAINT),
    ("LO-nya ditelepon tidak pernah diangkat, di chat ga dibales", Kind.COMPLAINT),
    ("petugas di loket membentak bendahara kami tadi", Kind.COMPLAINT),
    ("ada yg minta uang rokok supaya cepat", Kind.COMPLAINT),
    ("info dari petugas ternyata salah, kami dirugikan", Kind.COMPLAINT),
    ("petugasnya galak banget tadi pagi", Kind.COMPLAINT),  # no complaint word at all
    ("admin grup ini cuek, pertanyaan tdk pernah dijawab", Kind.COMPLAINT),
    ("LO kami sudah lama tidak pernah aktif di grup ini", Kind.COMPLAINT),
    ("petugasnya minta ditraktir makan siang setelah SP2D kami terbit", Kind.COMPLAINT),
    ("tiket no 17 sudah sampai mana ya bu", Kind.STATUS),
    ("macet parah di depan pasar, kayaknya telat sampai KPPN", Kind.CHAT),  # the traffic
    ("kppn itu jam berapa buka", Kind.QUESTION),  # the service named, nothing judged
    ("kalau mau komplain lewat mana", Kind.QUESTION),  # asks for the channels
    ("kenapa lama sekali SP2D kami terbit?", Kind.CASE),  # impatience about its own SP2D
    # the FAQ answer missed
    ("maksud saya bukan itu pak", Kind.CLARIFY),
    # details
    ("ini pak", Kind.DETAIL),
    ("kode satker 123456", Kind.DETAIL),
    # the group's own talk
    ("wah macet banget hari ini", Kind.CHAT),
    ("hujan deres di sini, bendahara blm bisa ke kantor", Kind.CHAT),
    ("mohon maaf salah kirim", Kind.CHAT),
    ("mbak Rina, SPM yg tadi udah kamu kirim?", Kind.CHAT),  # one member to another
    ("izin share foto sosialisasi SAKTI kemarin", Kind.CHAT),
    ("terima kasih pak", Kind.CHAT),
    ("masalah saya sudah selesai pak, terima kasih banyak", Kind.CHAT),
    ("Selamat pagi bapak ibu semua", Kind.CHAT),
    ("SPM kami sudah terkirim ya bu, makasih", Kind.STATEMENT),
    ("LPJ bulan November sudah diupload", Kind.STATEMENT),
    # Issue 17, fourth round (from the held-out sets 18-19, reworded)
    (
        "Fwd: mohon seluruh satker mengisi survei kepuasan layanan KPPN paling lambat akhir bulan",
        Kind.CHAT,
    ),  # noqa: E501
    ("Rekening penerima a.n. Budi Santoso retur, perlu surat apa saja?", Kind.CASE),
    ("yang sa tanya tadi siang su ada yang tangani kah?", Kind.STATUS),
    ("Saya sudah tanya kemarin di grup ini, sudah ada progres belum?", Kind.STATUS),
    ("yg saya tanyakan kemarin sdh ada jawaban blm bu", Kind.STATUS),
    # Issue 17, fourth round (from the held-out sets 20-21, reworded)
    ("hujan dari subuh ga berhenti2 ya di sini?", Kind.CHAT),  # "berhenti2" is no code
    ("langkah2 akhir tahun anggaran apa saja yg harus disiapkan satker?", Kind.QUESTION),
    ("Akhirnya LPJ beres semua, lega rasanya", Kind.CHAT),
    ("pertanyaan awak yang kemarin itu udah dibalas belum?", Kind.STATUS),
    ("Mohon izin menanyakan perkembangan tiket nomor HAI-26120001", Kind.STATUS),
    ("Monitoring SP2D satker 652001 di OM-SPAN kosong semua sejak pagi", Kind.CASE),
    # ... and from the held-out sets 22-23, reworded
    ("Siap, sudah terjawab, tiketnya boleh ditutup pak", Kind.CHAT),
    ("Selamat datang Bu Rina, bendahara baru di satker kami", Kind.CHAT),
    ("saya kemarin sudah tanya soal retur tapi belum ada respon, apa masih diproses?", Kind.STATUS),
    ("sa tanya dari kemarin, su dibalas ko belum?", Kind.STATUS),
    # ... and from the held-out sets 26-27, reworded
    ("Besok saya izin tidak masuk, urusan GUP mohon dibantu Mas Andi dulu", Kind.CHAT),
    ("Mas, pitakonku dinten Senin piye? wis ono jawaban durung?", Kind.STATUS),
    ("Punten, patarosan abdi minggu kamari parantos dijawab teu?", Kind.STATUS),
    ("FYI dari kanwil: batas upload LPJ bulan ini diperpanjang sampai tanggal 12", Kind.CHAT),
    # ... and from the held-out sets 30-31, reworded
    ("uang makan pegawai an. Yohanes Siregar kurang dibayar 3 bulan", Kind.CASE),
    ("SPM kami untuk belanja modal printer sudah ditolak 3 kali, alasannya beda2 terus", Kind.CASE),
    # ... and from the held-out set 32 and the sets' chat, reworded: banter and notes to all
    ("wkwk SP2D ku cair terus sekarang, KPPN lagi baik hati 😂", Kind.CHAT),
    ("ciee yang LPJ nya tepat waktu bulan ini", Kind.CHAT),
    ("Catatan buat semua: sebelum kirim SPM pastikan sertel belum expired", Kind.CHAT),
    ("Reminder ya rekan-rekan, rekon bulanan jangan mepet deadline", Kind.CHAT),
    ("Pesan kepala satker: tagihan bulan ini masuk sebelum tanggal 20", Kind.CHAT),
    ("akhirnya SP2D honor cair juga, alhamdulillah", Kind.CHAT),
    ("Info aja teman2, besok jalan depan KPPN ditutup, lewat belakang", Kind.CHAT),
    ("Kaka Yosi, dong su kirim data gaji ka?", Kind.CHAT),
    ("Kaka, syarat GUP tu apa saja kah", Kind.QUESTION),  # a title alone asks the LO
    # ... and from the held-out sets 34-35, reworded
    ("sertel PPSPM sa su expired kemarin, bagaimana?", Kind.CASE),  # Papua's "sa": mine
    ("user SAKTI ambo terkunci sejak pagi", Kind.CASE),  # Minang's "ambo"
    ("uang makan bu Marlina belum masuk bulan ini", Kind.CASE),  # a person of the satker
    ("Sa mau tanya, akun OM-SPAN berlaku sampai kapan?", Kind.QUESTION),  # the asker only
    ("tiket kereta ke Medan mahal sekali sekarang", Kind.STATEMENT),  # a remark, no search
    ("Kami menyampaikan ketidakpuasan atas lamanya layanan retur", Kind.COMPLAINT),
    # ... and from the held-out sets 36-37, reworded
    ("wkwk SPM ditolak lagi, sa pu kepala pusing", Kind.CHAT),  # own words, but a joke
    ("sp2d honor kami diretur, dananya ke mana skrg", Kind.CASE),
    ("ambo lah batanyo kapatang, alah ado jawabannyo?", Kind.STATUS),
    # ... and from the held-out sets 38-39 (short, many typos), reworded
    ("rekon sept kmi selisih di akun 521211", Kind.CASE),  # its own, by its number
    ("tagihan kkp kmi kedebet dua kali rp 1,7jt", Kind.CASE),
    ("rekening supplier an. Hj. Rosmawati salah nomor", Kind.CASE),
    ("revisi pok kmi di kanwil udh 10 hari blm sls", Kind.CASE),
    ("rek bendahara kmi ditutup sepihak sama bank", Kind.CASE),
    # ... and from the held-out sets 40-41 (young operators' slang), reworded
    ("user sakti sy kekunci abis salah password", Kind.CASE),
    ("nilai ikpa satker kita anjlok bulan ini, knp ya", Kind.CASE),
    ("uang makan kami bulan lalu kurang bayar, tolong cek", Kind.CASE),
    ("kode MAP setoran kami salah, koreksinya ke mana?", Kind.QUESTION),  # a rule's question
    # something now in order, its number named: reported, nothing wrong
    ("Kode akun 525112 sudah sesuai DIPA revisi terakhir pak", Kind.STATEMENT),
    # a laugh with this satker's own document is still its case
    ("ditolak lagi 😂 SPM 00418 kami, alasannya NPWP supplier tidak valid", Kind.CASE),
]


def test_a_short_report_with_its_number_is_reported_a_bare_number_is_not() -> None:
    assert read("ditolak lagi pak, yg nomor 00341").reported
    assert read("kontrak no 15/SPK/PPK/2026 blm di approve").reported  # a contract's number
    assert not read("no spm 00341").reported
    assert not read("ditolak lagi pak, yg nomor 00341", has_media=True).reported


def test_a_title_of_the_regions_speaks_to_a_colleague() -> None:
    assert read("Uda Fikri, lah dapek surat tugasnyo?").addressed_to == "fikri"
    assert read("pace Yakobus, syarat GUP tu apa sa? sa lupa").addressed_to == "yakobus"
    assert read("Kaka Yosi, dong su kirim data gaji ka?").addressed_to == "yosi"
    assert read("Cak Imron, LPJ bendahara penerimaan sampean yang garap?").addressed_to == "imron"


def test_bapak_ibu_speaks_to_everyone_not_to_a_colleague() -> None:
    reading = read("Bapak ibu, jadwal penutupan layanan KPPN akhir tahun diumumkan kapan?")
    assert reading.addressed_to is None and reading.kind is Kind.QUESTION


@pytest.mark.parametrize(("text", "kind"), MEMBER)
def test_a_members_message_reads_as_what_it_is(text: str, kind: Kind) -> None:
    assert read(text).kind is kind


STAFF = [
    ("SPM GUP sudah kami proses, SP2D terbit siang ini.", Kind.ANSWER),
    ("Sudah kami cek, datanya benar pak", Kind.ANSWER),
    ("Silakan ajukan ke Kanwil melalui aplikasi, lampirkan ADK dan surat usulan.", Kind.ANSWER),
    ("kami cek dulu ya pak", Kind.HOLDING),
    ("Sudah kami terima, mohon ditunggu", Kind.HOLDING),
    ("sedang kami proses", Kind.HOLDING),
    ("akan kami tanyakan ke seksi bank", Kind.HOLDING),
    ("kode satkernya berapa pak?", Kind.HOLDING),  # asked back: not answered yet
    ("siap", Kind.CHAT),
    ("rekan2 mohon SPM akhir bulan jangan menumpuk di hari terakhir ya", Kind.CHAT),
    ("Selamat pagi bapak ibu", Kind.CHAT),
]


@pytest.mark.parametrize(("text", "kind"), STAFF)
def test_a_staff_message_reads_as_answer_holding_or_talk(text: str, kind: Kind) -> None:
    assert read(text, from_staff=True).kind is kind


def test_pointers_are_read_from_the_text() -> None:
    r = read("Pak Andi, tiket #2026-0018 dan 2026-0019 sudah kami jawab ya")
    assert r.ticket_numbers == ("2026-0018", "2026-0019")
    assert r.addressed_to == "andi"
    assert read("pak LO, syarat TUP apa saja?").addressed_to is None  # a role, not a name
    assert read("pak mohon info syarat tup").addressed_to is None  # not a name either
    assert read("mas eko nanti siang jadi ke kppn?").addressed_to == "eko"  # short: no comma
    # A capitalised name after the title is a person, however long the message.
    long_aside = "Pak Joko tadi nanya kunci lemari arsip dibawa siapa? jangan lupa dibalikin ya"
    assert read(long_aside).addressed_to == "joko"
    assert read("pak mohon info syarat TUP apa saja ya bapak ibu sekalian").addressed_to is None
    assert (
        read("Pak/Bu Putri, SPM Bapak/Ibu ditolak karena potongan pajak.").addressed_to == "putri"
    )
    assert read("syarat GUP atau TUP?").names_a_choice
    assert not read("syarat TUP apa saja?").names_a_choice


def test_off_topic_questions_are_not_tickets() -> None:
    reading = read("bagaimana cara membuat paspor?")
    # The rules read an off-topic question, the learned reader chat: silence either way.
    assert reading.kind in (Kind.QUESTION, Kind.CHAT) and not reading.on_topic
    assert route(reading, None) is Route.SILENCE
    assert route(read("syarat2 pengajuan up"), None) is Route.TICKET


def test_a_case_is_a_ticket_whatever_the_faq_says() -> None:
    assert route(read("kenapa SPM kami ditolak?"), None) is Route.TICKET


# ---- properties ---------------------------------------------------------------------------
@given(st.text(max_size=400))
def test_any_text_reads_without_error(text: str) -> None:
    for staff in (False, True):
        r = read(text, from_staff=staff)
        assert isinstance(r.kind, Kind)
        assert all(n[:2] == "20" for n in r.ticket_numbers)


@given(st.sampled_from(["ini pak", "", "berikut screenshotnya", "ss nya bu"]))
def test_a_photo_with_little_or_no_caption_is_a_detail(caption: str) -> None:
    assert read(caption, has_media=True).kind is Kind.DETAIL


_DONE_VERBS = st.sampled_from(["proses", "kirim", "cek", "verifikasi", "terbitkan", "validasi"])


@given(st.sampled_from(["sudah", "telah", "udah", "sdh"]), _DONE_VERBS)
def test_past_tense_without_anything_to_come_is_never_holding(marker: str, verb: str) -> None:
    """ "sudah kami proses" holds "kami proses": still an answer."""
    assert not is_holding(f"SPM Bapak {marker} kami {verb}, silakan dicek di OM-SPAN.")


@given(st.sampled_from(["sedang", "akan", "masih"]), st.sampled_from(["proses", "cek", "periksa"]))
def test_work_still_going_on_is_holding(marker: str, verb: str) -> None:
    text = f"{marker} kami {verb} dulu ya pak"
    assert is_holding(text)


@given(st.from_regex(r"[0-9]{5,12}", fullmatch=True))
def test_a_document_number_makes_a_question_specific(number: str) -> None:
    assert is_specific(f"SP2D nomor {number} kapan masuk?")
