"""Running a how-to page as its reader would: its blocks in order, in one namespace, in an empty
directory, with the same rules as tests/test_docs.py (whose helpers this uses)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from test_docs import ROOT, Block, commands, fenced_blocks, run_command


@dataclass(frozen=True)
class DocRun:
    """What running a page left: its ``namespace``, and what its python blocks ``printed``."""

    namespace: dict[str, Any]
    printed: str


DocRunner = Callable[..., DocRun]


@pytest.fixture
def run_doc(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> DocRunner:
    """``run_doc(path, keep=...)``: run the page's python blocks (``exec``, one
    namespace) and ``$ vcbadge`` console commands (in-process, exit status and shown output
    checked) for which ``keep(block)`` is true, in ``tmp_path``."""
    monkeypatch.chdir(tmp_path)

    def run(
        path: Path,
        *,
        keep: Callable[[Block], bool] = lambda block: True,
    ) -> DocRun:
        printed: list[str] = []
        namespace: dict[str, Any] = {"__name__": f"docs:{path.name}"}
        ran = 0
        for block in fenced_blocks(path):
            if not keep(block):
                continue
            where = f"{path.relative_to(ROOT)}:{block.line}"
            if block.kind == "python":
                ran += 1
                capsys.readouterr()
                exec(compile(block.text, where, "exec"), namespace)
                printed.append(capsys.readouterr().out)
            elif block.kind in ("console", "shell"):
                for command in commands(block):
                    ran += 1
                    run_command(command, f"{path.relative_to(ROOT)}:{command.line}", capsys)
        assert ran, f"{path.name}: no block was run"
        return DocRun(namespace=namespace, printed="".join(printed))

    return run
