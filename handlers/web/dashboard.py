"""The dashboard's routes: the page, its script and style, and the API.

Every API request carries the Mini App launch data in ``Authorization: tma <initData>``
(a header, never the URL, so it stays out of proxy logs and the browser history); it is
validated on each request (bot.webauth) and the caller's roles are read from the database
(bot.dashboard.views_for). Handlers parse, call bot/, render from messages/, answer.
"""

from __future__ import annotations

import logging
import re
import tempfile
from pathlib import Path
from typing import Any

from aiohttp import web
from telegram import Bot
from telegram.error import TelegramError

from bot import dashboard, kanwil, offices, report_files, reports, webauth
from bot.haicso import rekap as haicso_rekap
from bot.services import Services
from messages import dashboard as msg
from messages import rekap as rekap_msg

log = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"
ASSETS = {
    "dasbor.js": "text/javascript",
    "dasbor.css": "text/css",
}
PERIOD_RE = re.compile(r"[0-9a-z .\-–]{0,40}", re.ASCII)
SATKER_RE = re.compile(r"[0-9]{6}", re.ASCII)


class Refusal(Exception):
    """An API answer that is not data: (status, polite Indonesian text)."""

    def __init__(self, status: int, text: str) -> None:
        super().__init__(text)
        self.status = status
        self.text = text


def add_routes(app: web.Application, svc: Services, bot: Bot) -> None:
    api = Api(svc, bot)
    app.router.add_get("/", api.page)
    app.router.add_get("/static/{name}", api.asset)
    app.router.add_post("/api/me", api.me)
    app.router.add_get("/api/view/{view}", api.view)
    app.router.add_post("/api/ekspor", api.export)


class Api:
    def __init__(self, svc: Services, bot: Bot) -> None:
        self.svc = svc
        self.bot = bot
        self.assets = {name: (STATIC / name).read_bytes() for name in ASSETS}

    async def page(self, request: web.Request) -> web.Response:
        # The page comes before the caller is known: with several offices it names none.
        name = self.svc.settings.office_name if len(self.svc.offices) <= 1 else "KPPN"
        return web.Response(text=msg.page(name), content_type="text/html")

    async def asset(self, request: web.Request) -> web.Response:
        name = request.match_info["name"]
        if name not in ASSETS:
            raise web.HTTPNotFound()
        return web.Response(body=self.assets[name], content_type=ASSETS[name])

    async def _user(self, request: web.Request) -> tuple[webauth.WebUser, list[str], Services]:
        """The caller, the views they may open and their office's view of the services,
        or a Refusal (401 or 403)."""
        scheme, _, raw = request.headers.get("Authorization", "").partition(" ")
        s = self.svc.settings
        try:
            if scheme.lower() != "tma":
                raise webauth.AuthError("no Mini App launch data")
            user = webauth.validate(raw.strip(), s.token, self.svc.clock.now(), s.web_auth_max_age)
        except webauth.AuthError as exc:
            log.info("dashboard: refused launch data from %s: %s", request.remote, exc)
            raise Refusal(401, msg.unauthorized()) from None
        svc = self.svc.for_office(await offices.of_user(self.svc, user.user_id))
        views = await dashboard.views_for(svc, user.user_id)
        if not views:
            raise Refusal(403, msg.refused())
        return user, views, svc

    async def _answer(self, request: web.Request, work: Any) -> web.Response:
        try:
            return web.json_response(await work(request))
        except Refusal as r:
            return web.json_response({"error": r.text}, status=r.status)

    async def me(self, request: web.Request) -> web.Response:
        async def work(request: web.Request) -> dict[str, Any]:
            user, views, svc = await self._user(request)
            roles = sorted(await svc.roles_of(user.user_id))
            found = await dashboard.choices(svc, user.user_id)
            return {
                "who": msg.who(user.full_name, roles),
                "views": [{"id": v, "label": msg.VIEW_LABELS[v]} for v in views],
                "los": [[str(i), n] for i, n in found.los],
                "satker": [[k, n] for k, n in found.satker],
            }

        return await self._answer(request, work)

    async def view(self, request: web.Request) -> web.Response:
        async def work(request: web.Request) -> dict[str, Any]:
            user, views, svc = await self._user(request)
            name = request.match_info["view"]
            if name not in views:
                raise Refusal(403, msg.view_refused())
            f = filters(request.query)
            return {"html": await self._render(svc, name, user.user_id, f)}

        return await self._answer(request, work)

    async def _render(self, svc: Services, name: str, user_id: int, f: dashboard.Filters) -> str:
        tz = svc.tz
        if name == dashboard.TICKETS:
            tv = await dashboard.open_tickets(svc, user_id, f)
            return msg.tickets(_found(tv), tz)
        if name == dashboard.HAICSO:
            return msg.haicso(_found(await dashboard.hai_open(svc, user_id)), svc.clock.now(), tz)
        if name == dashboard.DEADLINES:
            return msg.tahap(_found(await dashboard.tahap(svc, user_id)), tz)
        if name == dashboard.BROADCASTS:
            period, found = _found(await dashboard.broadcast_reports(svc, user_id, f))
            return msg.broadcasts(period, found, tz)
        if name == dashboard.COMPLAINTS:
            return msg.complaints(_found(await dashboard.complaints(svc, user_id, f)), tz)
        if name == dashboard.KANWIL:
            found = await kanwil.side_by_side(svc, user_id, f.period_text)
            if found.outcome is not kanwil.Outcome.OK:
                raise Refusal(400, msg.bad_period())
            return msg.kanwil(found, svc.clock.now())
        if name == dashboard.KPI:
            return msg.kpi(
                _found(await dashboard.recap_for(svc, user_id, name, f, charts=False)), tz
            )
        return msg.performance(_found(await dashboard.recap_for(svc, user_id, name, f)), tz)

    async def export(self, request: web.Request) -> web.Response:
        """The view's period as the /rekap workbook, sent to the caller's private chat (a
        download inside Telegram's in-app browser is unreliable on phones)."""

        async def work(request: web.Request) -> dict[str, Any]:
            user, views, svc = await self._user(request)
            body = await _json(request)
            view = str(body.get("view", ""))
            if view not in views:
                raise Refusal(403, msg.view_refused())
            f = filters(body)
            pv = await dashboard.recap_for(svc, user.user_id, view, f, charts=False)
            if pv is None and dashboard.period_of(svc, view, f.period_text) is not None:
                # The period is fine: this role (the compliance section) has no ticket recap.
                raise Refusal(403, msg.export_refused())
            pv = _found(pv)
            pv.recap.hai = await haicso_rekap.figures(svc, pv.recap)  # as /rekap's
            await self._send_workbook(svc, user.user_id, pv.recap)
            return {"message": msg.export_sent(pv.recap.period.label)}

        return await self._answer(request, work)

    async def _send_workbook(self, svc: Services, chat_id: int, recap: reports.Recap) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            parts, _ = await report_files.write_files(svc, recap, Path(tmp))
            try:
                for part in parts:  # several files when one would pass Telegram's 50 MB
                    with part.path.open("rb") as fh:
                        await self.bot.send_document(
                            chat_id,
                            fh,
                            filename=part.path.name,
                            caption=rekap_msg.workbook_caption(recap.period.label, part),
                        )
            except TelegramError as exc:
                log.warning("dashboard: workbook to %s not sent: %s", chat_id, exc)
                raise Refusal(409, msg.export_failed()) from None


def _found(value: Any) -> Any:
    if value is None:  # the role rule below said no, or the period was not understood
        raise Refusal(400, msg.bad_period())
    return value


async def _json(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise Refusal(400, msg.bad_period())
    return body


def filters(values: Any) -> dashboard.Filters:
    """The filters from a query or a JSON body; anything malformed is refused politely."""
    period = str(values.get("periode", "") or "").strip().lower()
    lo = str(values.get("lo", "") or "").strip()
    satker = str(values.get("satker", "") or "").strip()
    if not PERIOD_RE.fullmatch(period) or not re.fullmatch(r"[0-9]{0,15}", lo, re.ASCII):
        raise Refusal(400, msg.bad_period())
    if satker and not SATKER_RE.fullmatch(satker):
        raise Refusal(400, msg.bad_period())
    return dashboard.Filters(period, int(lo) if lo else None, satker or None)
