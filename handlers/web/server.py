"""One aiohttp application on the bot's event loop, on one or two listeners.

Why aiohttp: a maintained HTTP/1.1 server (parsing, limits, keep-alive, timeouts) in place
of the hand-written one, on the same loop as the bot, so handlers use the bot's database
connections and a stuck loop does not answer /healthz (which is what a health check must
notice). The ``ops`` listener (LOBOT_METRICS_PORT) is for monitoring on a private address;
the ``web`` listener (LOBOT_WEB_PORT) sits behind the HTTPS reverse proxy that Telegram
opens the dashboard through. Both serve the one application; /healthz and /metrics answer
only on the ops listener when the two differ (ops.py), so publishing the web port never
publishes the metrics.
"""

from __future__ import annotations

import logging
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

log = logging.getLogger(__name__)

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
MAX_BODY = 64 * 1024  # the API takes a few filter values, never files
SHUTDOWN_SECONDS = 2.0

# The page loads only its own script and style; charts are inline SVG; the API is same-origin.
# Telegram's web clients show a Mini App in a frame of web.telegram.org; nobody else may.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors https://web.telegram.org"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Strict-Transport-Security": "max-age=31536000",
    "Cache-Control": "no-store",
}


@dataclass(frozen=True)
class Listener:
    name: str  # "ops" or "web"
    host: str
    port: int  # 0: the system picks (tests)


@web.middleware
async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Security headers on every answer; a bug answers 500 with no detail (logged here)."""
    try:
        response = await handler(request)
    except web.HTTPException as exc:
        _secure(exc.headers)
        raise
    except Exception:
        log.exception("web: %s %s failed", request.method, request.path[:100])
        response = web.Response(status=500, text="internal error\n")
    _secure(response.headers)
    return response


def _secure(headers: Any) -> None:
    for name, value in SECURITY_HEADERS.items():
        headers.setdefault(name, value)


def new_app() -> web.Application:
    return web.Application(middlewares=[guard], client_max_size=MAX_BODY)


def local_port(request: web.Request) -> int | None:
    """The port of ours the request came in on."""
    sockname = request.transport.get_extra_info("sockname") if request.transport else None
    return int(sockname[1]) if sockname else None


class WebServer:
    def __init__(self, app: web.Application, listeners: list[Listener]) -> None:
        self.app = app
        self.listeners = listeners
        self.ports: dict[str, int] = {}  # bound ports by listener name, once started
        self._runner: web.AppRunner | None = None

    @property
    def port(self) -> int:
        """The first listener's bound port."""
        return self.ports[self.listeners[0].name]

    def serves_ops_only_on(self) -> int | None:
        """The ops port when the web listener is another one (then ops routes answer only
        there); None when every listener may answer them."""
        ops, site = self.ports.get("ops"), self.ports.get("web")
        return ops if ops is not None and site is not None and ops != site else None

    async def start(self) -> None:
        runner = web.AppRunner(
            self.app, access_log=None, handle_signals=False, shutdown_timeout=SHUTDOWN_SECONDS
        )
        await runner.setup()
        self._runner = runner
        try:
            bound: dict[tuple[str, int], int] = {}
            for lst in self.listeners:
                key = (lst.host, lst.port)
                if lst.port and key in bound:  # the same address twice: one listener
                    self.ports[lst.name] = bound[key]
                    continue
                sock = _bind(lst.host, lst.port)
                site = web.SockSite(runner, sock)
                await site.start()
                self.ports[lst.name] = bound[key] = sock.getsockname()[1]
                log.info("web: %s on http://%s:%d", lst.name, lst.host, self.ports[lst.name])
        except BaseException:
            await self.stop()
            raise

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    return socket.create_server((host, port), family=family, reuse_port=False)
