FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    LOBOT_DATABASE=/data/lobot.sqlite3

WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY handlers ./handlers
COPY storage ./storage
COPY messages ./messages
COPY config ./config
RUN pip install --no-cache-dir . \
    && useradd --system --uid 10001 --home /app lobot \
    && mkdir -p /data && chown lobot /data

USER lobot
VOLUME ["/data"]
# TELEGRAM_BOT_TOKEN and LOBOT_ADMIN_IDS come from the environment at run time.
# umask 077: whatever the bot or SQLite creates (database, WAL, reports) is owner-only.
ENTRYPOINT ["/bin/sh", "-c", "umask 077 && exec lobot \"$@\"", "lobot"]
CMD ["run"]
