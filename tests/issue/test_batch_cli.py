"""``vcbadge issue --batch``: files, manifest, baking, idempotent re-runs, crash recovery, the
per-row report and the progress bar (vcbadge.cli._batch)."""

from __future__ import annotations

import fcntl
import io
import json
import sys
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from badge_images import make_png, make_svg

from vcbadge import FixedClock, Verifier
from vcbadge.bake import unbake
from vcbadge.cli import main
from vcbadge.keys import Ed25519Key, save_key
from vcbadge.store import SQLiteStatusStore

BASE = "https://badges.example.edu/status"
ACHIEVEMENT = {
    "id": "https://badges.example.edu/achievements/py101",
    "type": ["Achievement"],
    "name": "Python 101",
    "description": "Wrote and tested a small Python program.",
    "criteria": {"narrative": "Pass the final project."},
}


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    def run(*argv: str | Path) -> Run:
        capsys.readouterr()
        code = main([str(arg) for arg in argv])
        captured = capsys.readouterr()
        assert "Traceback" not in captured.err
        return Run(code, captured.out, captured.err)

    return run


@pytest.fixture
def setup(tmp_path: Path) -> Path:
    """A key, a status store, the template and a 5-row roster in ``tmp_path``."""
    save_key(Ed25519Key.from_seed(bytes([9]) * 32), tmp_path / "key.json")
    SQLiteStatusStore.create(tmp_path / "status.db", base_url=BASE).close()
    (tmp_path / "achievement.json").write_text(json.dumps(ACHIEVEMENT), encoding="utf-8")
    rows = ["id,email,did"] + [f"s{n},student{n}@example.org," for n in range(1, 5)]
    rows.append("s5,,did:example:s5")
    (tmp_path / "roster.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    (tmp_path / "badge.png").write_bytes(make_png())
    return tmp_path


def _batch(cli, where: Path, *extra: str | Path, roster: str = "roster.csv") -> Run:  # type: ignore[no-untyped-def]
    return cli(
        "issue", "--batch", where / roster, "--template", where / "achievement.json",
        "--key", where / "key.json", "--status-store", where / "status.db",
        "--out-dir", where / "out", *extra,
    )  # fmt: skip


def _manifest(where: Path) -> list[dict[str, Any]]:
    text = (where / "out" / "manifest.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines()]


def test_a_batch_writes_a_badge_per_row_bakes_and_records_a_manifest(cli, setup: Path) -> None:
    run = _batch(cli, setup, "--bake", setup / "badge.png")
    assert run.code == 0, run.err
    assert run.out.strip() == (
        f"issued 5, skipped 0 (already issued), failed 0; manifest: {setup / 'out/manifest.jsonl'}"
    )
    assert run.err == ""  # not a terminal: no progress bar
    entries = _manifest(setup)
    assert [e["key"] for e in entries] == ["s1", "s2", "s3", "s4", "s5"]
    with SQLiteStatusStore(setup / "status.db") as store:
        for entry in entries:
            credential = json.loads((setup / "out" / entry["file"]).read_text(encoding="utf-8"))
            assert credential["id"] == entry["credentialId"]
            record = store.record(entry["credentialId"])
            assert entry["status"] == [
                {
                    "statusPurpose": "revocation",
                    "statusListIndex": str(record.index),
                    "statusListCredential": f"{BASE}/revocation/1.json",
                }
            ]
            assert entry["image"] == f"{entry['key']}.png"
            assert json.loads(unbake((setup / "out" / entry["image"]).read_bytes())) == credential


def test_a_re_run_issues_only_the_rows_not_issued_yet(cli, setup: Path) -> None:
    assert _batch(cli, setup).code == 0
    first = _manifest(setup)
    files = {e["file"]: (setup / "out" / e["file"]).read_bytes() for e in first}

    again = _batch(cli, setup, "--json")
    assert again.code == 0
    assert again.json() | {"manifest": None} == {
        "issued": 0, "skipped": 5, "failed": 0, "manifest": None, "errors": [],
    }  # fmt: skip
    assert _manifest(setup) == first
    assert all((setup / "out" / name).read_bytes() == data for name, data in files.items())

    with (setup / "roster.csv").open("a", encoding="utf-8") as roster:
        roster.write("s6,student6@example.org,\n")
    grown = _batch(cli, setup, "--json")
    assert (grown.json()["issued"], grown.json()["skipped"]) == (1, 5)
    assert [e["key"] for e in _manifest(setup)] == ["s1", "s2", "s3", "s4", "s5", "s6"]
    with SQLiteStatusStore(setup / "status.db") as store:
        assert len(list(store.iter_records())) == 6


def test_a_run_killed_mid_write_is_completed_by_a_re_run(cli, setup: Path) -> None:
    """The manifest line is the commit: a line cut short, and files it never named, are what a
    killed run leaves; the re-run drops the torn line and issues that row again."""
    assert _batch(cli, setup).code == 0
    manifest = setup / "out" / "manifest.jsonl"
    lines = manifest.read_text(encoding="utf-8").splitlines(keepends=True)
    manifest.write_text("".join(lines[:3]) + lines[3][:25], encoding="utf-8")
    again = _batch(cli, setup, "--json")
    assert again.code == 0, again.err
    assert (again.json()["issued"], again.json()["skipped"]) == (2, 3)
    entries = _manifest(setup)
    assert [e["key"] for e in entries] == ["s1", "s2", "s3", "s4", "s5"]
    assert manifest.read_text(encoding="utf-8").endswith("\n")
    assert not [p for p in (setup / "out").iterdir() if p.name.startswith(".vcbadge")]


def test_a_damaged_manifest_is_refused_before_anything_is_issued(cli, setup: Path) -> None:
    assert _batch(cli, setup).code == 0
    manifest = setup / "out" / "manifest.jsonl"
    lines = manifest.read_text(encoding="utf-8").splitlines(keepends=True)
    manifest.write_text(lines[0] + "{not json}\n" + "".join(lines[1:]), encoding="utf-8")
    refused = _batch(cli, setup)
    assert refused.code == 65
    assert "line 2 is damaged" in refused.err
    assert "[manifest_damaged]" in refused.err
    with SQLiteStatusStore(setup / "status.db") as store:
        assert len(list(store.iter_records())) == 5


def test_two_runs_into_one_directory_at_once_are_refused(cli, setup: Path) -> None:
    (setup / "out").mkdir()
    with (setup / "out" / "manifest.jsonl").open("a+b") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        busy = _batch(cli, setup)
    assert busy.code == 73
    assert "[batch_busy]" in busy.err
    with SQLiteStatusStore(setup / "status.db") as store:
        assert list(store.iter_records()) == []


def test_bad_rows_are_reported_one_line_each_and_the_rest_issued(cli, setup: Path) -> None:
    (setup / "bad.csv").write_text(
        "id,email,did\ns1,ada@example.org,\ns2,not-an-email,\n,nokey@example.org,\n"
        "s4,,\ns1,again@example.org,\ns6,ok@example.org,\n",
        encoding="utf-8",
    )
    run = _batch(cli, setup, roster="bad.csv")
    assert run.code == 65
    assert run.out.startswith("issued 2, skipped 0 (already issued), failed 4;")
    report = run.err.splitlines()
    assert [line.rsplit("[", 1)[1] for line in report] == [
        "invalid_email]", "missing_key]", "missing_recipient]", "duplicate_key]",
    ]  # fmt: skip
    assert report[0].startswith(f"{setup / 'bad.csv'}: line 3 (s2): ")
    as_json = _batch(cli, setup, "--json", roster="bad.csv").json()
    assert as_json["skipped"] == 2
    assert [(e["line"], e["key"], e["code"]) for e in as_json["errors"]] == [
        (3, "s2", "invalid_email"),
        (4, None, "missing_key"),
        (5, "s4", "missing_recipient"),
        (6, "s1", "duplicate_key"),
    ]


def test_jsonl_roster_a_chosen_key_column_and_an_svg_image(cli, setup: Path) -> None:
    rows = [{"student": "A/1", "email": "a@example.org"}, {"student": "b1", "did": "did:ex:b"}]
    (setup / "roster.jsonl").write_text(
        "".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8"
    )
    (setup / "badge.svg").write_bytes(make_svg())
    run = _batch(
        cli, setup, "--key-column", "student", "--bake", setup / "badge.svg", roster="roster.jsonl"
    )
    assert run.code == 0, run.err
    entries = _manifest(setup)
    assert [e["key"] for e in entries] == ["A/1", "b1"]
    # A key that is not a plain lower-case name gets a file name of its own, inside out/.
    assert entries[0]["file"].startswith("a_1-")
    assert entries[0]["file"].endswith(".json")
    assert entries[1]["file"] == "b1.json"
    assert entries[1]["image"] == "b1.svg"
    assert all((setup / "out" / e["file"]).is_file() for e in entries)


@pytest.mark.parametrize(
    ("template", "code", "expected"),
    [
        ({"credentialSubject": {}}, 65, "[template_invalid]"),
        ({k: v for k, v in ACHIEVEMENT.items() if k != "criteria"}, 65, "not an achievement"),
        ([1, 2], 65, "[not_an_object]"),
    ],
    ids=["a-credential", "no-criteria", "not-an-object"],
)
def test_a_bad_template_stops_before_any_row(
    cli, setup: Path, template: Any, code: int, expected: str
) -> None:
    (setup / "achievement.json").write_text(json.dumps(template), encoding="utf-8")
    run = _batch(cli, setup)
    assert run.code == code
    assert expected in run.err
    assert not (setup / "out").exists()


def test_inputs_that_stop_the_batch(cli, setup: Path) -> None:
    (setup / "roster.txt").write_text("id,email\n", encoding="utf-8")
    assert _batch(cli, setup, roster="roster.txt").code == 64
    (setup / "latin1.csv").write_bytes("id,email\ns1,é@example.org\n".encode("latin-1"))
    not_utf8 = _batch(cli, setup, roster="latin1.csv")
    assert (not_utf8.code, "[roster_invalid]" in not_utf8.err) == (65, True)
    (setup / "no-header.csv").write_text("", encoding="utf-8")
    empty = _batch(cli, setup, roster="no-header.csv")
    assert (empty.code, "[roster_invalid]" in empty.err) == (65, True)
    (setup / "image.gif").write_bytes(b"GIF89a")
    not_an_image = _batch(cli, setup, "--bake", setup / "image.gif")
    assert (not_an_image.code, "[not_an_image]" in not_an_image.err) == (65, True)
    missing = _batch(cli, setup, roster="absent.csv")
    assert missing.code == 66


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_progress_bar_on_a_terminal_only_and_never_with_json(
    cli, setup: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert _batch(cli, setup).code == 0
    assert "issuing" in terminal.getvalue()
    assert "5/5" in terminal.getvalue()

    quiet = _Terminal()
    monkeypatch.setattr(sys, "stderr", quiet)
    with (setup / "roster.csv").open("a", encoding="utf-8") as roster:
        roster.write("s6,student6@example.org,\n")
    assert _batch(cli, setup, "--json").code == 0
    assert quiet.getvalue() == ""


@pytest.mark.slow  # starts worker processes
def test_workers_sign_in_other_processes_with_the_same_result(cli, setup: Path) -> None:
    run = _batch(cli, setup, "--workers", "2", "--json")
    assert run.code == 0, run.err
    assert run.json()["issued"] == 5
    entries = _manifest(setup)
    assert [e["key"] for e in entries] == ["s1", "s2", "s3", "s4", "s5"]  # roster order kept
    indexes = [entry["status"][0]["statusListIndex"] for entry in entries]
    assert len(set(indexes)) == 5  # allocated here, unique
    verifier = Verifier.offline(clock=FixedClock(datetime.now(timezone.utc)))
    for entry in entries:
        credential = json.loads((setup / "out" / entry["file"]).read_text(encoding="utf-8"))
        checks = verifier.verify(credential).checks
        assert [c.code for c in checks if c.name == "proof"] == ["ok"]


@pytest.mark.parametrize("value", ["0", "-1", "two"])
def test_workers_must_be_a_positive_number_and_only_with_batch(
    cli, setup: Path, value: str
) -> None:
    assert _batch(cli, setup, "--workers", value).code == 64
    single = cli("issue", setup / "achievement.json", "--key", setup / "key.json", "--workers", "2")
    assert single.code == 64
    assert "--workers: only with --batch" in single.err
