"""Batch issuing throughput: credentials per second for a roster (default 1,000 rows).

    python benchmarks/batch_issue.py [--rows N] [--status] [--rounds R]

Runs ``vcbadge issue --batch`` in-process, as a user would, into a fresh temporary directory
each round, twice: signing only (credential files and the manifest), then also baking each
credential into a PNG badge image. With ``--status`` every credential also gets a status list
entry from a fresh SQLite status store (one durable transaction per allocation). Every file
and manifest line is flushed to disk, so the figures include the storage's fsync cost.

Prints the median over the rounds; a figure, not a test (nothing here asserts a speed).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import struct
import sys
import tempfile
import time
import zlib
from pathlib import Path

from vcbadge.cli import main
from vcbadge.keys import Ed25519Key, save_key
from vcbadge.store import SQLiteStatusStore

ACHIEVEMENT = {
    "id": "https://badges.example.edu/achievements/python-101",
    "type": ["Achievement"],
    "name": "Python 101",
    "description": "Wrote, tested and packaged a small Python program.",
    "criteria": {"narrative": "Pass the final project with at least 60%."},
    "image": {"id": "https://badges.example.edu/images/python-101.png", "type": "Image"},
}


def _png(side: int = 256) -> bytes:
    """An RGB badge image of ``side`` pixels square (about the size of a real badge's)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = bytes((x * 7) % 256 for x in range(side * 3))
    raw = b"".join(b"\x00" + row for _ in range(side))
    header = struct.pack(">IIBBBBB", side, side, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def _prepare(directory: Path, rows: int, *, status: bool) -> list[str]:
    save_key(Ed25519Key.from_seed(bytes(range(32))), directory / "key.json")
    (directory / "achievement.json").write_text(json.dumps(ACHIEVEMENT), encoding="utf-8")
    lines = ["id,email"] + [f"s{n:05},student{n}@example.org" for n in range(rows)]
    (directory / "roster.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (directory / "badge.png").write_bytes(_png())
    argv = [
        "issue", "--batch", str(directory / "roster.csv"),
        "--template", str(directory / "achievement.json"),
        "--key", str(directory / "key.json"), "--out-dir", str(directory / "out"), "--json",
    ]  # fmt: skip
    if status:
        SQLiteStatusStore.create(
            directory / "status.db", base_url="https://badges.example.edu/status"
        ).close()
        argv += ["--status-store", str(directory / "status.db")]
    return argv


def _one_round(rows: int, *, bake: bool, status: bool) -> float:
    with tempfile.TemporaryDirectory(prefix="vcbadge-batch-bench-") as name:
        directory = Path(name)
        argv = _prepare(directory, rows, status=status)
        if bake:
            argv += ["--bake", str(directory / "badge.png")]
        output = io.StringIO()
        start = time.perf_counter()
        with contextlib.redirect_stdout(output):
            code = main(argv)
        elapsed = time.perf_counter() - start
        report = json.loads(output.getvalue())
        if code != 0 or report["issued"] != rows:
            sys.exit(f"the batch did not issue every row: exit {code}, {report}")
        return elapsed


def main_(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--status", action="store_true", help="also allocate status entries")
    args = parser.parse_args(argv)
    print(f"{args.rows} rows, median of {args.rounds} rounds, status entries: {args.status}")
    for label, bake in (("sign only", False), ("sign + bake PNG", True)):
        times = sorted(
            _one_round(args.rows, bake=bake, status=args.status) for _ in range(args.rounds)
        )
        median = times[len(times) // 2]
        print(f"  {label:16} {median:7.2f} s  {args.rows / median:8.1f} credentials/s")


if __name__ == "__main__":
    main_()
