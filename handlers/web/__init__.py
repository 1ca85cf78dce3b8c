"""The web side of the bot: one aiohttp application on the bot's event loop.

``server`` runs it (listeners, security headers, errors), ``ops`` answers /healthz and
/metrics, ``dashboard`` serves the Mini App and its API. Wired in bot/app.py.
"""
