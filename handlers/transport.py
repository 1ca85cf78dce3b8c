"""The HTTP client under python-telegram-bot: aiohttp instead of PTB's default httpx.

Every reply and every getUpdates is one Bot API request. Through httpx (httpx, httpcore,
h11, anyio's socket layer) a request cost about 2 ms of the bot's CPU, a fifth of a
message's; aiohttp parses HTTP in C and costs a fraction of that (bench/send_cost.py,
docs/BENCHMARKS.md). aiohttp is already a dependency (the web side). PTB keeps doing
everything above the transport (``BaseRequest._request_wrapper``): the answer's status
and JSON become the same exceptions (RetryAfter, Forbidden, BadRequest, ...), so the
outbox and the inbox see no difference.

Importing aiohttp's client costs about as much as a third of the echo bot's whole start
(0.2-0.5 s here), so it is not imported on the way to the first getUpdates: until
``upgrade`` (bot/app.py calls it once polling has started, with the content's loading)
requests go through PTB's own HTTPXRequest, whose module PTB has imported anyway.
"""

from __future__ import annotations

import base64
import importlib
import sys
from typing import TYPE_CHECKING, Any
from urllib.request import getproxies, proxy_bypass

from telegram._utils.defaultvalue import DefaultValue
from telegram._utils.types import ODVInput
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, HTTPXRequest, RequestData

from bot.threads import in_daemon_thread

if TYPE_CHECKING:
    import aiohttp
    from yarl import URL


def _aiohttp_loaded() -> bool:
    return "aiohttp" in sys.modules


def _or(value: ODVInput[float], default: float | None) -> float | None:
    return default if isinstance(value, DefaultValue) else value


class AiohttpRequest(BaseRequest):
    """One connection pool to the Bot API. Timeouts mean what they mean for PTB's
    HTTPXRequest: ``pool_timeout`` bounds the wait for a free connection (aiohttp's
    ``connect`` covers the wait and the connection together, so it gets both), ``read``
    each read of the answer. aiohttp has no write timeout of its own: an upload's reads
    get the longer of the read and the media write timeout (20 s), so a slow upload is
    not cut short where httpx would have let it finish."""

    def __init__(
        self,
        connection_pool_size: int = 256,
        read_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
    ) -> None:
        self._pool_size = connection_pool_size
        self._read = read_timeout
        self._connect = connect_timeout
        self._pool = pool_timeout
        self._media_write = media_write_timeout
        self._session: aiohttp.ClientSession | None = None
        self._early: HTTPXRequest | None = None  # until upgrade()
        self._proxies: dict[str, tuple[URL | None, dict[str, str] | None]] = {}

    @property
    def read_timeout(self) -> float | None:
        return self._read

    async def initialize(self) -> None:
        if _aiohttp_loaded():  # already (the web side, a test): no detour through httpx
            self._open()
        elif self._session is None and self._early is None:
            self._early = HTTPXRequest(
                connection_pool_size=self._pool_size,
                read_timeout=self._read,
                connect_timeout=self._connect,
                pool_timeout=self._pool,
                media_write_timeout=self._media_write,
            )
            await self._early.initialize()

    async def upgrade(self) -> None:
        """From httpx to aiohttp: aiohttp imported in a thread, so the loop keeps serving.
        Requests under way on httpx finish there; the next ones take aiohttp."""
        if self._session is None and self._early is not None:
            await in_daemon_thread(importlib.import_module, "aiohttp")
            self._open()

    def _open(self) -> None:
        import aiohttp

        if self._session is None or self._session.closed:
            # Not trust_env: aiohttp would then look the proxy up (the environment and
            # ~/.netrc) on a worker thread for every request; see _proxy_for.
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size),
                headers={"User-Agent": self.USER_AGENT},
            )

    def _proxy_for(self, url: str) -> tuple[URL | None, dict[str, str] | None]:
        """The proxy the environment names for the URL's scheme and host (HTTPS_PROXY,
        NO_PROXY, ...), as httpx honoured it; looked up once per host."""
        scheme, _, rest = url.partition("://")
        origin = f"{scheme}://{rest.split('/', 1)[0]}"
        found = self._proxies.get(origin)
        if found is None:
            from yarl import URL

            host = URL(origin).host or ""
            named = None if proxy_bypass(host) else getproxies().get(scheme)
            proxy = URL(named) if named else None
            headers = None
            if proxy is not None and proxy.user:
                # Basic auth written out: aiohttp deprecates both proxy_auth and BasicAuth.
                pair = f"{proxy.user}:{proxy.password or ''}".encode()
                headers = {"Proxy-Authorization": "Basic " + base64.b64encode(pair).decode()}
                proxy = proxy.with_user(None)
            found = self._proxies[origin] = (proxy, headers)
        return found

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None
        if self._early is not None:
            await self._early.shutdown()
            self._early = None

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        write_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        connect_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
        pool_timeout: ODVInput[float] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None:
            if self._early is None:
                raise RuntimeError("This AiohttpRequest is not initialized!")
            return await self._early.do_request(
                url,
                method,
                request_data,
                read_timeout,
                write_timeout,
                connect_timeout,
                pool_timeout,
            )
        import aiohttp

        files = request_data.multipart_data if request_data else None
        data: Any = request_data.json_parameters if request_data else None
        if files:
            data = _form(data or {}, files)
        read = _or(read_timeout, self._read)
        # The write timeout only matters for uploads (see the class).
        write = _or(write_timeout, self._media_write) if files else 0.0
        connect = _or(connect_timeout, self._connect)
        pool = _or(pool_timeout, self._pool)
        timeout = aiohttp.ClientTimeout(
            total=None,
            connect=None if connect is None or pool is None else connect + pool,
            sock_connect=connect,
            sock_read=read if read is None or write is None else max(read, write),
        )
        proxy, proxy_headers = self._proxy_for(url)
        try:
            async with self._session.request(
                method,
                url,
                data=data,
                timeout=timeout,
                allow_redirects=False,
                proxy=proxy,
                # To an https URL the proxy reads them in CONNECT; to an http one, in
                # the request itself.
                proxy_headers=proxy_headers,
                headers=proxy_headers if url.startswith("http:") else None,
            ) as res:
                return res.status, await res.read()
        except TimeoutError as err:  # aiohttp's timeouts are TimeoutErrors
            raise TimedOut from err
        except aiohttp.ClientError as err:
            raise NetworkError(f"aiohttp.{err.__class__.__name__}: {err}") from err


def _form(fields: dict[str, str], files: dict[str, Any]) -> aiohttp.FormData:
    """A multipart body: the parameters, then each file as (name, content, mime type)."""
    import aiohttp

    form = aiohttp.FormData()
    for name, value in fields.items():
        form.add_field(name, value)
    for name, part in files.items():
        filename, content, mimetype = part if isinstance(part, tuple) else (None, part, None)
        form.add_field(name, content, filename=filename or name, content_type=mimetype)
    return form
