"""Charts for the dashboard as inline SVG, drawn on the server.

Why server-drawn SVG and no chart library: two simple chart kinds, no script to vendor
or audit, nothing to load in Telegram's in-app browser, and the page's CSP can stay at
``script-src 'self'``. Colours come from CSS classes (the page maps them to Telegram's
theme), never from inline styles (which the CSP forbids). Each chart is an ``img`` with a
title and a description that says the figures, and the page shows the same figures in
a table beside it, for screen readers and for copying.
"""

from __future__ import annotations

from html import escape

W, H = 320, 180  # the viewBox; the SVG scales to the width of the screen
LEFT, RIGHT, TOP, BOTTOM = 30, 30, 12, 30


def _a(text: object) -> str:
    return escape(str(text), quote=True)


def _frame(title: str, desc: str, body: list[str]) -> str:
    return (
        f'<svg class="chart" viewBox="0 0 {W} {H}" role="img" '
        f'aria-label="{_a(title)}. {_a(desc)}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{_a(title)}</title>"
        f"<desc>{_a(desc)}</desc>{''.join(body)}</svg>"
    )


def _bars(values: list[float], top: float, cls: list[str]) -> list[str]:
    n = max(len(values), 1)
    slot = (W - LEFT - RIGHT) / n
    out = []
    for i, v in enumerate(values):
        h = 0.0 if top <= 0 else (H - TOP - BOTTOM) * v / top
        x = LEFT + i * slot + slot * 0.15
        out.append(
            f'<rect class="{cls[i]}" x="{x:.1f}" y="{H - BOTTOM - h:.1f}" '
            f'width="{slot * 0.7:.1f}" height="{h:.1f}"/>'
        )
    return out


def _labels(labels: list[str]) -> list[str]:
    n = max(len(labels), 1)
    slot = (W - LEFT - RIGHT) / n
    step = max(1, round(n / 8))  # at most about eight labels fit at 360 px
    return [
        f'<text class="lbl" x="{LEFT + (i + 0.5) * slot:.1f}" y="{H - BOTTOM + 13}" '
        f'text-anchor="middle">{_a(label)}</text>'
        for i, label in enumerate(labels)
        if i % step == 0
    ]


def _axis(top: float, unit: str, right: bool = False) -> list[str]:
    x = W - RIGHT + 3 if right else LEFT - 3
    anchor = "start" if right else "end"
    return [
        f'<line class="axis" x1="{LEFT}" y1="{H - BOTTOM}" x2="{W - RIGHT}" y2="{H - BOTTOM}"/>',
        f'<text class="lbl" x="{x}" y="{TOP + 4}" text-anchor="{anchor}">{_a(_num(top))}{unit}'
        "</text>",
        f'<text class="lbl" x="{x}" y="{H - BOTTOM}" text-anchor="{anchor}">0</text>',
    ]


def _num(v: float) -> str:
    return f"{v:.0f}"


def weekly(
    title: str, desc: str, labels: list[str], received: list[int], share: list[float | None]
) -> str:
    """Bars: tickets received per week; line: the share answered on time (0-100%)."""
    top = float(max(received, default=0)) or 1.0
    body = (
        _axis(top, "")
        + _axis(100, "%", right=True)
        + _bars([float(v) for v in received], top, ["bar"] * len(received))
    )
    n = max(len(labels), 1)
    slot = (W - LEFT - RIGHT) / n
    points = [
        (LEFT + (i + 0.5) * slot, H - BOTTOM - (H - TOP - BOTTOM) * s / 100)
        for i, s in enumerate(share)
        if s is not None
    ]
    if points:
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        body.append(f'<polyline class="line" points="{path}"/>')
        body += [f'<circle class="dot" cx="{x:.1f}" cy="{y:.1f}" r="2.5"/>' for x, y in points]
    return _frame(title, desc, body + _labels(labels))


def distribution(
    title: str, desc: str, labels: list[str], counts: list[int], late_from: int
) -> str:
    """Bars per answer-time bucket; buckets from index ``late_from`` on are past the norm."""
    top = float(max(counts, default=0)) or 1.0
    cls = ["bar" if i < late_from else "bar late" for i in range(len(counts))]
    body = _axis(top, "") + _bars([float(c) for c in counts], top, cls)
    n = max(len(counts), 1)
    x = LEFT + late_from * (W - LEFT - RIGHT) / n
    body.append(f'<line class="norm" x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{H - BOTTOM}"/>')
    return _frame(title, desc, body + _labels(labels))
