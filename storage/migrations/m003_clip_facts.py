"""m003_clip_facts: what ffmpeg read of a clip (duration, size, rate, streams, codec signature), kept with the
clip, so the first assembly after a restart reads no clip again. Empty for clips made before: they are read
once at their next assembly and their facts stored then."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection

NAME = "m003_clip_facts"


def apply(conn: Connection) -> None:
    conn.execute(text("ALTER TABLE clips ADD COLUMN facts_json VARCHAR NOT NULL DEFAULT ''"))
