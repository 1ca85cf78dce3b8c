"""KPI band defaults and their parser: settings validate them without importing bot/."""

from __future__ import annotations

# (lowest percentage, index), highest band first. Default scale 1-4: meeting the
# quantity minimum, or answering 95% on time, scores 4; the target 3 then needs both
# indicators close to their goals.
DEFAULT_QUANTITY_BANDS = ((100.0, 4.0), (80.0, 3.0), (60.0, 2.0), (0.0, 1.0))
DEFAULT_ON_TIME_BANDS = ((95.0, 4.0), (85.0, 3.0), (70.0, 2.0), (0.0, 1.0))

Bands = tuple[tuple[float, float], ...]


def parse_bands(text: str) -> Bands:
    """'100:4,80:3,60:2,0:1' -> ((100, 4), (80, 3), (60, 2), (0, 1)); ValueError if bad."""
    bands = []
    for part in text.split(","):
        pct, _, index = part.partition(":")
        bands.append((float(pct), float(index)))
    bands.sort(reverse=True)
    if not bands or bands[-1][0] != 0:
        raise ValueError("the lowest band must start at 0")
    return tuple(bands)
