"""Process set-up that must happen before Prefect or Great Expectations is imported: a project-local
PREFECT_HOME, no telemetry, and quiet logs unless --debug."""

from __future__ import annotations

import gc
import logging
import os
import warnings
from pathlib import Path

QUIET_LOGGERS = ("prefect", "great_expectations", "distributed", "httpx", "uvicorn", "asyncio", "trafilatura", "htmldate")


def tune_gc() -> None:
    """A batch makes millions of small records and almost no reference cycles; with the default
    thresholds the cycle collector rescans the growing heap again and again (15-50% of a run)."""
    gc.set_threshold(50_000, 20, 100)


def configure(warehouse: Path, debug: bool = False) -> None:
    tune_gc()
    home = os.environ.get("PREFECT_HOME") or str(Path(warehouse).resolve().parent / ".prefect")
    os.environ["PREFECT_HOME"] = home
    defaults = {
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_UI_ENABLED": "false",
        "PREFECT_SERVER_UI_ENABLED": "false",
        "PREFECT_CLOUD_ENABLE_ORCHESTRATION_TELEMETRY": "false",
        "PREFECT_RESULTS_PERSIST_BY_DEFAULT": "false",
        "PREFECT_LOGGING_TO_API_BATCH_INTERVAL": "0.5",
        "GX_ANALYTICS_ENABLED": "False",
        "TQDM_DISABLE": "1",
        "DO_NOT_TRACK": "1",
    }
    for key, value in defaults.items():
        os.environ.setdefault(key, value)
    if debug:
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO")
        return
    os.environ["PREFECT_LOGGING_LEVEL"] = "CRITICAL"
    os.environ["PREFECT_LOGGING_SERVER_LEVEL"] = "CRITICAL"
    os.environ["PREFECT_SERVER_LOGGING_LEVEL"] = "CRITICAL"
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(logging.CRITICAL)
    warnings.filterwarnings("ignore")
