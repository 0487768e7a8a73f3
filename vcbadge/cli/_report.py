"""Rendering a ``VerificationResult`` for people (a banner and one line per check) or as JSON."""

from __future__ import annotations

import json
from typing import TextIO

from vcbadge.verify import Check, Outcome, VerificationResult

__all__ = ["exit_code_for", "render_human", "render_json"]

_MARKS = {Outcome.VALID: "✓", Outcome.INVALID: "✗", Outcome.INDETERMINATE: "?"}
_ASCII_MARKS = {Outcome.VALID: "+", Outcome.INVALID: "x", Outcome.INDETERMINATE: "?"}


def exit_code_for(result: VerificationResult) -> int:
    """0 for VALID, 1 for INVALID, 2 for INDETERMINATE."""
    return {Outcome.VALID: 0, Outcome.INVALID: 1, Outcome.INDETERMINATE: 2}[result.outcome]


def _marks_for(stream: TextIO | None) -> dict[Outcome, str]:
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        "".join(_MARKS.values()).encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return _ASCII_MARKS
    return _MARKS


def _line(check: Check, marks: dict[Outcome, str]) -> str:
    where = f" {check.path}" if check.path else ""
    return f"{marks[check.outcome]} {check.name} {check.code}{where}: {check.message}"


def render_human(result: VerificationResult, stream: TextIO | None = None) -> str:
    """``VALID``/``INVALID``/``INDETERMINATE``, then ``✓ name code path: message`` per check.

    ``stream`` is where the text will go: when it cannot encode ``✓``/``✗``, ASCII marks
    (``+``/``x``/``?``) are used instead.
    """
    marks = _marks_for(stream)
    lines = [result.outcome.value, *(_line(check, marks) for check in result.checks)]
    return "\n".join(lines) + "\n"


def render_json(result: VerificationResult) -> str:
    """``{"outcome": ..., "checks": [{"name", "outcome", "code", "message", "path"}]}``."""
    return json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n"
