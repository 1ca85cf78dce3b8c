"""One typed settings object, read from the environment and an optional TOML file.

Environment variables win over the file so that a container can override a committed
file. Every value is validated at start-up; a bad value raises ``SettingsError`` naming
the setting, never echoing a secret.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from config.kpi_bands import DEFAULT_ON_TIME_BANDS, DEFAULT_QUANTITY_BANDS, parse_bands
from config.offices import KanwilSpec, OfficesError, OfficeSpec, load_offices, zone_name

ENV_PREFIX = "LOBOT_"
TOKEN_RE = re.compile(r"[0-9]{5,}:[A-Za-z0-9_-]{20,}", re.ASCII)


class SettingsError(ValueError):
    """A setting is missing or invalid; the message names it."""


@dataclass(frozen=True)
class Settings:
    token: str = field(repr=False)
    admin_ids: frozenset[int] = frozenset()
    database: Path = Path("data/lobot.sqlite3")
    # LOBOT_DATABASE=postgresql://...: PostgreSQL (``database`` then only names the data
    # folder beside it, for broadcast and report files: data/).
    database_url: str | None = field(default=None, repr=False)
    base_url: str = "https://api.telegram.org/bot"
    base_file_url: str = "https://api.telegram.org/file/bot"
    office_name: str = "KPPN"
    office_type: str = "A1"
    timezone: str = "Asia/Jakarta"
    work_start: time = time(8, 0)
    work_end: time = time(16, 0)
    sla_hours: float = 16.0
    # One reminder: the new-ticket notice and the morning summary already list what is due
    # (issue 17: 0.5,0.75 gave an LO up to 24 private messages on a busy day).
    reminder_shares: tuple[float, ...] = (0.75,)
    escalation_after_hours: float = 8.0
    autoclose_hours: float = 24.0
    # Staff notices to one person are bundled into at most one message per this window.
    digest_minutes: float = 90.0
    tick_seconds: float = 30.0
    faq_threshold: float = 0.55
    poll_timeout: int = 30
    faq_dir: Path | None = None
    # Go-live (README checklist): answer only entries the office's reviewer approved.
    faq_only_reviewed: bool = False
    kpi_quantity_bands: str = "100:4,80:3,60:2,0:1"
    kpi_ontime_bands: str = "95:4,85:3,70:2,0:1"
    # Telegram's sending limits, kept by the outbox sender. LOBOT_SEND_LIMITS=off is for
    # benchmarks against a fake Bot API only: real Telegram answers 429 without them.
    send_limits: bool = True
    send_per_second: float = 30.0
    send_group_per_minute: float = 20.0
    send_private_per_second: float = 1.0
    # Updates handled at the same time (different chats; one chat's stay in order).
    concurrent_updates: int = 32
    # Working days a complaint may wait for its first follow-up before the head of office
    # is alerted; the seeds set no figure, so it is configuration.
    complaint_followup_days: float = 5.0
    # A deadline reminder missed while the bot was down is still sent within this window.
    deadline_grace_hours: float = 12.0
    deadlines_file: Path | None = None
    # HAI CSO (issue 22): how many days back the lists look for tickets not entered yet,
    # and the column layout of HAI CSO's form and export (None: the shipped default,
    # config/haicso_layout.toml).
    haicso_carry_days: int = 14
    haicso_layout_file: Path | None = None
    # Operations (README "Operations"), all off by default. Health and Prometheus metrics
    # over HTTP on this port (None: off; 0, for tests only, lets the system pick a port).
    metrics_port: int | None = None
    metrics_host: str = "127.0.0.1"
    # The dashboard (a Telegram Mini App) on the same web server (None: off). ``web_url`` is
    # the public HTTPS address of the reverse proxy in front of it, which the button opens.
    web_port: int | None = None
    web_host: str = "127.0.0.1"
    web_url: str | None = None
    # Mini App launch data older than this is refused (Telegram signs it once, at opening).
    web_auth_max_age: int = 3600
    # A daily online backup into this folder (None: off), made at ``backup_at`` office time
    # and kept for ``backup_keep`` days.
    backup_dir: Path | None = None
    backup_keep: int = 7
    backup_at: time = time(2, 0)
    # Webhook mode (None: long polling): Telegram posts updates to this public HTTPS address
    # of the reverse proxy in front of the web server (LOBOT_WEB_PORT), each request carrying
    # ``webhook_secret`` in a header, checked on every request.
    webhook_url: str | None = None
    webhook_secret: str = field(default="", repr=False)
    # Several offices in one deployment (config/offices.py): the file, and what it lists
    # (derived from it, never set on their own). Office 1 is the one the settings above
    # describe.
    offices_file: Path | None = None
    offices: tuple[OfficeSpec, ...] = ()
    kanwils: tuple[KanwilSpec, ...] = ()

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def office_specs(self) -> tuple[OfficeSpec, ...]:
        """Every office the deployment serves: office 1 from these settings, then the file's."""
        first = OfficeSpec(
            1,
            self.office_name,
            self.office_type,
            self.timezone,
            self.work_start,
            self.work_end,
            deadlines_file=self.deadlines_file,
        )
        return (first, *self.offices)

    def redacted(self) -> dict[str, Any]:
        """Settings for logs and `check-config`: the token is never shown."""
        shown: dict[str, Any] = {}
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            if name in ("token", "webhook_secret"):
                value = "***" if value else value
            elif name == "database_url" and value:
                value = re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", value)
            elif name == "offices":
                value = "; ".join(
                    f"{o.id} {o.name} ({o.office_type}, {o.timezone}, "
                    f"{o.work_start:%H:%M}-{o.work_end:%H:%M})"
                    for o in value
                )
            elif name == "kanwils":
                value = "; ".join(
                    f"{k.name}: offices {', '.join(map(str, k.offices))}" for k in value
                )
            shown[name] = value
        return shown


def _parse_time(name: str, raw: str) -> time:
    m = re.fullmatch(r"([0-9]{1,2})[:.]([0-9]{2})", raw.strip())
    if not m or int(m.group(1)) > 23 or int(m.group(2)) > 59:
        raise SettingsError(f"{name}: expected HH:MM, got {raw!r}")
    return time(int(m.group(1)), int(m.group(2)))


def _parse_float(name: str, raw: Any, lo: float, hi: float) -> float:
    try:
        value = float(raw)
    except (TypeError, ValueError):
        raise SettingsError(f"{name}: expected a number, got {raw!r}") from None
    if not lo <= value <= hi:
        raise SettingsError(f"{name}: must be between {lo} and {hi}, got {value}")
    return value


def _parse_int(name: str, raw: Any, lo: int, hi: int) -> int:
    text = str(raw).strip()
    if not re.fullmatch(r"[0-9]+", text, re.ASCII):
        raise SettingsError(f"{name}: expected a whole number, got {raw!r}")
    value = int(text)
    if not lo <= value <= hi:
        raise SettingsError(f"{name}: must be between {lo} and {hi}, got {value}")
    return value


def _database(v: dict[str, Any]) -> dict[str, Any]:
    """LOBOT_DATABASE: a path or sqlite:///path (SQLite), or postgresql://... (PostgreSQL)."""
    raw = str(v.get("database", Settings.database)).strip()
    if raw.startswith(("postgresql://", "postgres://")):
        return {"database": Settings.database, "database_url": raw}
    if raw.startswith("sqlite://"):
        path = raw.removeprefix("sqlite://")
        if not path.startswith("/") or path == "/":
            raise SettingsError(
                f"LOBOT_DATABASE: write sqlite:///relative/path or sqlite:////absolute/path,"
                f" got {raw!r}"
            )
        return {"database": Path(path[1:])}
    if "://" in raw:
        raise SettingsError(
            f"LOBOT_DATABASE: a file path, sqlite:///path or postgresql://..., got {raw!r}"
        )
    return {"database": Path(raw)}


def _parse_port(name: str, raw: Any) -> int | None:
    """A TCP port, or None for off ('', 0, 'off')."""
    if raw is None or str(raw).strip().lower() in ("", "0", "off"):
        return None
    return _parse_int(name, raw, 1, 65535)


def _parse_host(name: str, raw: Any) -> str:
    text = str(raw).strip()
    if not re.fullmatch(r"[A-Za-z0-9.:_-]+", text, re.ASCII):
        raise SettingsError(f"{name}: expected a host name or IP address, got {raw!r}")
    return text


def _parse_web_url(name: str, raw: Any) -> str | None:
    """The Mini App's public address: Telegram opens only https:// pages."""
    text = str(raw or "").strip()
    if not text:
        return None
    if not re.fullmatch(r"https://[A-Za-z0-9.-]+(:[0-9]+)?(/[A-Za-z0-9._~/-]*)?", text, re.ASCII):
        raise SettingsError(f"{name}: expected an https:// address without a query, got {raw!r}")
    return text.rstrip("/") + "/"


def _parse_ids(name: str, raw: Any) -> frozenset[int]:
    items = raw if isinstance(raw, list) else str(raw).replace(";", ",").split(",")
    ids: set[int] = set()
    for item in items:
        text = str(item).strip()
        if not text:
            continue
        if not re.fullmatch(r"-?[0-9]+", text):
            raise SettingsError(f"{name}: {text!r} is not a numeric Telegram user id")
        ids.add(int(text))
    return frozenset(ids)


def _parse_shares(name: str, raw: Any) -> tuple[float, ...]:
    items = raw if isinstance(raw, list) else str(raw).split(",")
    shares = sorted({_parse_float(name, x, 0.01, 0.99) for x in items if str(x).strip()})
    return tuple(shares)


def _bands(name: str, raw: Any) -> str:
    """KPI bands 'percent:index,...' (see bot/kpi.py); the default when not given."""
    if raw is None or str(raw).strip() == "":
        default = DEFAULT_QUANTITY_BANDS if "QUANTITY" in name else DEFAULT_ON_TIME_BANDS
        return ",".join(f"{p:g}:{i:g}" for p, i in default)
    try:
        parse_bands(str(raw))
    except ValueError:
        raise SettingsError(
            f"{name}: expected 'percent:index,...' ending with a 0% band, got {raw!r}"
        ) from None
    return str(raw)


def _merged(env: Mapping[str, str], file_values: Mapping[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {k.lower(): v for k, v in file_values.items()}
    for key, raw in env.items():
        if key.startswith(ENV_PREFIX):
            values[key[len(ENV_PREFIX) :].lower()] = raw
    if env.get("TELEGRAM_BOT_TOKEN"):
        values["token"] = env["TELEGRAM_BOT_TOKEN"]
    return values


def _read_file(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError:
        raise SettingsError(f"LOBOT_CONFIG_FILE: file {path} not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"LOBOT_CONFIG_FILE: {path} is not valid TOML ({exc})") from None


def _values(env: Mapping[str, str] | None) -> dict[str, Any]:
    """The raw settings: the file's, then the environment's on top; unknown ones refused."""
    env = os.environ if env is None else env
    file_values: dict[str, Any] = {}
    if env.get("LOBOT_CONFIG_FILE"):
        file_values = _read_file(Path(env["LOBOT_CONFIG_FILE"]))
    v = _merged(env, file_values)
    # database_url is derived from LOBOT_DATABASE, never set on its own.
    known = set(Settings.__dataclass_fields__) - {"database_url", "offices", "kanwils"}
    known |= {"config_file"}
    unknown = sorted(set(v) - known)
    if unknown:
        raise SettingsError(f"unknown setting(s): {', '.join(unknown)}")
    return v


def load_settings(env: Mapping[str, str] | None = None, *, require_token: bool = True) -> Settings:
    """Build and validate the settings; raises SettingsError naming the first bad one."""
    return _build(_values(env), require_token)


def file_url_for(base_url: str) -> str | None:
    """Where a Bot API server at ``base_url`` serves files: a self-hosted server (like
    api.telegram.org) serves them under /file/bot beside /bot; None when it cannot tell."""
    if base_url.rstrip("/").endswith("/bot"):
        return base_url.rstrip("/")[: -len("bot")] + "file/bot"
    return None


def notes(env: Mapping[str, str] | None = None) -> list[str]:
    """Warnings for `check-config` and the start-up log: settings that are valid but
    probably not what was meant."""
    v = _values(env)
    base_url = str(v.get("base_url", Settings.base_url))
    if base_url == Settings.base_url or v.get("base_file_url"):
        return []
    derived = file_url_for(base_url)
    if derived is None:
        return [
            "LOBOT_BASE_URL points to another Bot API server but LOBOT_BASE_FILE_URL is "
            "not set: files users send would be fetched from api.telegram.org and fail; "
            "set LOBOT_BASE_FILE_URL to that server's file address"
        ]
    return [
        f"LOBOT_BASE_FILE_URL is not set: files are fetched from {derived} (derived from "
        "LOBOT_BASE_URL); set LOBOT_BASE_FILE_URL if your server serves files elsewhere"
    ]


def _build(v: dict[str, Any], require_token: bool) -> Settings:
    if v.get("backup_dir") and _database(v).get("database_url"):
        raise SettingsError(
            "LOBOT_BACKUP_DIR: the bot's backups copy an SQLite file; with PostgreSQL use"
            " the server's own (pg_dump, continuous archiving)"
        )
    token = str(v.get("token", "")).strip()
    if require_token and not TOKEN_RE.fullmatch(token):
        raise SettingsError(
            "TELEGRAM_BOT_TOKEN: missing or not shaped like a BotFather token (123456:ABC...)"
        )
    try:
        tz_name = zone_name(str(v.get("timezone", "Asia/Jakarta")))
    except ValueError:
        raise SettingsError(f"LOBOT_TIMEZONE: unknown time zone {v.get('timezone')!r}") from None
    office_type = str(v.get("office_type", "A1")).upper()
    if office_type not in ("A1", "A2"):
        raise SettingsError(f"LOBOT_OFFICE_TYPE: must be A1 or A2, got {office_type!r}")
    start = _parse_time("LOBOT_WORK_START", str(v.get("work_start", "08:00")))
    end = _parse_time("LOBOT_WORK_END", str(v.get("work_end", "16:00")))
    if end <= start:
        raise SettingsError("LOBOT_WORK_END: must be later than LOBOT_WORK_START")
    base_url = str(v.get("base_url", Settings.base_url))
    if not base_url.startswith(("http://", "https://")):
        raise SettingsError(
            f"LOBOT_BASE_URL: must start with http:// or https://, got {base_url!r}"
        )
    return Settings(
        token=token,
        admin_ids=_parse_ids("LOBOT_ADMIN_IDS", v.get("admin_ids", "")),
        **_database(v),
        base_url=base_url,
        base_file_url=_base_file_url(v, base_url),
        office_name=str(v.get("office_name", Settings.office_name)).strip() or "KPPN",
        office_type=office_type,
        timezone=tz_name,
        work_start=start,
        work_end=end,
        sla_hours=_parse_float("LOBOT_SLA_HOURS", v.get("sla_hours", 16), 1, 400),
        reminder_shares=_parse_shares("LOBOT_REMINDER_SHARES", v.get("reminder_shares", "0.75")),
        escalation_after_hours=_parse_float(
            "LOBOT_ESCALATION_AFTER_HOURS", v.get("escalation_after_hours", 8), 1, 400
        ),
        autoclose_hours=_parse_float(
            "LOBOT_AUTOCLOSE_HOURS", v.get("autoclose_hours", 24), 1, 2000
        ),
        digest_minutes=_parse_float("LOBOT_DIGEST_MINUTES", v.get("digest_minutes", 90), 0, 240),
        tick_seconds=_parse_float("LOBOT_TICK_SECONDS", v.get("tick_seconds", 30), 1, 3600),
        faq_threshold=_parse_float("LOBOT_FAQ_THRESHOLD", v.get("faq_threshold", 0.55), 0, 1),
        poll_timeout=int(_parse_float("LOBOT_POLL_TIMEOUT", v.get("poll_timeout", 30), 0, 60)),
        faq_dir=Path(str(v["faq_dir"])) if v.get("faq_dir") else None,
        faq_only_reviewed=_parse_switch(
            "LOBOT_FAQ_ONLY_REVIEWED", v.get("faq_only_reviewed", "off")
        ),
        kpi_quantity_bands=_bands("LOBOT_KPI_QUANTITY_BANDS", v.get("kpi_quantity_bands")),
        kpi_ontime_bands=_bands("LOBOT_KPI_ONTIME_BANDS", v.get("kpi_ontime_bands")),
        send_limits=_parse_switch("LOBOT_SEND_LIMITS", v.get("send_limits", "on")),
        send_per_second=_parse_float(
            "LOBOT_SEND_PER_SECOND", v.get("send_per_second", 30), 1, 1000
        ),
        send_group_per_minute=_parse_float(
            "LOBOT_SEND_GROUP_PER_MINUTE", v.get("send_group_per_minute", 20), 1, 1000
        ),
        send_private_per_second=_parse_float(
            "LOBOT_SEND_PRIVATE_PER_SECOND", v.get("send_private_per_second", 1), 0.1, 100
        ),
        concurrent_updates=int(
            _parse_float("LOBOT_CONCURRENT_UPDATES", v.get("concurrent_updates", 32), 1, 256)
        ),
        complaint_followup_days=_parse_float(
            "LOBOT_COMPLAINT_FOLLOWUP_DAYS", v.get("complaint_followup_days", 5), 0.5, 60
        ),
        deadline_grace_hours=_parse_float(
            "LOBOT_DEADLINE_GRACE_HOURS", v.get("deadline_grace_hours", 12), 0, 720
        ),
        deadlines_file=Path(str(v["deadlines_file"])) if v.get("deadlines_file") else None,
        haicso_carry_days=_parse_int(
            "LOBOT_HAICSO_CARRY_DAYS", v.get("haicso_carry_days", 14), 1, 92
        ),
        haicso_layout_file=(
            Path(str(v["haicso_layout_file"])) if v.get("haicso_layout_file") else None
        ),
        metrics_port=_parse_port("LOBOT_METRICS_PORT", v.get("metrics_port")),
        metrics_host=_parse_host("LOBOT_METRICS_HOST", v.get("metrics_host", "127.0.0.1")),
        web_port=_parse_port("LOBOT_WEB_PORT", v.get("web_port")),
        web_host=_parse_host("LOBOT_WEB_HOST", v.get("web_host", "127.0.0.1")),
        web_url=_parse_web_url("LOBOT_WEB_URL", v.get("web_url")),
        web_auth_max_age=_parse_int(
            "LOBOT_WEB_AUTH_MAX_AGE", v.get("web_auth_max_age", 3600), 60, 7 * 86400
        ),
        backup_dir=Path(str(v["backup_dir"])) if v.get("backup_dir") else None,
        backup_keep=_parse_int("LOBOT_BACKUP_KEEP", v.get("backup_keep", 7), 1, 3650),
        backup_at=_parse_time("LOBOT_BACKUP_AT", str(v.get("backup_at", "02:00"))),
        **_webhook(v),
        **_offices(v),
    )


def _offices(v: dict[str, Any]) -> dict[str, Any]:
    """LOBOT_OFFICES_FILE: the further offices and the Kanwil supervisors (config/offices.py)."""
    if not v.get("offices_file"):
        return {}
    path = Path(str(v["offices_file"]))
    try:
        offices, kanwils = load_offices(path)
    except OfficesError as exc:
        raise SettingsError(str(exc)) from None
    return {"offices_file": path, "offices": offices, "kanwils": kanwils}


def _webhook(v: dict[str, Any]) -> dict[str, Any]:
    """LOBOT_WEBHOOK_URL (https, served by the web server) and LOBOT_WEBHOOK_SECRET."""
    url = str(v.get("webhook_url") or "").strip()
    if not url:
        return {}
    if not re.fullmatch(r"https://[^\s/?#]+/[^\s?#]*", url):
        raise SettingsError(
            f"LOBOT_WEBHOOK_URL: the public https:// address with a path, got {url!r}"
        )
    if _parse_port("LOBOT_WEB_PORT", v.get("web_port")) is None:
        raise SettingsError("LOBOT_WEBHOOK_URL: needs LOBOT_WEB_PORT (the server it is served on)")
    secret = str(v.get("webhook_secret") or "")
    # Telegram's alphabet for secret_token (1-256 characters); 32 or more to be unguessable.
    if not re.fullmatch(r"[A-Za-z0-9_-]{32,256}", secret):
        raise SettingsError(
            "LOBOT_WEBHOOK_SECRET: 32 to 256 characters of A-Z, a-z, 0-9, _ and -"
            " (e.g. the output of: openssl rand -hex 32)"
        )
    return {"webhook_url": url, "webhook_secret": secret}


def _base_file_url(v: dict[str, Any], base_url: str) -> str:
    """LOBOT_BASE_FILE_URL; unset beside a self-hosted LOBOT_BASE_URL, that server's."""
    if v.get("base_file_url"):
        url = str(v["base_file_url"])
        if not url.startswith(("http://", "https://")):
            raise SettingsError(
                f"LOBOT_BASE_FILE_URL: must start with http:// or https://, got {url!r}"
            )
        return url
    if base_url != Settings.base_url:
        return file_url_for(base_url) or Settings.base_file_url
    return Settings.base_file_url


def _parse_switch(name: str, raw: Any) -> bool:
    text = str(raw).strip().lower()
    if text in ("1", "on", "true", "yes", "ya"):
        return True
    if text in ("0", "off", "false", "no", "tidak"):
        return False
    raise SettingsError(f"{name}: expected on or off, got {raw!r}")
