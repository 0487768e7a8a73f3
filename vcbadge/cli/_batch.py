"""``vcbadge issue --batch ROSTER --template ACHIEVEMENT.json --out-dir DIR``: one badge per row.

The ``issue`` command parses the options and builds the ``Issuer`` (with its status store, if
any); :func:`run_batch` does the rest:

- reads the roster (``.csv`` with a header row, or ``.jsonl``/``.ndjson``) and the template
  achievement, and the image to bake with ``--bake``;
- issues one credential per row (``Issuer.issue_many``) and writes, for each, ``DIR/NAME.json``
  (and ``DIR/NAME.png`` or ``.svg`` when baking), then appends a line to ``DIR/manifest.jsonl``:
  the row's key, the credential id, its files, its status list entries;
- skips every row whose key the manifest already has, so a re-run (after a crash, a kill, or
  with new rows added to the roster) issues only what is missing;
- reports each row that fails on its own line (stderr, or in the ``--json`` summary) and goes on
  with the next; exits 0 when every row was issued or skipped, 65 when some failed.

Crash safety: each file is written to a temporary file, flushed to disk and renamed; the
manifest line, appended and flushed last, is what makes a row "issued". A run killed between
the two leaves files the manifest does not name: the re-run issues that row again (a new
credential id and status index; the unused index is never set) and replaces those files. A
manifest line cut short by the kill is dropped. Two runs into one directory at once are refused
(an exclusive lock on the manifest).
"""

from __future__ import annotations

import argparse
import dataclasses
import hashlib
import json
import multiprocessing
import os
import re
import sys
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from tqdm import tqdm

from vcbadge.atomic_files import replace_durably, sync_directory
from vcbadge.bake import bake, image_kind
from vcbadge.cli._exit import EX_CANTCREAT, EX_DATAERR, EX_OK, EX_USAGE, CliError
from vcbadge.cli._io import (
    describe_error,
    dumps_pretty,
    read_bytes,
    read_json_object,
    write_stdout_utf8,
)
from vcbadge.cli._remedies import ISSUE_REMEDIES, with_flag_remedy
from vcbadge.errors import InputError, ModelError, VcbadgeError
from vcbadge.issue import Issuer
from vcbadge.issue.batch import (
    DEFAULT_KEY_COLUMN,
    BatchFailure,
    BatchIssued,
    BatchSkipped,
    RosterFormat,
    RosterRow,
    awards,
    parse_roster,
)
from vcbadge.model.achievement import Achievement

__all__ = ["MANIFEST_NAME", "run_batch"]

#: The manifest's file name in the output directory.
MANIFEST_NAME = "manifest.jsonl"

_FORMATS: dict[str, RosterFormat] = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}
# A class list, even a whole university's, is far below this; the cap stops a wrong file
# (a video, a database dump) from being read into memory.
_MAX_ROSTER_BYTES = 64 * 1024 * 1024
_MAX_IMAGE_BYTES = 16 * 1024 * 1024
_SAFE_STEM = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")


def run_batch(args: argparse.Namespace, issuer: Issuer) -> int:
    """Issue a badge per row of ``args.batch`` with ``issuer``; see the module docstring.

    Reads ``args.batch``, ``args.template``, ``args.out_dir``, ``args.key_column`` (default
    ``id``), ``args.bake`` (optional) and ``args.json``. Raises ``CliError`` for what stops the
    whole batch (an unreadable roster or template, a damaged or busy manifest, a status store
    that refuses to allocate, a file that cannot be written).
    """
    as_json = bool(getattr(args, "json", False))
    key_column = getattr(args, "key_column", None) or DEFAULT_KEY_COLUMN
    if not getattr(args, "template", None):
        raise CliError("--batch needs --template ACHIEVEMENT.json", EX_USAGE)
    if not getattr(args, "out_dir", None):
        raise CliError("--batch needs --out-dir DIR (where the badges are written)", EX_USAGE)
    rows = _read_roster(args.batch)
    achievement = _read_template(args.template)
    image = _read_image(args.bake) if getattr(args, "bake", None) else None
    out_dir = Path(args.out_dir)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CliError(f"{out_dir}: cannot create: {exc.strerror or exc}", EX_CANTCREAT) from None

    # "spawn": a forked child would inherit this process's threads and locks (tqdm's among them).
    workers: int = getattr(args, "workers", 1)
    pool = (
        ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn"))
        if workers > 1
        else None
    )
    issued = skipped = 0
    failures: list[BatchFailure] = []
    show_bar = not as_json and sys.stderr.isatty()
    try:
        with (
            _Manifest.open(out_dir / MANIFEST_NAME) as manifest,
            tqdm(
                total=len(rows), disable=not show_bar, file=sys.stderr, unit="row", desc="issuing"
            ) as bar,
        ):
            outcomes = issuer.issue_many(
                # A snapshot: a key recorded during this run is a duplicate, not "issued before".
                awards(rows, achievement, key_column=key_column),
                skip=frozenset(manifest.keys),
                executor=pool,
            )
            try:
                for outcome in outcomes:
                    if isinstance(outcome, BatchIssued):
                        manifest.append(_write_badge(out_dir, outcome, image))
                        issued += 1
                    elif isinstance(outcome, BatchSkipped):
                        skipped += 1
                    else:
                        # The library's remedy in Python terms becomes the flag's.
                        worded = with_flag_remedy(outcome.code, outcome.message, ISSUE_REMEDIES)
                        outcome = dataclasses.replace(outcome, message=worded)
                        failures.append(outcome)
                        if not as_json:
                            tqdm.write(f"{args.batch}: {outcome.describe()}", file=sys.stderr)
                    bar.update(1)
            except VcbadgeError as error:
                raise CliError(
                    f"the batch stopped after {issued} new badges (re-run it to go on): "
                    f"{describe_error(error)}",
                    EX_DATAERR,
                ) from None
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    _report(args, manifest.path, issued=issued, skipped=skipped, failures=failures)
    return EX_DATAERR if failures else EX_OK


def _report(
    args: argparse.Namespace,
    manifest: Path,
    *,
    issued: int,
    skipped: int,
    failures: list[BatchFailure],
) -> None:
    if getattr(args, "json", False):
        document = {
            "issued": issued,
            "skipped": skipped,
            "failed": len(failures),
            "manifest": str(manifest),
            "errors": [
                {
                    "line": failure.line,
                    "key": failure.key,
                    "code": failure.code,
                    "message": failure.message,
                    "path": failure.path,
                }
                for failure in failures
            ],
        }
        write_stdout_utf8(dumps_pretty(document))
        return
    print(
        f"issued {issued}, skipped {skipped} (already issued), failed {len(failures)}; "
        f"manifest: {manifest}"
    )
    sys.stdout.flush()


# -- inputs ---------------------------------------------------------------------------------


def _read_roster(source: str) -> list[RosterRow | BatchFailure]:
    roster_format = _FORMATS.get(Path(source).suffix.lower())
    if roster_format is None:
        raise CliError(
            f"{source}: a roster is a .csv file (with a header row) or a .jsonl file", EX_USAGE
        )
    data = read_bytes(source, limit=_MAX_ROSTER_BYTES)
    if len(data) > _MAX_ROSTER_BYTES:
        raise CliError(
            f"{source}: larger than {_MAX_ROSTER_BYTES // (1024 * 1024)} MiB [roster_invalid]",
            EX_DATAERR,
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CliError(f"{source}: not UTF-8 text: {exc} [roster_invalid]", EX_DATAERR) from None
    try:
        return list(parse_roster(text, format=roster_format))
    except InputError as error:
        raise CliError(f"{source}: {describe_error(error)}", EX_DATAERR) from None


def _read_template(source: str) -> Achievement:
    document = read_json_object(source, what="an achievement (a JSON object)")
    if "credentialSubject" in document:
        raise CliError(
            f"{source}: is a credential; --template takes the achievement to award (the "
            "object that goes in credentialSubject.achievement) [template_invalid]",
            EX_DATAERR,
        )
    try:
        achievement = Achievement.from_json(document)
    except ModelError as error:
        raise CliError(
            f"{source}: not an achievement: {describe_error(error)}", EX_DATAERR
        ) from None
    return achievement


def _read_image(source: str) -> bytes:
    image = read_bytes(source, limit=_MAX_IMAGE_BYTES)
    if len(image) > _MAX_IMAGE_BYTES or image_kind(image) is None:
        raise CliError(
            f"{source}: not a PNG or SVG image of at most 16 MiB [not_an_image]", EX_DATAERR
        )
    return image


# -- outputs --------------------------------------------------------------------------------


def _file_stem(key: str) -> str:
    """The file name (without extension) of the badge of the row keyed ``key``: the key itself
    when it is short, lower case and plain; otherwise a plain rendering of it followed by a
    hash of the key, so that no two keys share a file, even on a file system that ignores
    case, and no key escapes the output directory."""
    if _SAFE_STEM.match(key):
        return key
    plain = re.sub(r"[^a-z0-9_-]+", "_", key.lower()).strip("_")[:48] or "row"
    return f"{plain}-{hashlib.sha256(key.encode('utf-8')).hexdigest()[:12]}"


def _write_badge(out_dir: Path, outcome: BatchIssued, image: bytes | None) -> dict[str, Any]:
    """Write the credential (and its baked image) durably; the manifest entry naming them."""
    stem = _file_stem(outcome.key)
    entry: dict[str, Any] = {
        "key": outcome.key,
        "credentialId": outcome.credential_id,
        "file": f"{stem}.json",
    }
    try:
        replace_durably(
            out_dir / entry["file"], dumps_pretty(outcome.credential), flush_directory=False
        )
        if image is not None:
            entry["image"] = f"{stem}.{image_kind(image)}"
            try:
                baked = bake(image, outcome.credential)
            except VcbadgeError as error:
                raise CliError(
                    f"cannot bake the badge of {outcome.key}: {describe_error(error)}", EX_DATAERR
                ) from None
            replace_durably(out_dir / entry["image"], baked, flush_directory=False)
        sync_directory(out_dir)
    except OSError as exc:
        raise CliError(
            f"{out_dir}: cannot write the badge of {outcome.key}: {exc.strerror or exc}",
            EX_CANTCREAT,
        ) from None
    entry["status"] = [
        {
            name: status[name]
            for name in ("statusPurpose", "statusListIndex", "statusListCredential")
            if name in status
        }
        for status in outcome.status
    ]
    entry["validFrom"] = outcome.credential.get("validFrom")
    return entry


class _Manifest:
    """The append-only record of the rows issued into one directory, held locked."""

    def __init__(self, path: Path, stream: IO[bytes], keys: set[str]) -> None:
        self.path = path
        self.keys = keys
        self._stream = stream

    @classmethod
    @contextmanager
    def open(cls, path: Path) -> Iterator[_Manifest]:
        created = not path.exists()
        try:
            stream = open(path, "a+b")  # noqa: SIM115 - closed below, after the lock
        except OSError as exc:
            raise CliError(f"{path}: cannot open: {exc.strerror or exc}", EX_CANTCREAT) from None
        try:
            _lock(stream, path)
            if created:
                sync_directory(path.parent)
            yield cls(path, stream, _load(stream, path))
        finally:
            stream.close()

    def append(self, entry: dict[str, Any]) -> None:
        """Record ``entry`` durably: once this returns, the row counts as issued."""
        line = json.dumps(entry, ensure_ascii=False, separators=(",", ":")) + "\n"
        try:
            self._stream.write(line.encode("utf-8"))
            self._stream.flush()
            os.fsync(self._stream.fileno())
        except OSError as exc:
            raise CliError(
                f"{self.path}: cannot record {entry['key']}: {exc.strerror or exc}", EX_CANTCREAT
            ) from None
        self.keys.add(entry["key"])


def _lock(stream: IO[bytes], path: Path) -> None:
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: no advisory lock, one run at a time
        return
    try:
        fcntl.flock(stream.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise CliError(
            f"{path}: another batch is writing to this directory [batch_busy]", EX_CANTCREAT
        ) from None


def _load(stream: IO[bytes], path: Path) -> set[str]:
    """The keys recorded in the manifest. A last line without its newline was cut short by a
    killed run: it is removed (its row is issued again). Any other damage is refused, since
    a row the manifest forgets would be issued twice."""
    stream.seek(0)
    data = stream.read()
    complete, _, torn = data.rpartition(b"\n")
    if torn:
        stream.truncate(len(data) - len(torn))
        stream.flush()
        os.fsync(stream.fileno())
    keys: set[str] = set()
    for number, raw in enumerate(complete.split(b"\n") if complete else [], start=1):
        try:
            entry = json.loads(raw.decode("utf-8"))
            key = entry["key"]
            if not isinstance(key, str) or not isinstance(entry["credentialId"], str):
                raise TypeError("key and credentialId must be strings")
        except (ValueError, KeyError, TypeError) as exc:
            raise CliError(
                f"{path}: line {number} is damaged ({exc}); restore the manifest from a backup, "
                "or rows would be issued twice [manifest_damaged]",
                EX_DATAERR,
            ) from None
        keys.add(key)
    return keys
