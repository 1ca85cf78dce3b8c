"""Throwaway PostgreSQL databases for the tests (TEST_POSTGRES_URL; see tests/conftest.py)."""

from __future__ import annotations

import asyncio
import os
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

from storage.pg import PgDatabase


def with_name(url: str, name: str) -> str:
    """``url`` with its database name replaced."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _admin(url: str, sql: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql)  # type: ignore[arg-type]


def make_template(url: str) -> str:
    """A database migrated by this checkout, to copy for each test; its name."""
    name = f"lobot_tpl_{os.getpid()}"
    _admin(url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    _admin(url, f"CREATE DATABASE {name}")

    async def migrate() -> None:
        db = PgDatabase(with_name(url, name), Path("unused"))
        await db.open()
        await db.close()

    asyncio.run(migrate())
    return name


def _copy(url: str, template: str) -> str:
    name = f"lobot_t_{uuid.uuid4().hex[:12]}"
    _admin(url, f"CREATE DATABASE {name} TEMPLATE {template}")
    return with_name(url, name)


# Copying the template takes most of a second on a loaded machine: the next test's copy
# is made on a thread while the current test runs, and dropping happens there too.
_pool = ThreadPoolExecutor(1)
_next: Future[str] | None = None


def copy_template(url: str, template: str) -> str:
    global _next
    ready = _next if _next is not None else _pool.submit(_copy, url, template)
    _next = _pool.submit(_copy, url, template)
    return ready.result()


def drop(url: str, name_or_url: str) -> None:
    name = urlsplit(name_or_url).path.lstrip("/") if "://" in name_or_url else name_or_url
    _pool.submit(_admin, url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def finish(url: str, template: str) -> None:
    """After the session: the prefetched copy and the template go too."""
    global _next
    if _next is not None:
        drop(url, _next.result())
        _next = None
    drop(url, template)
    _pool.shutdown(wait=True)
