"""discover: list the files under the sources and decide what is new, changed, unchanged or missing.

`scan_sources` only stats the file system; `plan_work` is pure and decides from the warehouse's own
record (size + mtime first; the parse stage confirms a changed stamp with the content hash).
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from flows.models import Reject, SourceFile

ARTICLE_SUFFIXES = frozenset({".txt", ".text", ".md", ".markdown", ".html", ".htm"})
DEFAULT_MAX_BYTES = 5 * 1024 * 1024


class KnownFile(NamedTuple):
    """What the warehouse remembers of a path from earlier runs (a tuple: a run reads one per file)."""

    path: str
    size_bytes: int
    mtime_ns: int
    content_hash: str | None
    article_id: str | None
    status: str  # 'ok' | 'rejected' | 'missing'
    first_seen_run: str | None = None
    last_changed_run: str | None = None


@dataclass
class Scan:
    files: list[SourceFile] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)
    roots: list[str] = field(default_factory=list)


@dataclass
class WorkPlan:
    """What this run must do, decided before any file is read."""

    to_read: list[SourceFile] = field(default_factory=list)  # new, or stamp changed
    unchanged: list[SourceFile] = field(default_factory=list)
    missing: list[KnownFile] = field(default_factory=list)
    rejects: list[Reject] = field(default_factory=list)  # found wrong while scanning, new since last run
    n_rejects_unchanged: int = 0

    @property
    def n_seen(self) -> int:
        return len(self.to_read) + len(self.unchanged) + len(self.rejects) + self.n_rejects_unchanged


def _is_article_name(name: str) -> bool:
    dot = name.rfind(".")  # Path(name).suffix, without building a Path per file
    return 0 < dot < len(name) - 1 and name[dot:].lower() in ARTICLE_SUFFIXES


def _reject(path: str, reason: str, detail: str, st: os.stat_result | None = None) -> Reject:
    return Reject(
        path=path,
        source_name=os.path.basename(path),
        reason=reason,
        detail=detail,
        size_bytes=st.st_size if st else None,
        mtime_ns=st.st_mtime_ns if st else None,
    )


def _scan_entry(path: str, max_bytes: int, scan: Scan, name: str | None = None) -> None:
    name = name or os.path.basename(path)
    try:
        st = os.stat(path)  # the one stat per file: type, size and mtime all come from it
    except FileNotFoundError:
        if os.path.islink(path):
            scan.rejects.append(_reject(path, "dangling_link", f"symbolic link to missing {os.readlink(path)!r}"))
        return
    except OSError as exc:
        scan.rejects.append(_reject(path, "unreadable", exc.strerror or str(exc)))
        return
    if stat.S_ISDIR(st.st_mode):
        if _is_article_name(name):
            scan.rejects.append(_reject(path, "not_a_file", "a directory named like an article", st))
        else:
            _scan_dir(path, max_bytes, scan)
        return
    if not stat.S_ISREG(st.st_mode):
        scan.rejects.append(_reject(path, "not_a_file", "not a regular file"))
        return
    if not _is_article_name(name):
        scan.rejects.append(
            _reject(path, "unsupported_type", f"suffix not one of {sorted(ARTICLE_SUFFIXES)}", st)
        )
        return
    if st.st_size > max_bytes:
        scan.rejects.append(_reject(path, "too_large", f"{st.st_size} bytes > limit {max_bytes}", st))
        return
    scan.files.append(SourceFile(path=path, source_name=name, size_bytes=st.st_size, mtime_ns=st.st_mtime_ns))


def _scan_dir(folder: str, max_bytes: int, scan: Scan) -> None:
    names = sorted(name for name in os.listdir(folder) if not name.startswith("."))
    prefix = os.path.join(folder, "")
    for name in names:
        _scan_entry(prefix + name, max_bytes, scan, name)


def scan_sources(sources: list[str | Path], max_bytes: int = DEFAULT_MAX_BYTES) -> Scan:
    """Stat every article-like file under `sources` (folders are walked, hidden names skipped)."""
    scan = Scan()
    for source in sources:
        root = os.path.abspath(source)
        scan.roots.append(root)
        if not os.path.lexists(root):
            raise FileNotFoundError(f"source {source} does not exist")
        _scan_entry(root, max_bytes, scan)
    return scan


def _under(path: str, roots: list[str]) -> bool:
    return any(path == root or path.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


def plan_work(scan: Scan, known: dict[str, KnownFile], full_refresh: bool = False, reread: bool = False) -> WorkPlan:
    """Decide per file: read it (new or stamp changed), skip it (same size and mtime), or note it missing.
    `reread` (the parser changed) reads every stored file again."""
    plan = WorkPlan()
    if full_refresh:
        known = {}
    for src in scan.files:
        prior = known.get(src.path)
        same_stamp = prior and prior.size_bytes == src.size_bytes and prior.mtime_ns == src.mtime_ns
        if same_stamp and prior.status == "ok" and not reread:
            plan.unchanged.append(src)
        elif same_stamp and prior.status == "rejected":
            plan.n_rejects_unchanged += 1
        else:
            plan.to_read.append(src)
    for rej in scan.rejects:
        prior = known.get(rej.path)
        same_stamp = prior and (prior.size_bytes, prior.mtime_ns) == (rej.size_bytes or 0, rej.mtime_ns or 0)
        if same_stamp and prior.status == "rejected":
            plan.n_rejects_unchanged += 1
        else:
            plan.rejects.append(rej)
    present = {f.path for f in scan.files} | {r.path for r in scan.rejects}
    plan.missing = [
        k for k in known.values() if k.status != "missing" and k.path not in present and _under(k.path, scan.roots)
    ]
    return plan
