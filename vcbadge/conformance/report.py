"""The runner's reports: a table for people, JSON and JUnit XML for CI."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree
from collections import Counter
from collections.abc import Sequence
from typing import Any

from vcbadge.conformance.runner import CaseResult, Status

__all__ = ["render_json", "render_junit", "render_table", "summary"]

_COLUMNS = ("case", "spec", "expected", "got", "why")
_WIDTH = {"case": 44, "spec": 30, "expected": 28, "got": 28}


def summary(results: Sequence[CaseResult]) -> dict[str, int]:
    """How many cases ran, and how many ended at each status."""
    counts = Counter(result.status for result in results)
    return {
        "cases": len(results),
        "agree": counts[Status.AGREE],
        "disagree_codes": counts[Status.CODES],
        "disagree": counts[Status.DISAGREE],
        "error": counts[Status.ERROR],
    }


def _cell(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def render_table(
    results: Sequence[CaseResult], *, version: str = "", all_rows: bool = False
) -> str:
    """One row per case that does not agree (every case with ``all_rows``), then a summary."""
    shown = [result for result in results if all_rows or not result.agrees]
    lines: list[str] = []
    if shown:
        header = ["status".ljust(18)] + [
            name.ljust(_WIDTH[name]) if name in _WIDTH else name for name in _COLUMNS
        ]
        lines += ["  ".join(header), "-" * 170]
        for result in shown:
            why = result.reason or ("" if result.agrees else result.status.value)
            row = [
                result.status.value.ljust(18),
                _cell(result.id, _WIDTH["case"]).ljust(_WIDTH["case"]),
                _cell(result.spec, _WIDTH["spec"]).ljust(_WIDTH["spec"]),
                _cell(result.expected, _WIDTH["expected"]).ljust(_WIDTH["expected"]),
                _cell(result.got, _WIDTH["got"]).ljust(_WIDTH["got"]),
                why,
            ]
            lines.append("  ".join(row).rstrip())
        lines.append("")
    counts = summary(results)
    set_name = f"vector set {version}: " if version else ""
    lines.append(
        f"{set_name}{counts['agree']}/{counts['cases']} cases agree, "
        f"{counts['disagree']} disagree, {counts['disagree_codes']} disagree on codes, "
        f"{counts['error']} errors"
    )
    return "\n".join(lines) + "\n"


def render_json(results: Sequence[CaseResult], *, version: str = "") -> str:
    """``{"version", "summary": {...}, "results": [{id, type, spec, status, expected, got,
    reason, seconds}]}``."""
    body: dict[str, Any] = {
        "version": version,
        "agree": all(result.agrees for result in results),
        "summary": summary(results),
        "results": [result.to_dict() for result in results],
    }
    return json.dumps(body, indent=2, ensure_ascii=False) + "\n"


def render_junit(results: Sequence[CaseResult], *, version: str = "") -> str:
    """JUnit XML: one ``testcase`` per case (classname: its type); a disagreement is a
    ``failure`` (its type: the status), a command that crashed or timed out an ``error``."""
    counts = summary(results)
    suite = ElementTree.Element(
        "testsuite",
        {
            "name": f"vcbadge-vectors {version}".strip(),
            "tests": str(counts["cases"]),
            "failures": str(counts["disagree"] + counts["disagree_codes"]),
            "errors": str(counts["error"]),
            "skipped": "0",
            "time": f"{sum(result.seconds for result in results):.3f}",
        },
    )
    for result in results:
        case = ElementTree.SubElement(
            suite,
            "testcase",
            {"classname": result.type, "name": result.id, "time": f"{result.seconds:.3f}"},
        )
        if result.agrees:
            continue
        kind = "error" if result.status is Status.ERROR else "failure"
        element = ElementTree.SubElement(
            case, kind, {"type": result.status.value, "message": result.reason}
        )
        element.text = (
            f"spec: {result.spec}\nexpected: {result.expected}\ngot: {result.got}\n"
            f"why: {result.reason}"
        )
    suites = ElementTree.Element("testsuites")
    suites.append(suite)
    ElementTree.indent(suites)
    return ElementTree.tostring(suites, encoding="unicode", xml_declaration=True) + "\n"
