"""docs/how-to/back-up-and-restore-the-status-store.md, run as written on real stores: a SQLite
file backed up with the page's Python (or with the ``sqlite3`` tool when it is installed),
restored with the page's ``cp``/``rm`` lines, and, when VCBADGE_TEST_POSTGRES_DSN names a server
(``bash .ci/start-postgres.sh``), a PostgreSQL store dumped and restored with the page's
``pg_dump``/``pg_restore`` lines.

The page's console blocks mix ``$ vcbadge`` commands with other tools, so this file runs them
in order itself (tests/docs/conftest.py's ``run_doc`` only runs ``$ vcbadge`` lines)."""

from __future__ import annotations

import os
import shlex
import shutil
import sqlite3
import subprocess
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from test_docs import ROOT, Block, assert_output_matches, commands, fenced_blocks

from vcbadge.cli import main
from vcbadge.errors import StatusStoreError

DOC = ROOT / "docs" / "how-to" / "back-up-and-restore-the-status-store.md"
POSTGRES_DSN = os.environ.get("VCBADGE_TEST_POSTGRES_DSN")
# The tools the page's SQLite steps use besides vcbadge; PostgreSQL's are run by their own test.
SQLITE_TOOLS = frozenset({"sqlite3", "cp", "rm"})
POSTGRES_TOOLS = frozenset({"pg_dump", "pg_restore"})


def shell_lines(block: Block) -> Iterator[tuple[int, str]]:
    """Each ``$ COMMAND`` line of a console block that is not a vcbadge command."""
    for offset, line in enumerate(block.text.splitlines()):
        if line.startswith("$ ") and not line[2:].startswith("vcbadge "):
            yield block.line + offset, line[2:]


def run_page(
    capsys: pytest.CaptureFixture[str],
    *,
    tools: frozenset[str] = SQLITE_TOOLS,
    keep_python: Callable[[Block], bool] = lambda block: True,
) -> str:
    """Run the page's python blocks (one namespace), its ``$ vcbadge`` commands in-process and
    its lines for ``tools`` in a shell, in page order, in the working directory; return what the
    python blocks printed."""
    namespace: dict[str, Any] = {"__name__": f"docs:{DOC.name}"}
    printed: list[str] = []
    for block in fenced_blocks(DOC):
        where = f"{DOC.relative_to(ROOT)}:{block.line}"
        if block.kind == "python" and keep_python(block):
            capsys.readouterr()
            exec(compile(block.text, where, "exec"), namespace)
            printed.append(capsys.readouterr().out)
        elif block.kind == "console":
            tool_lines = dict(shell_lines(block))
            cli = {command.line: command for command in commands(block)}
            for line in sorted({*tool_lines, *cli}):
                at = f"{DOC.relative_to(ROOT)}:{line}"
                if line in tool_lines:
                    text = tool_lines[line]
                    if shlex.split(text)[0] in tools:
                        done = subprocess.run(text, shell=True, capture_output=True, text=True)
                        assert done.returncode == 0, f"{at}: {text}\n{done.stderr}"
                    continue
                command = cli[line]
                capsys.readouterr()
                code = main(command.argv)
                captured = capsys.readouterr()
                assert "Traceback" not in captured.err, at
                assert code == command.exit_code, f"{at}: exit {code}\n{captured.err}"
                assert_output_matches(command.shown, captured.out, at)
                if code == 65:
                    assert "[store_rolled_back]" in captured.err, at
    return "".join(printed)


def sql_dump(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as connection:
        return list(connection.iterdump())


def is_python_backup(block: Block) -> bool:
    return "source.backup(copy)" in block.text


def check_the_story(printed: str, directory: Path) -> None:
    assert "revocation recorded again: https://badges.example.edu/credentials/1" in printed
    assert "store_rolled_back" in printed
    assert "list 1: 1 allocated, the watermark says 2" in printed
    # The store put back last is the backup, byte for byte in its content, and the watermark
    # was not rolled back with it.
    assert sql_dump(directory / "status.db") == sql_dump(directory / "status-backup.db")
    watermark = (directory / "status.db.watermark").read_text(encoding="utf-8")
    assert '"1": 2' in watermark


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_the_page_runs_with_the_python_backup(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # The sqlite3 line writes the same file the Python block then overwrites; without the tool
    # only the Python backup is made.
    tools = SQLITE_TOOLS if shutil.which("sqlite3") else SQLITE_TOOLS - {"sqlite3"}
    printed = run_page(capsys, tools=tools)
    assert printed.startswith("1\n")
    check_the_story(printed, in_tmp)


@pytest.mark.skipif(shutil.which("sqlite3") is None, reason="the sqlite3 tool is not installed")
def test_the_sqlite3_tool_backup_restores_the_same_store(
    in_tmp: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    printed = run_page(capsys, keep_python=lambda block: not is_python_backup(block))
    check_the_story(printed, in_tmp)


def test_a_watermark_restored_with_the_database_hides_the_rollback(in_tmp: Path) -> None:
    """Why the page says to keep the watermark out of the backup: restored together, the old
    store opens and would hand out the index given out since the backup again."""
    from vcbadge.store import SQLiteStatusStore

    base = "https://badges.example.edu/status"
    with SQLiteStatusStore.create("status.db", base_url=base) as store:
        store.allocate("https://badges.example.edu/credentials/1")
    shutil.copy("status.db", "old.db")
    shutil.copy("status.db.watermark", "old.watermark")
    with SQLiteStatusStore("status.db") as store:
        given_out = store.allocate("https://badges.example.edu/credentials/2").index
    shutil.copy("old.db", "status.db")
    with pytest.raises(StatusStoreError) as refused:
        SQLiteStatusStore("status.db")
    assert refused.value.code == "store_rolled_back"
    shutil.copy("old.watermark", "status.db.watermark")
    with SQLiteStatusStore("status.db") as store:
        reused = store.allocate("https://badges.example.edu/credentials/3").index
    assert reused == given_out


def postgres_lines() -> list[tuple[int, str]]:
    found = [
        (line, text)
        for block in fenced_blocks(DOC)
        if block.kind == "console"
        for line, text in shell_lines(block)
        if shlex.split(text)[0] in POSTGRES_TOOLS
    ]
    assert [shlex.split(text)[0] for _, text in found] == ["pg_dump", "pg_restore"]
    return found


@pytest.mark.skipif(
    POSTGRES_DSN is None,
    reason="no PostgreSQL server: set VCBADGE_TEST_POSTGRES_DSN (bash .ci/start-postgres.sh)",
)
@pytest.mark.skipif(
    shutil.which("pg_dump") is None or shutil.which("pg_restore") is None,
    reason="pg_dump/pg_restore are not installed",
)
def test_the_postgres_dump_and_restore_lines(in_tmp: Path) -> None:
    import psycopg

    from vcbadge.store import PostgresStatusStore

    assert POSTGRES_DSN is not None
    # A schema of its own, so that other tests using the same database are not disturbed.
    schema = f"vcbadge_backup_{uuid.uuid4().hex[:12]}"
    (_, dump_line), (_, restore_line) = postgres_lines()
    environment = {**os.environ, "DSN": POSTGRES_DSN}

    def shell(text: str) -> None:
        done = subprocess.run(
            text.replace("vcbadge_status", schema),
            shell=True,
            capture_output=True,
            text=True,
            env=environment,
        )
        assert done.returncode == 0, f"{text}\n{done.stderr}"

    def open_store() -> PostgresStatusStore:
        return PostgresStatusStore(POSTGRES_DSN, schema=schema)

    credential = "https://badges.example.edu/credentials/1"
    try:
        with PostgresStatusStore.create(
            POSTGRES_DSN,
            schema=schema,
            base_url="https://badges.example.edu/status",
            watermark=in_tmp / "status.watermark",
        ) as store:
            store_id = store.store_id
            store.allocate(credential)
        shell(dump_line)
        with open_store() as store:
            store.revoke(credential, actor="registrar", reason="")
        shell(restore_line)
        with open_store() as store:
            # The backed-up store: same identity, and the revocation made since is gone.
            assert store.store_id == store_id
            assert not store.record(credential).revoked
            store.allocate("https://badges.example.edu/credentials/2")
        shell(restore_line)
        with pytest.raises(StatusStoreError) as refused:
            open_store()
        assert refused.value.code == "store_rolled_back"
    finally:
        with psycopg.connect(POSTGRES_DSN, autocommit=True) as connection:
            connection.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
