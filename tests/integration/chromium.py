"""Headless Chromium for the report tests (Debian's `chromium`).

`chromium_binary()` finds it; when it is missing and the tests run as root on a machine with apt-get,
it installs it once (`apt-get update && apt-get install -y chromium`); otherwise the calling test is
skipped, saying why. `render()` loads one local file with no network and no profile of its own.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
FLAGS = (
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--enable-logging=stderr", "--v=0", "--hide-scrollbars",
)
# Chromium logs every console message of the page, and uncaught exceptions, as CONSOLE lines
CONSOLE_LINE = re.compile(r"CONSOLE[(:]|Uncaught")


def _find() -> Path | None:
    for candidate in CANDIDATES:
        if Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return Path(candidate)
    found = shutil.which("chromium")
    return Path(found) if found else None


@functools.lru_cache(maxsize=1)
def _install() -> str:
    """Install Debian's chromium once per session; returns why it did not work ('' if it did)."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return "not running as root, so `apt-get install chromium` is not possible"
    if not shutil.which("apt-get"):
        return "no apt-get on this machine"
    env = os.environ | {"DEBIAN_FRONTEND": "noninteractive"}
    wait_for_lock = ["-o", "DPkg::Lock::Timeout=600"]
    for command in (["apt-get", *wait_for_lock, "update"], ["apt-get", *wait_for_lock, "install", "-y", "chromium"]):
        try:
            done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=1800)
        except (OSError, subprocess.TimeoutExpired) as exc:
            return f"`{' '.join(command)}` did not finish: {exc}"
        if done.returncode != 0:
            last = (done.stderr.strip().splitlines() or ["no output"])[-1]
            return f"`{' '.join(command)}` failed: {last}"
    return ""


def chromium_binary() -> Path:
    """The chromium executable, installed if need be; skips the test when that is impossible."""
    found = _find()
    if found is None:
        reason = _install()
        found = _find()
        if found is None:
            pytest.skip(f"headless Chromium unavailable: {reason or 'installed, but not found on PATH'}")
    return found


@dataclass(frozen=True)
class Rendered:
    dom: str  # the DOM after load, serialised
    console: list[str]  # console messages and uncaught errors the page produced
    stderr: str


def render(page: Path, screenshot: Path | None = None, timeout: float = 120) -> Rendered:
    """Load `page` in headless Chromium; returns its DOM after load and its console output. With
    `screenshot`, a 1400x2000 PNG of the page is written there too."""
    binary = chromium_binary()
    url = Path(page).resolve().as_uri()
    with tempfile.TemporaryDirectory(prefix="chromium-profile-") as profile:
        base = [str(binary), *FLAGS, f"--user-data-dir={profile}"]
        done = subprocess.run([*base, "--dump-dom", url], capture_output=True, text=True, timeout=timeout)
        if screenshot is not None:
            subprocess.run([*base, f"--screenshot={screenshot}", "--window-size=1400,2000", url],
                           capture_output=True, text=True, timeout=timeout, check=True)
    if done.returncode != 0:
        raise RuntimeError(f"chromium exited {done.returncode}: {done.stderr[-2000:]}")
    console = [line for line in done.stderr.splitlines() if CONSOLE_LINE.search(line)]
    return Rendered(done.stdout, console, done.stderr)
