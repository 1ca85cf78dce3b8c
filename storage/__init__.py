"""All SQL of lobot: one repository module per aggregate, over SQLite or PostgreSQL.

The repositories take a connection (``db.reader`` for reads, the ``tx`` of
``db.transaction()`` for writes) and are written once, in SQLite's SQL with ``?``
placeholders. ``storage/db.py`` runs them on SQLite (the default); ``storage/pg.py`` on
PostgreSQL, each statement passing through ``storage/dialect.py``.

New SQL must keep to what the rewrite handles (the full list in storage/dialect.py): no
``INSERT OR REPLACE`` or ``REPLACE INTO`` (write ``ON CONFLICT (...) DO UPDATE``), no
``GLOB``, no integer column used bare as a condition (``WHERE answered = 1``), in
``ON CONFLICT ... DO UPDATE SET`` the table's own columns qualified (``SET last =
ticket_counters.last + 1``: PostgreSQL finds a bare ``last`` ambiguous), string literals
in single quotes, times as ``storage.timefmt.ts`` text, no SQLite function beyond those
PostgreSQL shares and ``dialect.COMPAT_SQL``. Migrations (``storage/migrations/NNN_*.sql``)
are SQLite's; ``dialect.migration`` turns them into PostgreSQL's (types, identity ids,
FTS5). tests/test_dialect.py prepares every SQL constant of storage/ on PostgreSQL and
.ci/run applies every migration there, so SQL that breaks these rules fails by name.
"""
