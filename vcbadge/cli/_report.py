"""Rendering a ``VerificationResult`` for people (a banner and one line per check) or as JSON."""

from __future__ import annotations

from typing import TextIO

from vcbadge.cli._io import dumps_pretty
from vcbadge.verify import Check, Outcome, VerificationResult

__all__ = ["exit_code_for", "render_human", "render_json"]

_MARKS = {Outcome.VALID: "✓", Outcome.INVALID: "✗", Outcome.INDETERMINATE: "?"}
_ASCII_MARKS = {Outcome.VALID: "+", Outcome.INVALID: "x", Outcome.INDETERMINATE: "?"}


def exit_code_for(result: VerificationResult) -> int:
    """0 for VALID, 1 for INVALID, 2 for INDETERMINATE."""
    return {Outcome.VALID: 0, Outcome.INVALID: 1, Outcome.INDETERMINATE: 2}[result.outcome]


def _encoding_of(stream: TextIO | None) -> str:
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        "".encode(encoding)
    except LookupError:
        return "ascii"
    return str(encoding)


def _fits(text: str, encoding: str) -> bool:
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def _line(check: Check, marks: dict[Outcome, str]) -> str:
    where = f" {check.path}" if check.path else ""
    return f"{marks[check.outcome]} {check.name} {check.code}{where}: {check.message}"


def _trust_lines(result: VerificationResult) -> list[str]:
    trust = result.issuer_trust
    if trust is None:
        return []
    lines = [f"issuer: {trust.summary()}"]
    lines += [
        f"issuer: the registry {problem.registry} could not answer: {problem.message} "
        f"[{problem.code}]"
        for problem in trust.problems
    ]
    return lines


def render_human(result: VerificationResult, stream: TextIO | None = None) -> str:
    """``VALID``/``INVALID``/``INDETERMINATE``, then ``✓ name code path: message`` per check,
    then the issuer trust answer (``issuer: known: ...``, ``issuer: self-asserted (did:key):
    anyone can claim the name ...``) and any registry that could not answer.

    ``stream`` is where the text will go: when it cannot encode ``✓``/``✗``, ASCII marks
    (``+``/``x``/``?``) are used instead, and other characters it cannot encode are escaped.
    """
    encoding = _encoding_of(stream)
    marks = _MARKS if _fits("".join(_MARKS.values()), encoding) else _ASCII_MARKS
    # The trust answer comes after the checks: the line after the outcome stays the first
    # check, which scripts and the documented outputs read.
    lines = [
        result.outcome.value,
        *(_line(check, marks) for check in result.checks),
        *_trust_lines(result),
    ]
    text = "\n".join(lines) + "\n"
    if not _fits(text, encoding):
        # A message quoting non-ASCII input on an ASCII terminal: escape, never crash.
        text = text.encode(encoding, "backslashreplace").decode(encoding)
    return text


def render_json(result: VerificationResult) -> str:
    """``{"outcome": ..., "checks": [{"name", "outcome", "code", "message", "path"}],
    "issuer_trust": {"level", "issuer_id", "name", "name_source", ...} or null}``."""
    return dumps_pretty(result.to_dict())
