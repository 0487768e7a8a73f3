"""docs/how-to/json-schemas.md, run as written: a badge issued with a fixed clock, checked
against the bundled schema and a schema of its own (Python and ``vcbadge validate``); the
page's table of bundled URLs and its ``generate_schemas.py --check`` line are checked too."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from typing import Any

from test_docs import ROOT, fenced_blocks

from vcbadge import Outcome
from vcbadge.schema import bundled_schemas

DOC = ROOT / "docs" / "how-to" / "json-schemas.md"


def test_the_page_runs(run_doc: Any) -> None:
    run = run_doc(DOC)
    printed = run.printed.splitlines()
    assert printed == [
        "/credentialSchema/0 valid",
        "/credentialSchema/1 unavailable",
        "/credentialSchema/0 valid",
        "/credentialSchema/1 valid",
        "/credentialSchema/0 valid []",
        "/credentialSchema/1 invalid ['/credentialSubject/achievement/id']",
        "INDETERMINATE ['schema_unavailable']",
        "VALID",
    ]
    assert run.namespace["result"].outcome is Outcome.VALID
    # What the page says each comment shows is what was printed.
    shown = [
        line.split("# ", 1)[1]
        for block in fenced_blocks(DOC)
        if block.kind == "python"
        for line in block.text.splitlines()
        if line.startswith("# ") and not line.startswith("# The ")
    ]
    assert shown == printed[:-1]
    assert "# VALID" in DOC.read_text(encoding="utf-8")


def test_every_url_in_the_table_is_bundled() -> None:
    text = DOC.read_text(encoding="utf-8")
    bundled = set(bundled_schemas())
    rows = re.findall(r"^\| `(https://[^`]+)` \| (.+) \|$", text, re.MULTILINE)
    assert len(rows) == 4
    named: list[str] = []
    for pattern, schemas in rows:
        if "{" in pattern:
            stem, choices, tail = re.match(r"(.*)\{(.*)\}(.*)", pattern).groups()  # type: ignore[union-attr]
            named += [stem + choice + tail for choice in choices.split(",")]
            continue
        names = re.findall(r"`([a-z_]+)`", schemas) or re.findall(
            r"`([a-z_]+)`", rows[0][1]
        )  # "the same five" as the first row
        named += [pattern.replace("*", name) for name in names]
    assert len(named) == 5 + 5 + 6 + 2
    assert [url for url in named if url not in bundled] == []


def test_the_check_line_of_the_regenerating_section_passes() -> None:
    (block,) = [block for block in fenced_blocks(DOC) if block.kind == "shell"]
    (line,) = [line for line in block.text.splitlines() if "--check" in line]
    argv = shlex.split(line, comments=True)
    assert argv[:2] == ["python", "scripts/generate_schemas.py"]
    done = subprocess.run(
        [sys.executable, *argv[1:]], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stdout + done.stderr
