"""What people in an LO group write, as operators and LOs of a KPPN really write it:
abbreviations (brp, gmn, udh, blm, sdh), typos, no question mark, "syarat2".

Written for the simulated week from how operators ask, not from the FAQ entries' wording.
Slots in braces ({spm}, {amount}, ...) are filled by the generator from the seed.
"""

from __future__ import annotations

# ---- FAQ-type questions: general, about a service, naming nothing of this satker --------------
# entry id -> phrasings. The entry is the ground truth: the one FAQ entry that answers it.
FAQ_QUESTIONS: dict[str, list[str]] = {
    "uang-persediaan": [
        "syarat2 pengajuan up",
        "brp besaran UP yg bisa diajukan satker",
        "gmn cara ngajuin UP awal tahun pak",
        "mohon info persyaratan pengajuan uang persediaan",
    ],
    "tambahan-up": [
        "kalau UP kurang bisa ajukan TUP? syaratnya apa aja",
        "tup hrs dipertanggungjawabkan brp lama ya pak",
        "cara ngajuin tambahan uang persediaan gmn",
    ],
    "ganti-up": [
        "gup bisa diajukan kapan aja pak",
        "syarat spm gup apa sj ya",
        "gup nihil itu apa ya bu",
    ],
    "spm-pengajuan": [
        "spm bisa dikirim sampe jam brp hari ini",
        "gmn cara kirim spm ke kppn skrg pak",
        "pengajuan spm skrg lewat aplikasi apa ya",
    ],
    "sp2d-non-gaji": [
        "brp lama sp2d terbit stlh spm diterima kppn",
        "sp2d belanja barang biasanya terbit brp jam ya pak",
    ],
    "spm-ditolak": [
        "kalau spm ditolak apa yg hrs dilakukan satker",
        "spm yg dikembalikan kppn perbaikannya gmn ya",
    ],
    "rekonsiliasi": [
        "rekon bulanan paling lambat tgl brp ya pak",
        "cara rekon di e-rekon gmn bu",
        "hasil rekonsiliasi dikirim lewat apa ya",
    ],
    "revisi-dipa": [
        "revisi dipa diajukan kemana ya pak",
        "brp lama proses revisi dipa di kanwil",
    ],
    "lpj-bendahara": [
        "LPJ bendahara paling lambat tgl brp disampaikan",
        "lpj bendahara skrg dikirim lewat aplikasi apa",
    ],
    "sakti-akses": [
        "lupa password sakti gmn resetnya pak",
        "cara nambah user baru di sakti gmn ya",
    ],
    "sertifikat-elektronik": [
        "cara perpanjang sertifikat elektronik ppspm gmn",
        "sertel kadaluarsa hrs ngapain ya pak",
    ],
    "kartu-kredit-pemerintah": [
        "batas penggunaan KKP brp persen dari UP",
        "kkp bisa dipake utk belanja apa aja pak",
    ],
    "data-supplier": [
        "cara daftar supplier baru di sakti gmn",
        "ganti rekening supplier gmn caranya bu",
    ],
    "data-kontrak": [
        "data kontrak paling lambat didaftarkan brp hari stlh ttd",
        "syarat pendaftaran data kontrak apa aja",
    ],
    "retur-sp2d": [
        "sp2d retur itu gmn penyelesaiannya pak",
        "kalo dana gagal transfer krn rekening salah gmn",
    ],
    "pengembalian-belanja": [
        "cara setor pengembalian belanja tahun berjalan gmn",
        "pengembalian belanja pake kode billing apa ya",
    ],
    "renkas-rpd": [
        "rpd harian wajib diinput kapan ya",
        "renkas hrs diupdate kapan aja pak",
    ],
    "jam-layanan": [
        "kppn buka jam brp pak",
        "layanan kppn hari jumat tutup jam brp ya",
    ],
    "layanan-gratis": [
        "ada biaya ga pak utk layanan di kppn",
        "apakah pengurusan sp2d dipungut biaya",
    ],
    "om-span": [
        "cara cek status sp2d di omspan gmn",
        "akun omspan satker gmn dapetnya pak",
    ],
    "ikpa": [
        "ikpa itu dihitung dari apa aja ya pak",
        "indikator ikpa apa aja bu",
    ],
    "akhir-tahun": [
        "batas akhir pengajuan spm akhir tahun kapan pak",
        "langkah2 akhir tahun anggaran apa aja ya",
    ],
    "belanja-pegawai": [
        "gaji susulan diajukan gmn ya pak",
        "syarat pengajuan uang makan pegawai apa aja",
    ],
    "rekening-satker": [
        "cara buka rekening bendahara baru gmn",
        "rekening satker hrs dapat persetujuan siapa ya",
    ],
    "pengaduan": [
        "kalau mau menyampaikan pengaduan layanan lewat mana ya pak",
    ],
}

# ---- specific cases: this satker's document, number, amount or error ---------------------------
# (question, the LO's answer). Answers are definitive, most in past tense.
CASES: list[tuple[str, str]] = [
    (
        "SPM kami no {spm} ditolak, alasannya apa ya pak",
        "SPM {spm} ditolak karena kode akun tidak sesuai DIPA, silakan diperbaiki lalu kirim "
        "ulang.",
    ),
    (
        "pak SPM GUP kami nomor {spm} sdh dikirim dari kemarin blm ada SP2D nya",
        "SPM GUP {spm} sudah kami proses, SP2D terbit siang ini.",
    ),
    (
        "user PPSPM kami di SAKTI muncul 'user tidak aktif', gmn ya pak",
        "User PPSPM sudah kami aktifkan kembali, silakan login ulang.",
    ),
    (
        "kenapa SPM kami ditolak? nomor {spm}",
        "SPM {spm} ditolak karena lampiran kontraknya belum diunggah. Sudah kami kembalikan, "
        "silakan dilengkapi.",
    ),
    (
        "SPM LS kontrak {spm} nilai Rp{amount} statusnya masih di KPPN, mohon dicek",
        "SPM {spm} sudah kami setujui tadi, SP2D terbit sore ini.",
    ),
    (
        "retur SP2D {sp2d} atas nama CV {cv}, rekening salah, gmn proses selanjutnya",
        "Retur SP2D {sp2d} sudah kami terima. Silakan kirim surat perbaikan rekening, nanti "
        "kami terbitkan SP2D pengganti.",
    ),
    (
        "sertifikat elektronik PPSPM kami expired tgl {day}, skrg ga bisa ttd SPM",
        "Permohonan sertel baru sudah kami teruskan, biasanya terbit 1 hari kerja.",
    ),
    (
        "rekon bulan {month} kami ditolak krn selisih Rp{amount}, mohon bantuannya",
        "Selisih Rp{amount} itu dari setoran yang belum dicatat di SAKTI. Sudah kami cek, "
        "silakan input koreksinya lalu kirim ulang.",
    ),
    (
        "muncul error 'Data supplier tidak ditemukan' pas input SPM LS, kode supplier {sup}",
        "Supplier {sup} belum disetujui KPPN. Sudah kami validasi barusan, silakan coba lagi.",
    ),
    (
        "SP2D no {sp2d} kemarin blm masuk ke rekening bendahara pak",
        "SP2D {sp2d} sudah kami cek, dananya sudah ditransfer pagi ini.",
    ),
    (
        "LPJ bendahara bulan {month} kami ga bisa dikirim, muncul 'saldo tidak sesuai'",
        "Saldo kas di LPJ {month} berbeda dengan rekening koran. Sudah kami cocokkan, silakan "
        "perbaiki saldo awal lalu kirim ulang.",
    ),
    (
        "tagihan KKP bulan ini Rp{amount} blm bisa dibayar, kode billing nya ga valid",
        "Kode billing tersebut sudah kedaluwarsa, silakan buat kode billing baru.",
    ),
    (
        "setoran pengembalian belanja NTPN {ntpn} salah akun, bisa dikoreksi?",
        "Koreksi NTPN {ntpn} sudah kami proses, cek lagi besok di MPN.",
    ),
    (
        "data kontrak {kontrak} kami ditolak, katanya tgl kontrak melewati dipa",
        "Data kontrak {kontrak} ditolak karena tanggal selesai melewati tahun anggaran. "
        "Silakan ubah jangka waktunya lalu daftarkan ulang.",
    ),
    (
        "SPM kami ditolak pak",
        "SPM Bapak/Ibu ditolak karena nilai potongan pajaknya tidak sesuai. Sudah kami beri "
        "catatan di SAKTI.",
    ),
    (
        "pak TUP kami Rp{amount} sdh lewat sebulan, blm sempat dipertanggungjawabkan, gmn ya",
        "Sudah kami cek, silakan segera ajukan GTUP, paling lambat minggu ini.",
    ),
    (
        "revisi dipa kami yg diajukan tgl {day} udh sampai mana ya pak",
        "Revisi DIPA satker Bapak/Ibu sudah disahkan Kanwil kemarin.",
    ),
    (
        "sp2d gaji induk bulan ini utk satker {kode} blm terbit, padahal spm udh dari tgl {day}",
        "SP2D gaji induk satker {kode} sudah terbit pagi ini.",
    ),
    (
        "PPK kami ganti, user lama blm dinonaktifkan, gmn prosesnya utk satker {kode}",
        "User PPK lama sudah kami nonaktifkan, user baru bisa didaftarkan hari ini.",
    ),
    (
        "rekening bendahara pengeluaran kami no {rek} diblokir bank, SP2D {sp2d} gagal masuk",
        "Sudah kami koordinasikan dengan bank, rekening sudah aktif kembali dan SP2D {sp2d} "
        "sudah kami terbitkan ulang.",
    ),
    (
        "SPM {spm} sdh 3 hari statusnya 'diproses' terus pak",
        "SPM {spm} tertahan karena sertel PPSPM belum terverifikasi. Sudah kami selesaikan, "
        "SP2D terbit hari ini.",
    ),
    (
        "nilai ikpa satker {kode} bulan {month} turun jauh, kenapa ya pak",
        "IKPA bulan {month} turun karena deviasi RPD dan keterlambatan LPJ. Sudah kami kirim "
        "rinciannya ke email satker.",
    ),
]

# What the LO says when a FAQ-type question reaches them (the bot did not answer it).
FAQ_ANSWERS = [
    "Untuk itu sudah ada ketentuannya Pak/Bu: silakan lihat di SAKTI menu panduan, dan bila "
    "masih ragu hubungi kami lagi.",
    "Jawabannya: bisa diajukan kapan saja pada jam layanan, syaratnya lengkap dan benar di SAKTI.",
    "Sudah kami jelaskan di grup minggu lalu Pak/Bu: batasnya tanggal 10 bulan berikutnya.",
    "Prosesnya paling lama 1 hari kerja setelah berkas lengkap diterima.",
]

# ---- the LO's words ---------------------------------------------------------------------------
HOLDING = [
    "kami cek dulu ya pak",
    "sedang kami proses bu",
    "baik pak, akan kami tanyakan ke seksi bank dulu",
    "mohon ditunggu ya bu, sedang kami koordinasikan",
    "siap pak, kami cek dulu datanya",
]
LO_CHAT = [
    "sama-sama pak",
    "sama2 bu",
    "siap bu",
    "selamat pagi rekan2 satker, hari ini layanan sampai jam 16.00 ya",
    "rekan2 mohon SPM akhir bulan jangan menumpuk di hari terakhir ya",
]
ANSWER_OPENERS = ["", "Baik Pak, ", "Bu, ", "Selamat siang, ", ""]

# ---- the operators' other words ----------------------------------------------------------------
CHAT = [
    "wah macet banget hari ini",
    "mohon maaf salah kirim",
    "selamat pagi bapak ibu",
    "hujan deres di sini, bendahara blm bisa ke kantor",
    "siang semua",
    "izin share bapak ibu, besok kantor kami libur internal",
    "mantap",
    "oke",
    "td sinyal jelek, maaf pesan dobel",
    "selamat sore rekan2",
]
ASIDE = [
    "pak budi, laptop bendahara udah dibalikin?",
    "bu rina, berkas LPJ sudah ditandatangani kasubag belum",
    "mas eko nanti siang jadi ke kppn?",
    "pak joko, kunci lemari arsip dimana ya",
    "bu ani, sdh makan siang blm",
]
THANKS = [
    "terima kasih pak",
    "mksh bu",
    "siap pak, terima kasih infonya",
    "oke pak noted, terima kasih",
    "baik bu terima kasih banyak 🙏",
]
DETAILS = [
    "nomor SPM nya {spm} pak",
    "nilainya Rp{amount} bu",
    "itu utk satker {kode} pak",
    "sdh kami coba login ulang tetap sama pak",
    "tanggal pengajuannya {day} pak",
]
PHOTO_CAPTIONS = ["ini pak", "ini screenshotnya bu", "ini pak tampilannya"]
CLARIFY = [
    "maksud saya bukan itu pak",
    "bukan itu maksud saya bu, kasus kami beda",
    "pak, itu sdh kami baca, masalah kami lain",
]
STATUS = [
    "pertanyaan saya kemarin sudah dijawab belum?",
    "pak, pertanyaan saya kemarin sudah dijawab belum ya",
    "min, tiket saya yg kemarin gmn progresnya",
    "lupa nomor tiket pak, yg kemarin saya tanyakan sdh ada jawaban?",
]
COMPLAINT = [
    "saya mau komplain, pertanyaan kami dari kemarin belum dijawab",
    "mohon maaf pak, kami mau komplain, sudah 2 hari tidak ada jawaban di grup ini",
]

# Words operators shorten when typing fast on a phone.
SHORTHAND = {
    "sudah": "udh",
    "belum": "blm",
    "bagaimana": "gmn",
    "berapa": "brp",
    "yang": "yg",
    "untuk": "utk",
    "tanggal": "tgl",
    "karena": "krn",
    "terima kasih": "trmksh",
}
KL_NAMES = [
    "Kementerian Agama",
    "Kementerian Kesehatan",
    "Polri",
    "TNI AD",
    "Kemendikdasmen",
    "Kementerian PU",
    "BPS",
    "Kementerian Hukum",
    "Kejaksaan",
    "Mahkamah Agung",
    "KPU",
    "Bawaslu",
    "BNN",
    "Kementerian Pertanian",
    "Kementerian Keuangan",
    "BMKG",
]
FIRST_NAMES = [
    "Budi", "Rina", "Eko", "Joko", "Ani", "Siti", "Agus", "Dian", "Hendro", "Wati", "Yusuf",
    "Lina", "Rudi", "Tini", "Fajar", "Maya", "Iwan", "Nur", "Bambang", "Sri", "Dedi", "Ayu",
    "Hadi", "Ratna", "Slamet", "Indah", "Teguh", "Putri", "Wahyu", "Desi", "Arif", "Yanti",
    "Rizal", "Mega", "Sugeng", "Tuti", "Anton", "Lestari", "Heru", "Nia",
]  # fmt: skip
LO_NAMES = ["Sari", "Dewi", "Andi", "Rahmat", "Wulan"]
