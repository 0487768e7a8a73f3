"""docs/how-to/run-the-vectors-against-another-implementation.md, run as written: its
``vcbadge vectors run`` commands drive vcbadge's own CLI as the implementation under test (a
subprocess per case, so the ``vcbadge`` of this checkout goes on the PATH), a few cases each.

The Digital Bazaar commands and adapter run against the Node.js oracle when VCBADGE_ORACLE
names one that was set up (tests/oracle_helpers.py), and are skipped with that reason otherwise.
"""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path
from typing import Any

import pytest
from oracle_helpers import ORACLE, requires_oracle
from test_docs import ROOT, Block, commands, fenced_blocks

from vcbadge.cli import main

DOC = ROOT / "docs" / "how-to" / "run-the-vectors-against-another-implementation.md"
# Each block runs on its own: a few cases, a vcbadge process each, about a second per case.
RUN_BLOCKS = [block for block in fenced_blocks(DOC) if block.kind == "console" and commands(block)]


@pytest.fixture
def vcbadge_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """The command templates call ``vcbadge``: the one installed next to this interpreter."""
    scripts = Path(sys.executable).parent
    assert (scripts / "vcbadge").exists(), f"no vcbadge script in {scripts}"
    monkeypatch.setenv("PATH", f"{scripts}{os.pathsep}{os.environ.get('PATH', '')}")


def test_the_page_has_the_runs_it_describes() -> None:
    runs = [command for block in RUN_BLOCKS for command in commands(block)]
    assert [command.exit_code for command in runs] == [0, 1, 0]
    for command in runs:
        assert command.argv[:2] == ["vectors", "run"]
        assert "--only" in command.argv  # a few cases, not the whole set


@pytest.mark.parametrize("block", RUN_BLOCKS, ids=lambda block: f"line-{block.line}")
def test_each_run_on_the_page(run_doc: Any, vcbadge_on_path: None, block: Block) -> None:
    run_doc(DOC, keep=lambda candidate: candidate == block)


def adapter_block() -> Block:
    (block,) = [
        block
        for block in fenced_blocks(DOC)
        if block.kind == "python" and "vectors run --issuer adapter" in block.text
    ]
    return block


def test_the_signer_adapter_is_python() -> None:
    block = adapter_block()
    compile(block.text, f"{DOC.name}:{block.line}", "exec")


def digital_bazaar_verifier_command() -> list[str]:
    (block,) = [block for block in fenced_blocks(DOC) if block.kind == "shell"]
    words = shlex.split(block.text.replace("\\\n", " "))
    assert words[:3] == ["vcbadge", "vectors", "run"]
    return words[1:]


@requires_oracle
@pytest.mark.slow  # a Node.js process per case
def test_the_digital_bazaar_verifier_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert ORACLE is not None
    argv = digital_bazaar_verifier_command()
    if Path(ORACLE).name == "oracle":
        monkeypatch.chdir(Path(ORACLE).parent)  # the page's command, word for word
    else:
        monkeypatch.chdir(tmp_path)
        argv = [word.replace("oracle/", f"{ORACLE}/") for word in argv]
    # Cases the page does not list among the disagreements.
    only = ["eddsa-rdfc-2022/verify-valid-did-key", "eddsa-rdfc-2022/verify-tampered"]
    assert main([*argv, *(f"--only={case}" for case in only)]) == 0


@requires_oracle
@pytest.mark.slow
def test_the_digital_bazaar_signer_adapter(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert ORACLE is not None
    monkeypatch.setenv("DB_ORACLE", ORACLE)
    (tmp_path / "db_sign.py").write_text(adapter_block().text, encoding="utf-8")
    issuer = f"{shlex.quote(sys.executable)} db_sign.py {{input}} {{key}} {{out}}"
    assert main(["vectors", "run", "--only", "eddsa-rdfc-2022/sign-*", "--issuer", issuer]) == 0
