"""Operations, all off by default: health and metrics over HTTP, daily backup, restore.

Wired explicitly by bot/app.py (the backup scanner, the HTTP server) and bot/__main__.py
(``lobot restore``); importing these modules registers nothing.
"""
