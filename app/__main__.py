"""`python -m app` starts the studio with settings.toml (and STORYREEL_* overrides)."""

from __future__ import annotations

import logging
import sys

from app.settings import SettingsError, load_settings


def main() -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        settings = load_settings()
    except SettingsError as err:
        print(f"Storyreel cannot start: {err}", file=sys.stderr)
        return 2
    from app.server import serve

    serve(settings)
    return 0


if __name__ == "__main__":
    sys.exit(main())
