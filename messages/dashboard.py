"""The dashboard's Indonesian text: the page, each view as an HTML fragment, the refusals.

Every value from the database or a user is escaped here (``_e``, attributes included);
dates and numbers are formatted with babel (messages.format). Fragments use classes only
(no inline styles: the page's CSP forbids them); the page maps classes to Telegram's theme.
"""

from __future__ import annotations

from datetime import datetime
from html import escape
from typing import Any
from zoneinfo import ZoneInfo

from messages import charts
from messages import rekap as rekap_msg
from messages.common import ROLE_NAMES
from messages.format import (
    excerpt,
    fmt_date,
    fmt_hours,
    fmt_number,
    fmt_percent,
    fmt_short_datetime,
)
from messages.kanwil import zone_label

VIEW_LABELS = {
    "tiket": "Tiket terbuka",
    "kinerja": "Kinerja",
    "iku": "IKU",
    "pengaduan": "Pengaduan",
    "tahap": "Tahap",
    "siaran": "Siaran",
    "haicso": "HAI CSO",
    "kanwil": "Kanwil",
}
PERIODS = (
    ("", "Bulan ini"),
    ("minggu ini", "Minggu ini"),
    ("bulan lalu", "Bulan lalu"),
    ("triwulan ini", "Triwulan ini"),
    ("triwulan lalu", "Triwulan lalu"),
)
DELIVERY_LABELS = {
    "sent": "terkirim",
    "pending": "menunggu",
    "failed": "gagal",
    "skipped": "dilewati",
}


def _e(value: object) -> str:
    return escape(str(value), quote=True)


def _pct(part: int, whole: int) -> str:
    return fmt_percent(part / whole) if whole else "-"


def _share(line: Any) -> str:
    """The on-time share as /rekap states it (bot.kpi.on_time_share via the recap's line)."""
    share = line.on_time_share
    return fmt_percent(share) if share is not None else "-"


def _table(head: list[str], rows: list[list[str]], caption: str, num_from: int = 1) -> str:
    """A table whose cells are already escaped; columns from ``num_from`` are figures."""
    ths = "".join(
        f'<th scope="col"{" class=n" if i >= num_from else ""}>{_e(h)}</th>'
        for i, h in enumerate(head)
    )
    body = "".join(
        "<tr>"
        + "".join(f"<td{' class=n' if i >= num_from else ''}>{c}</td>" for i, c in enumerate(r))
        + "</tr>"
        for r in rows
    )
    if not rows:
        body = f'<tr><td colspan="{len(head)}" class="empty">Tidak ada data.</td></tr>'
    return (
        f'<div class="scroll"><table><caption>{_e(caption)}</caption><thead><tr>{ths}</tr>'
        f"</thead><tbody>{body}</tbody></table></div>"
    )


def _cards(items: list[tuple[str, str, str]]) -> str:
    """Big figures: (label, value, extra class)."""
    return (
        '<div class="cards">'
        + "".join(
            f'<div class="card {cls}"><div class="v">{value}</div><div class="k">{_e(label)}'
            "</div></div>"
            for label, value, cls in items
        )
        + "</div>"
    )


def _head(title: str, sub: str) -> str:
    return f'<h2>{_e(title)}</h2><p class="sub">{sub}</p>'


# ---- page and refusals -------------------------------------------------------------------
def unauthorized() -> str:
    return (
        "Sesi dasbor tidak sah atau sudah kedaluwarsa. Mohon tutup halaman ini dan buka "
        "kembali melalui tombol 📊 Dasbor di chat pribadi dengan bot."
    )


def refused() -> str:
    return (
        "Mohon maaf, Bapak/Ibu. Dasbor hanya tersedia bagi petugas KPPN (LO, CSO, Kepala "
        "Seksi, Kepala Kantor, dan admin). Untuk bertanya, silakan gunakan grup LO Bapak/Ibu. "
        "Terima kasih."
    )


def view_refused() -> str:
    return "Mohon maaf, tampilan ini tidak tersedia untuk peran Bapak/Ibu."


def bad_period() -> str:
    return (
        "Periode belum sesuai. Contoh: bulan ini, triwulan ini, 2026-11, 2026-Q4, "
        "2026-11-01..2026-11-15."
    )


def export_sent(label: str) -> str:
    return f"Berkas Excel rekap {label} sudah kami kirim ke chat pribadi Bapak/Ibu dengan bot."


def export_refused() -> str:
    return "Mohon maaf, berkas Excel rekap tiket tidak tersedia untuk peran Bapak/Ibu."


def export_failed() -> str:
    return (
        "Mohon maaf, berkas belum dapat dikirim. Pastikan Bapak/Ibu sudah memulai chat "
        "pribadi dengan bot, lalu coba lagi."
    )


def button_label() -> str:
    return "📊 Dasbor"


def button_hint() -> str:
    return "Buka dasbor layanan (tiket, kinerja, IKU) dengan tombol di bawah ini."


def page(office: str) -> str:
    """The shell; the script fills it after checking the launch data with the server."""
    options = "".join(f'<option value="{_e(v)}">{_e(label)}</option>' for v, label in PERIODS)
    return f"""<!doctype html>
<html lang="id"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<link rel="icon" href="data:,">
<title>Dasbor {_e(office)}</title>
<link rel="stylesheet" href="static/dasbor.css">
<script src="static/dasbor.js" defer></script>
</head><body>
<header><h1>Dasbor {_e(office)}</h1><p id="who" class="sub"></p></header>
<nav id="tabs" aria-label="Tampilan"></nav>
<form id="filters" hidden>
<label>Periode <select id="f-period">{options}</select></label>
<label id="l-lo" hidden>LO <select id="f-lo"><option value="">Semua LO</option></select></label>
<label id="l-satker" hidden>Satker <input id="f-satker" inputmode="numeric" maxlength="6"
 pattern="[0-9]{{6}}" placeholder="kode 6 digit" list="satker-list"></label>
<datalist id="satker-list"></datalist>
<button type="button" id="export">Kirim Excel</button>
</form>
<main id="view" aria-live="polite"><p class="sub">Memuat…</p></main>
<p id="note" class="note" role="status"></p>
</body></html>"""


# ---- views -------------------------------------------------------------------------------
def _time_left(hours: float | None) -> tuple[str, str]:
    if hours is None:
        return "terlambat lebih dari 2 minggu", "late"
    if hours >= 0:
        return f"sisa {fmt_hours(hours)}", ""
    return f"terlambat {fmt_hours(-hours)}", "late"


def tickets(v: Any, tz: ZoneInfo) -> str:
    cards = _cards(
        [
            ("tiket terbuka", fmt_number(v.total), ""),
            ("melewati batas", fmt_number(v.late), "late" if v.late else ""),
            ("dieskalasi", fmt_number(v.escalated), "late" if v.escalated else ""),
        ]
    )
    per_lo = _table(
        ["LO", "Terbuka", "Terlambat", "Eskalasi"],
        [
            [
                _e(x.name),
                fmt_number(x.open),
                f'<span class="{"late" if x.late else ""}">{fmt_number(x.late)}</span>',
                fmt_number(x.escalated),
            ]
            for x in v.per_lo
        ],
        "Tiket terbuka per LO",
    )
    rows = []
    for o in v.tickets:
        left, cls = _time_left(o.hours_left)
        flag = " · dieskalasi" if o.escalated else ""
        rows.append(
            [
                f"<b>{_e(o.ticket.number)}</b><br><small>{_e(o.group_title)}"
                f"{' · ' + _e(o.ticket.kode_satker) if o.ticket.kode_satker else ''}</small>",
                _e(o.lo_name),
                f'<span class="{cls}">{_e(left)}{flag}</span><br>'
                f"<small>batas {_e(fmt_short_datetime(o.ticket.due_at, tz))}</small>",
            ]
        )
    shown = (
        f"{fmt_number(len(v.tickets))} dari {fmt_number(v.total)} tiket, batas waktu terdekat dulu"
    )
    listing = _table(["Tiket", "LO", "Waktu kerja"], rows, shown, num_from=9)
    sub = f"Per {_e(fmt_short_datetime(v.now, tz))} · batas 2 hari kerja (jam kerja 08.00–16.00)"
    return _head("Tiket terbuka", sub) + cards + per_lo + listing


def _period_sub(recap: Any, tz: ZoneInfo) -> str:
    scope = "seluruh kantor" if recap.office_wide else "grup yang Bapak/Ibu tangani"
    filtered = ""
    if recap.scope is not None and recap.scope.kode_satker:
        filtered = f" · satker {_e(recap.scope.kode_satker)}"
    return (
        f"{_e(recap.period.label)} · {scope}{filtered} · per "
        f"{_e(fmt_short_datetime(recap.generated_at, tz))}"
    )


def _bar_share(bar: Any) -> str:
    share = bar.on_time_share
    return fmt_percent(share) if share is not None else "-"


def performance(pv: Any, tz: ZoneInfo) -> str:
    r, t = pv.recap, pv.recap.total
    cards = _cards(
        [
            ("diterima", fmt_number(t.received), ""),
            ("dijawab", fmt_number(t.answered), ""),
            ("tepat waktu (dari yang dapat dinilai)", _share(t), ""),
            ("belum dijawab & terlambat", fmt_number(t.open_late), "late" if t.open_late else ""),
        ]
    )
    median = (
        f"Waktu jawab (jam kerja): median {_e(fmt_hours(r.median_hours))}, persentil 90 "
        f"{_e(fmt_hours(r.p90_hours or 0))}."
        if r.median_hours is not None
        else "Belum ada tiket yang dijawab pada periode ini."
    )
    # The bars of /rekap's chart: one on-time rule (answered on time out of the tickets
    # that can be judged), labels of the working days each bar covers.
    labels = [b.label for b in pv.weeks]
    shares = [100 * b.on_time_share if b.on_time_share is not None else None for b in pv.weeks]
    desc = "; ".join(
        f"{b.label}: {b.received} diterima, {_bar_share(b)} tepat waktu" for b in pv.weeks
    )
    weekly_svg = charts.weekly(
        "Tiket dan persentase tepat waktu",
        desc or "belum ada tiket",
        labels,
        [b.received for b in pv.weeks],
        shares,
    )
    week_table = _table(
        ["Hari kerja / minggu", "Diterima", "Dijawab", "Tepat waktu", "% tepat waktu"],
        [
            [
                _e(b.label),
                fmt_number(b.received),
                fmt_number(b.answered),
                fmt_number(b.on_time),
                _bar_share(b),
            ]
            for b in pv.weeks
        ],
        "Per hari kerja atau minggu",
    )
    norm = pv.sla_hours
    bucket_labels = [_bucket(lo, hi) for (lo, hi), _ in pv.waits]
    late_from = next((i for i, ((lo, _), _) in enumerate(pv.waits) if lo >= norm), len(pv.waits))
    counts = [n for _, n in pv.waits]
    dist_svg = charts.distribution(
        f"Sebaran waktu jawab; garis: batas {fmt_number(norm)} jam kerja (2 hari kerja)",
        "; ".join(f"{lab}: {n} tiket" for lab, n in zip(bucket_labels, counts, strict=True)),
        bucket_labels,
        counts,
        late_from,
    )
    dist_table = _table(
        ["Waktu jawab (jam kerja)", "Tiket"],
        [[_e(lab), fmt_number(n)] for lab, n in zip(bucket_labels, counts, strict=True)],
        "Sebaran waktu jawab",
    )
    lines = _lines("Per petugas (LO/CSO pemegang tiket)", "Petugas", r.per_lo) + _lines(
        "Per satker", "Satker", r.per_satker
    )
    return (
        _head("Kinerja layanan", _period_sub(r, tz))
        + cards
        + f'<p class="sub">{median}</p>'
        + f'<figure>{weekly_svg}<figcaption><span class="key bar"></span> diterima '
        '<span class="key line"></span> % dijawab tepat waktu</figcaption></figure>'
        + week_table
        + f"<figure>{dist_svg}<figcaption>Batang merah: melewati 2 hari kerja</figcaption>"
        "</figure>" + dist_table + lines + f'<p class="sub">{rekap_msg.ON_TIME_NOTE}</p>'
    )


def _bucket(lo: float, hi: float | None) -> str:
    return f"> {fmt_number(lo)} jam" if hi is None else f"{fmt_number(lo)}–{fmt_number(hi)} jam"


def _lines(caption: str, first: str, lines: list[Any]) -> str:
    return _table(
        [first, "Diterima", "Dijawab", "Tepat waktu", "Terbuka", "Terlambat"],
        [
            [
                _e(x.name) + (f"<br><small>{_e(x.detail)}</small>" if x.detail else ""),
                fmt_number(x.received),
                fmt_number(x.answered),
                _share(x),
                fmt_number(x.open),
                fmt_number(x.open_late),
            ]
            for x in lines
        ],
        caption,
    )


def _kpi_row(name: str, k: Any) -> list[str]:
    iku = fmt_number(k.weighted, 2) if k.judged else "-"
    cls = "" if not k.judged else ("ok" if k.meets_target else "late")
    return [
        _e(name),
        f"{fmt_number(k.tickets)} / {fmt_number(k.minimum)}",
        fmt_number(k.quantity_index, 1),
        f"{fmt_number(k.on_time)} / {fmt_number(k.judged)}" if k.judged else "belum dinilai",
        fmt_number(k.on_time_index, 1) if k.judged else "-",
        f'<b class="{cls}">{iku}</b>',
    ]


def kpi(pv: Any, tz: ZoneInfo) -> str:
    r = pv.recap
    rows = [_kpi_row("Kantor", r.kpi_office)] if r.kpi_office is not None else []
    rows += [_kpi_row(f"CSO {name}", k) for name, k in r.kpi_cso]
    return (
        _head("Perkiraan IKU CSO", _period_sub(r, tz))
        + f'<p class="sub">{"<br>".join(rekap_msg.kpi_heading())}</p>'
        + _table(
            [
                "",
                "Tiket / minimal",
                "Indeks kuantitas",
                "Tepat / dinilai",
                "Indeks ketepatan",
                "IKU",
            ],
            rows,
            "Kantor dan per CSO",
        )
    )


def haicso(listing: Any, now: datetime, tz: ZoneInfo) -> str:
    """Tickets not entered in HAI CSO yet (bot.haicso.day.OpenList), oldest first."""
    late = sum(b.late for b in listing.blocks)
    cards = _cards(
        [
            ("belum diinput", fmt_number(listing.total), ""),
            ("terlambat (lewat 17.00)", fmt_number(late), "late" if late else ""),
        ]
    )
    rows = [
        [
            f"<b>{_e(b.ticket.number)}</b><br><small>{_e(b.ticket.kode_satker or '-')} "
            f"{_e(b.satker_name)}</small>",
            _e(excerpt(b.ticket.text, 120)),
            f'<span class="{"late" if b.late else ""}">'
            f"{_e(fmt_short_datetime(b.ticket.created_at, tz))}</span>",
        ]
        for b in listing.blocks
    ]
    shown = f"{fmt_number(len(listing.blocks))} dari {fmt_number(listing.total)}, terlama dulu"
    sub = (
        f"Per {_e(fmt_short_datetime(now, tz))} · input sampai pukul 17.00; salin dan tandai "
        "melalui <code>/haicso</code> di chat pribadi dengan bot"
    )
    listing_table = _table(["Tiket", "Pertanyaan", "Diterima"], rows, shown, num_from=9)
    return _head("Belum diinput ke HAI CSO", sub) + cards + listing_table


def complaints(cv: Any, tz: ZoneInfo) -> str:
    cc = cv.recap.complaints
    cards = (
        _cards(
            [
                ("diterima", fmt_number(cc.received), ""),
                ("selesai", fmt_number(cc.done), "ok"),
                ("dalam proses", fmt_number(cc.in_progress), ""),
                (
                    "belum ditindaklanjuti",
                    fmt_number(cc.not_followed_up),
                    "late" if cc.not_followed_up else "",
                ),
            ]
        )
        if cc is not None
        else ""
    )
    rows = [
        [
            f"<b>{_e(c.number)}</b>",
            _e(c.category),
            _e(fmt_short_datetime(c.created_at, tz)),
            f'<span class="late">{_e(fmt_short_datetime(due, tz))}</span>',
        ]
        for c, due in cv.overdue
    ]
    return (
        _head("Pengaduan (clean and clear)", _period_sub(cv.recap, tz))
        + cards
        + _table(
            ["Nomor", "Kategori", "Diterima", "Batas tindak lanjut"],
            rows,
            "Belum ditindaklanjuti dan melewati batas (semua periode)",
            num_from=9,
        )
    )


def tahap(found: list[Any], tz: ZoneInfo) -> str:
    if not found:
        return _head("Tenggat tahap", "") + '<p class="empty">Tidak ada tenggat saat ini.</p>'
    parts = []
    for st in found:
        spec = st.deadline.spec
        name = spec.name + (f" (tahap {spec.tahap})" if spec.tahap else "")
        done = ", ".join(_e(p.name) for p, _ in st.reported) or "-"
        pending = ", ".join(_e(p.name) for p in st.pending) or "-"
        parts.append(
            f'<section class="dl"><h3>{_e(name)}</h3>'
            f'<p class="sub">Batas {_e(fmt_short_datetime(st.occurrence.due_at, tz))} · '
            f"{fmt_number(len(st.reported))} sudah, {fmt_number(len(st.pending))} belum</p>"
            f'<p><b>Sudah melapor:</b> {done}</p><p class="{"late" if st.pending else ""}">'
            f"<b>Belum melapor:</b> {pending}</p></section>"
        )
    return _head("Tenggat tahap", "Siapa yang sudah dan belum melapor") + "".join(parts)


def broadcasts(period: Any, reports: list[Any], tz: ZoneInfo) -> str:
    rows = []
    for r in reports:
        b = r.broadcast
        counts = ", ".join(
            f"{fmt_number(getattr(r.counts, k))} {label}" for k, label in DELIVERY_LABELS.items()
        )
        failed = "".join(f"<br><small>✗ {_e(t)}: {_e(why)}</small>" for t, why in r.failed[:20])
        rows.append(
            [
                f"{_e(fmt_short_datetime(b.created_at, tz))}<br><small>{_e(b.target)}</small>",
                f"{_e(b.text[:140])}{'…' if len(b.text) > 140 else ''}",
                counts + failed,
            ]
        )
    return _head("Siaran dan laporan pengiriman", _e(period.label)) + _table(
        ["Waktu / sasaran", "Isi", "Pengiriman"], rows, "Siaran", num_from=9
    )


def who(name: str, roles: list[str]) -> str:
    """Plain text: the script sets it as text, never as HTML."""
    return f"{name} · {', '.join(ROLE_NAMES.get(r, r) for r in roles)}"


def generated(now: datetime, tz: ZoneInfo) -> str:
    return fmt_short_datetime(now, tz)


def kanwil(view: Any, now: datetime) -> str:
    """The Kanwil's offices side by side (bot/kanwil.py), as /rekap kanwil states them."""
    rows = []
    for f in view.offices:
        t, recap, cc = f.recap.total, f.recap, f.recap.complaints
        k = recap.kpi_office
        rows.append(
            [
                f"<b>{_e(f.office.name)}</b>",
                _e(f"{f.office.office_type} · {zone_label(f.office.timezone)}"),
                fmt_number(t.received),
                fmt_number(t.answered),
                _share(t),
                f'<span class="{"late" if f.late else ""}">{fmt_number(f.late)}</span>',
                fmt_number(k.weighted, 2) if k is not None and k.judged else "-",
                fmt_number(cc.received) if cc is not None else "-",
                fmt_number(cc.not_followed_up) if cc is not None else "-",
            ]
        )
    sub = f"{_e(view.label)} · per {_e(fmt_date(now.date()))}"
    return _head(f"Rekap {view.kanwil}", sub) + _table(
        [
            "Kantor",
            "Tipe · zona",
            "Diterima",
            "Dijawab",
            "Tepat waktu",
            "Terlambat",
            "Perkiraan IKU",
            "Pengaduan",
            "Belum ditindaklanjuti",
        ],
        rows,
        "Kantor yang Bapak/Ibu awasi",
        num_from=2,
    )
