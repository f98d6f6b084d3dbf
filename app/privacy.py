"""Privacy defaults, applied before gradio, transformers or diffusers are imported: no analytics, no
telemetry, and the model hub offline. Only `launch.py --download` turns the hub on, for that command."""

from __future__ import annotations

import os

OFFLINE_ENV = {
    "GRADIO_ANALYTICS_ENABLED": "False",
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    "HF_DATASETS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "DO_NOT_TRACK": "1",
}


def apply_offline_env() -> None:
    os.environ.update(OFFLINE_ENV)
