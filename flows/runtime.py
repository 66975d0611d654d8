"""Process set-up that must happen before Prefect or Great Expectations is imported: a project-local
PREFECT_HOME, no telemetry, quiet logs unless --debug; in the quality gate's process, Great Expectations'
unused imports deferred; how worker processes start."""

from __future__ import annotations

import gc
import importlib
import importlib.util
import logging
import multiprocessing
import os
import sys
import threading
import types
import warnings
from pathlib import Path

QUIET_LOGGERS = ("prefect", "great_expectations", "distributed", "httpx", "uvicorn", "asyncio", "trafilatura", "htmldate")


def tune_gc() -> None:
    """A batch makes millions of small records and almost no reference cycles; with the default
    thresholds the cycle collector rescans the growing heap again and again (15-50% of a run)."""
    gc.set_threshold(50_000, 20, 100)


# Great Expectations imports these when it starts, for one expectation the suites never use (KL divergence:
# its statistics and its chart); about a third of its import time. They load on first use instead.
GX_UNUSED_IMPORTS = ("scipy.stats", "altair")
# ... and SQLAlchemy, an optional dependency of GX (Prefect's), for SQL data sources: a gate that checks
# pandas frames hides it, and GX starts without its SQL support (0.3 s sooner).
GX_HIDDEN_IMPORTS = ("sqlalchemy",)
_DEFER_LOCK = threading.Lock()


class _DeferredModule(types.ModuleType):
    """Stands in sys.modules for a module until one of its attributes is read, then imports it for real
    (and takes on its attributes, for whoever kept a reference to the stand-in)."""

    def __getattr__(self, attr: str):
        with _DEFER_LOCK:
            if sys.modules.get(self.__name__) is self:
                del sys.modules[self.__name__]
            module = importlib.import_module(self.__name__)
            self.__dict__.update(module.__dict__)
        return getattr(module, attr)


def defer_imports(names: tuple[str, ...]) -> None:
    """`import name` binds a stand-in that imports the module on first use (modules already imported or
    not installed are left alone)."""
    for name in names:
        if name in sys.modules or importlib.util.find_spec(name) is None:
            continue
        stand_in = _DeferredModule(name)
        stand_in.__spec__ = importlib.util.find_spec(name)  # `import` checks the spec of a module it finds
        sys.modules[name] = stand_in


def worker_context() -> multiprocessing.context.BaseContext:
    """How worker processes start: from a fork server (the flow process runs threads, Prefect's, which
    fork() would copy half-locked)."""
    return multiprocessing.get_context("forkserver")


def prepare_gx_imports() -> None:
    """In the gate's process, before Great Expectations is imported: its unused imports deferred, its
    SQL support hidden (unless something imported SQLAlchemy already)."""
    defer_imports(GX_UNUSED_IMPORTS)
    for name in GX_HIDDEN_IMPORTS:
        sys.modules.setdefault(name, None)  # `import name` now raises ImportError


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
