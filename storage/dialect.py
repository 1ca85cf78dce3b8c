"""SQLite's SQL as PostgreSQL runs it: the one place that knows the two dialects apart.

The repositories are written once, in the SQL both databases understand, with SQLite's
``?`` placeholders. For PostgreSQL each statement passes through ``statement()`` (cached)
and each migration through ``migration()``; what the rewrite cannot express is refused
loudly (``Unsupported``), never guessed. What it does:

- ``?`` becomes psycopg's ``%s`` (a literal ``%`` is doubled); ``LIKE`` becomes ``ILIKE``
  (SQLite's LIKE ignores ASCII case); ``INDEXED BY``/``NOT INDEXED`` hints are dropped;
  an empty ``IN ()`` becomes ``= ANY ('{}')`` (``NOT IN ()``: ``<> ALL``);
  ``INSERT OR IGNORE`` becomes ``INSERT ... ON CONFLICT DO NOTHING``.
- ``PRAGMA integrity_check`` / ``foreign_key_check`` answer "ok" / nothing (PostgreSQL
  checks both itself); other PRAGMAs are refused.
- In migrations: ``INTEGER`` is ``BIGINT`` (Telegram ids pass 2^31), ``REAL`` is ``DOUBLE
  PRECISION``, an ``id INTEGER PRIMARY KEY`` is an identity column (SQLite's rowid alias),
  and the FTS5 table becomes a table with a generated ``tsvector`` column and a GIN index
  (``fts5()`` below), PostgreSQL's full-text search.

``COMPAT_SQL`` adds the few SQLite functions the repositories use that PostgreSQL lacks
under the same name: ``sum(boolean)`` (SQLite sums comparisons as 0/1; a ``sum(a < b)``
written in the text is rewritten to ``sum((a < b)::int)``, the built-in being faster),
``date(text, modifier)`` and ``round(double precision, int)``.

Rules for new SQL (checked by tests/test_dialect.py, which runs every migration and the
storage tests on PostgreSQL in .ci/run): no ``INSERT OR REPLACE`` (write ``ON CONFLICT
(...) DO UPDATE``), no ``UPDATE OR IGNORE`` (add ``AND key NOT IN (...)``), no ``GLOB``,
no integer column used as a boolean (``WHERE answered``: write ``WHERE answered = 1``),
in ``ON CONFLICT ... DO UPDATE SET`` the table's own columns qualified (``last =
ticket_counters.last + 1``), no double-quoted string literals, times as the ISO text of
``storage.timefmt.ts`` (compared as text in both), and no SQLite-only function beyond
those of ``COMPAT_SQL``. Migrations may rebuild a table (create, copy, drop, rename).
"""

from __future__ import annotations

import re
from functools import lru_cache


class Unsupported(ValueError):
    """SQL the PostgreSQL rewrite cannot express; write it portably (module docstring)."""


# String literals, quoted names and comments: the parts no rewrite may touch.
_QUOTED = re.compile(r"('(?:[^']|'')*'|\"(?:[^\"]|\"\")*\"|--[^\n]*)")
_INSERT_OR_IGNORE = re.compile(r"\bINSERT\s+OR\s+IGNORE\s+INTO\b", re.IGNORECASE)
_RETURNING = re.compile(r"\bRETURNING\b", re.IGNORECASE)
_HINT = re.compile(r"\s+(?:INDEXED\s+BY\s+\w+|NOT\s+INDEXED)\b", re.IGNORECASE)
_LIKE = re.compile(r"\bLIKE\b", re.IGNORECASE)
_REFUSED = re.compile(
    r"\b(?:INSERT\s+OR\s+REPLACE|REPLACE\s+INTO|UPDATE\s+OR\s+\w+|GLOB)\b", re.IGNORECASE
)
_EMPTY_NOT_IN = re.compile(r"\bNOT\s+IN\s*\(\s*\)", re.IGNORECASE)
_EMPTY_IN = re.compile(r"\bIN\s*\(\s*\)", re.IGNORECASE)
_PRAGMA = re.compile(r"^\s*PRAGMA\s+(\w+)", re.IGNORECASE)
_INSERT_TABLE = re.compile(r"^\s*INSERT\s+(?:OR\s+IGNORE\s+)?INTO\s+(\w+)", re.IGNORECASE)
_PRAGMAS = {
    "integrity_check": "SELECT 'ok'",
    "foreign_key_check": "SELECT 1 WHERE false",
}


def _outside_quotes(sql: str, fn: object) -> str:
    """Apply ``fn`` (str -> str) to the parts of ``sql`` that are not string literals."""
    parts = _QUOTED.split(sql)
    return "".join(p if i % 2 else fn(p) for i, p in enumerate(parts))  # type: ignore[operator]


@lru_cache(maxsize=4096)
def statement(sql: str) -> str:
    """One statement of the repositories, for psycopg on PostgreSQL."""
    pragma = _PRAGMA.match(sql)
    if pragma:
        try:
            return _PRAGMAS[pragma.group(1).lower()]
        except KeyError:
            raise Unsupported(f"PRAGMA {pragma.group(1)} has no PostgreSQL meaning") from None
    return _rewrite(sql, placeholders=True)


def _rewrite(sql: str, placeholders: bool) -> str:
    if _REFUSED.search(_strip_quoted(sql)):
        raise Unsupported(f"SQLite-only SQL: {sql.strip()[:120]}")
    # With parameters psycopg reads %s placeholders, so a literal % is written %%.
    out = sql.replace("%", "%%") if placeholders else sql
    ignore = bool(_INSERT_OR_IGNORE.search(out))

    def rewrite(part: str) -> str:
        part = _INSERT_OR_IGNORE.sub("INSERT INTO", part)
        part = _HINT.sub("", part)
        part = _LIKE.sub("ILIKE", part)
        # SQLite takes an empty list (x IN () is false, x NOT IN () true); PostgreSQL an
        # empty array of the column's type.
        part = _EMPTY_NOT_IN.sub("<> ALL ('{}')", part)
        part = _EMPTY_IN.sub("= ANY ('{}')", part)
        return part.replace("?", "%s") if placeholders else part

    out = _outside_quotes(out, rewrite)
    out = _bool_sums(out)
    if ignore:
        out = _add_clause(out, "ON CONFLICT DO NOTHING")
    return out


_SUM = re.compile(r"\bsum\s*\(", re.IGNORECASE)
_PARENS = re.compile(r"\([^()]*\)")
_CONDITION = re.compile(r"(?:[=<>]|\b(?:IN|AND|OR|NOT|IS|BETWEEN)\b)", re.IGNORECASE)


def _bool_sums(sql: str) -> str:
    """``sum(a < b)`` as ``sum((a < b)::int)``: SQLite sums a comparison as 0/1. The
    ``sum(boolean)`` of COMPAT_SQL would do too, but as an SQL function called per row
    (several times slower over a million tickets); this keeps the built-in sum."""
    out, at = [], 0
    for m in _SUM.finditer(sql):
        if m.start() < at:
            continue
        depth, end = 1, m.end()
        while end < len(sql) and depth:
            depth += {"(": 1, ")": -1}.get(sql[end], 0)
            end += 1
        inner = sql[m.end() : end - 1]
        top = _strip_quoted(inner)  # then without nested calls and lists: its top level
        while (shorter := _PARENS.sub("", top)) != top:
            top = shorter
        if _CONDITION.search(top) and not top.lstrip().upper().startswith("CASE"):
            out += [sql[at : m.end()], f"({_bool_sums(inner)})::int)"]
            at = end
    return "".join(out) + sql[at:]


def _strip_quoted(sql: str) -> str:
    return _QUOTED.sub("''", sql)


def _add_clause(sql: str, clause: str) -> str:
    """``clause`` at the end of an INSERT, before its RETURNING if it has one."""
    body = sql.rstrip().rstrip(";")
    if not has_returning(body):
        return f"{body} {clause}"
    at = body.upper().rfind("RETURNING")  # the statement's own, the last one
    return f"{body[:at]}{clause} {body[at:]}"


def insert_table(sql: str) -> str | None:
    """The table an INSERT writes (for its ``lastrowid``), or None."""
    m = _INSERT_TABLE.match(sql)
    return m.group(1).lower() if m else None


def has_returning(sql: str) -> bool:
    return bool(_RETURNING.search(_strip_quoted(sql)))


# ---- migrations ----------------------------------------------------------------------------

_ROWID_ID = re.compile(r"\bid\s+INTEGER\s+PRIMARY\s+KEY\b", re.IGNORECASE)
_INTEGER = re.compile(r"\bINTEGER\b", re.IGNORECASE)
_REAL = re.compile(r"\bREAL\b", re.IGNORECASE)
_BLOB = re.compile(r"\bBLOB\b", re.IGNORECASE)
_FTS5 = re.compile(
    r"^\s*CREATE\s+VIRTUAL\s+TABLE\s+(\w+)\s+USING\s+fts5\s*\((.*)\)\s*$",
    re.IGNORECASE | re.DOTALL,
)


def split_script(script: str) -> list[str]:
    """The statements of a migration, comments removed (``;`` inside literals kept)."""
    text = "".join(
        "" if i % 2 and p.startswith("--") else p for i, p in enumerate(_QUOTED.split(script))
    )
    statements: list[str] = []
    current = ""
    for i, part in enumerate(_QUOTED.split(text)):
        if i % 2:
            current += part
            continue
        pieces = part.split(";")
        current += pieces[0]
        for piece in pieces[1:]:
            statements.append(current)
            current = piece
    statements.append(current)
    return [s.strip() for s in statements if s.strip()]


def fts5(name: str, columns: str) -> list[str]:
    """SQLite's FTS5 table as PostgreSQL full-text search: the same columns as text, a
    generated ``document`` tsvector over the indexed ones ('simple' configuration: the
    columns already hold normalised Indonesian stems), and a GIN index on it. A query
    ``x MATCH 'a b'`` is ``document @@ plainto_tsquery('simple', 'a b')`` there."""
    cols, indexed = [], []
    for raw in columns.split(","):
        words = raw.split()
        if not words or "=" in raw:
            continue  # tokenize = '...', prefix = '...': options of FTS5 itself
        cols.append(f"{words[0]} TEXT")
        if "UNINDEXED" not in (w.upper() for w in words[1:]):
            indexed.append(f"coalesce({words[0]}, '')")
    doc = " || ' ' || ".join(indexed) or "''"
    return [
        f"CREATE TABLE {name} ({', '.join(cols)}, document tsvector GENERATED ALWAYS AS "
        f"(to_tsvector('simple', {doc})) STORED)",
        f"CREATE INDEX {name}_document ON {name} USING gin (document)",
    ]


def migration(script: str) -> list[str]:
    """A migration written for SQLite, as PostgreSQL statements."""
    out: list[str] = []
    for stmt in split_script(script):
        if _PRAGMA.match(stmt):
            continue  # connection settings of SQLite (foreign_keys, ...)
        fts = _FTS5.match(stmt)
        if fts:
            out += fts5(fts.group(1), fts.group(2))
            continue

        def types(part: str) -> str:
            part = _ROWID_ID.sub("id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", part)
            part = _INTEGER.sub("BIGINT", part)
            part = _REAL.sub("DOUBLE PRECISION", part)
            return _BLOB.sub("BYTEA", part)

        stmt = _outside_quotes(stmt, types)
        out.append(_rewrite(stmt, placeholders=False))
    return out


# SQLite functions the repositories use under names PostgreSQL lacks (module docstring).
# Created (or replaced) at every start, before the migrations.
COMPAT_SQL = [
    """CREATE OR REPLACE FUNCTION lobot_sum_bool(bigint, boolean) RETURNS bigint
       LANGUAGE sql IMMUTABLE AS
       'SELECT CASE WHEN $2 IS NULL THEN $1 ELSE coalesce($1, 0) + $2::int END'""",
    """CREATE OR REPLACE AGGREGATE sum(boolean) (sfunc = lobot_sum_bool, stype = bigint)""",
    # date(time, '+7.00 hours'): the local day of a stored UTC time, as 'YYYY-MM-DD'.
    """CREATE OR REPLACE FUNCTION date(text, text) RETURNS text LANGUAGE sql IMMUTABLE AS
       $$SELECT to_char(($1::timestamptz AT TIME ZONE 'UTC') + $2::interval, 'YYYY-MM-DD')$$""",
    """CREATE OR REPLACE FUNCTION round(double precision, integer) RETURNS double precision
       LANGUAGE sql IMMUTABLE AS 'SELECT round($1::numeric, $2)::double precision'""",
]
