"""Durable, atomic file replacement: published status lists, the status store's watermark, the
credentials and images a batch writes.

A file is written to a temporary file in the target's directory, flushed to disk, renamed over
the target, and the directory is flushed too, so that after a power cut the target holds either
the old or the new content, and the rename itself is not lost. Temporary files carry a
recognizable prefix; one left behind by a crash is removed by a later write into the same
directory once it is older than ``STALE_AFTER``.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

__all__ = [
    "STALE_AFTER",
    "TEMPORARY_PREFIX",
    "remove_stale_temporaries",
    "replace_durably",
    "sync_directory",
]

TEMPORARY_PREFIX = ".vcbadge-tmp-"
# A writer holds its temporary file for the milliseconds between creating and renaming it; one
# older than this was left by a process that died. Younger ones may belong to a concurrent
# writer and are left alone (removing them would make that writer's rename fail).
STALE_AFTER = 60.0


def replace_durably(
    target: Path, content: str | bytes, *, mode: int = 0o644, flush_directory: bool = True
) -> None:
    """Replace ``target`` with ``content`` (text is written as UTF-8) atomically and durably.
    ``flush_directory=False`` leaves the directory flush to the caller (one
    :func:`sync_directory` after several files). Raises ``OSError``."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=TEMPORARY_PREFIX)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    if flush_directory:
        sync_directory(target.parent)


def sync_directory(directory: Path) -> None:
    """Flush ``directory``'s entries (a rename) to disk; a no-op where directories cannot be
    opened (Windows, whose rename is durable once it returns)."""
    if os.name == "nt":  # pragma: no cover - POSIX only
        return
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def remove_stale_temporaries(directory: Path, *, now: float | None = None) -> list[Path]:
    """Remove this module's temporary files in ``directory`` older than ``STALE_AFTER``
    seconds (by modification time); returns what was removed. Raises ``OSError``."""
    if not directory.is_dir():
        return []
    cutoff = (time.time() if now is None else now) - STALE_AFTER
    removed = []
    for entry in directory.iterdir():
        if not entry.name.startswith(TEMPORARY_PREFIX) or not entry.is_file():
            continue
        try:
            if entry.stat().st_mtime < cutoff:
                entry.unlink()
                removed.append(entry)
        except FileNotFoundError:  # another publisher removed or renamed it meanwhile
            continue
    return removed
