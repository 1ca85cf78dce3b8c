"""Mini App launch data as Telegram builds it, for tests and benchmarks."""

from __future__ import annotations

import json
from datetime import datetime
from urllib.parse import urlencode

from bot.webauth import sign


def init_data(
    token: str, user_id: int | None, at: datetime, name: str = "Penguji", **extra: str
) -> str:
    fields = {"auth_date": str(int(at.timestamp())), "query_id": "AAH-test", **extra}
    if user_id is not None:
        fields["user"] = json.dumps(
            {"id": user_id, "first_name": name, "language_code": "id"}, separators=(",", ":")
        )
    fields["hash"] = sign(fields, token)
    return urlencode(fields)
