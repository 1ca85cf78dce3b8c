"""GET /healthz and GET /metrics for monitoring (README "Operations").

/healthz asks bot.ops.health (the database through the bot's own reader, the tick's and
the sender's last rounds); /metrics renders the application's own registry, in memory,
with no database read per scrape (docs/BENCHMARKS.md).
"""

from __future__ import annotations

import json
from collections.abc import Callable

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from bot.ops import health
from bot.ops.metrics import Metrics
from bot.services import Services
from handlers.web.server import WebServer, local_port


def add_routes(
    app: web.Application,
    server: Callable[[], WebServer | None],
    svc: Services,
    metrics: Metrics,
    running: Callable[[], bool],
) -> None:
    def off_port(request: web.Request) -> bool:
        srv = server()
        only = srv.serves_ops_only_on() if srv is not None else None
        return only is not None and local_port(request) != only

    async def healthz(request: web.Request) -> web.Response:
        if off_port(request):
            raise web.HTTPNotFound()
        result = await health.check(svc, metrics, running())
        return web.Response(
            status=200 if result.ok else 503,
            body=json.dumps(result.body(), ensure_ascii=False).encode() + b"\n",
            content_type="application/json",
        )

    async def metrics_text(request: web.Request) -> web.Response:
        if off_port(request):
            raise web.HTTPNotFound()
        response = web.Response(body=generate_latest(metrics.registry))
        response.headers["Content-Type"] = CONTENT_TYPE_LATEST
        return response

    app.router.add_get("/healthz", healthz)
    app.router.add_get("/metrics", metrics_text)
