"""The error and check codes the code base can report, read from its source text.

One collection for the documentation tests: ``tests/test_reference_docs.py`` checks every code
is in ``docs/reference/errors.md``; ``tests/test_docs.py`` checks the verification codes are in
``docs/verification-policy.md``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

__all__ = ["PACKAGE", "all_codes", "codes_in"]

PACKAGE = Path(__file__).resolve().parents[1] / "vcbadge"

_LITERAL = r'"([a-z][a-z0-9_]*)"'
# code="x", code = "x" (a class attribute), code: str = "x" (a default).
_CODE = re.compile(r"\bcode\s*(?::\s*str\s*)?=\s*" + _LITERAL)
# code = "x" if ... else "y"
_CHOICE = re.compile(r"\bcode\s*=\s*" + _LITERAL + r"\s+if\b[^\n]*?\belse\s+" + _LITERAL)
# code=NAME with NAME = "x" a module constant of the same file.
_CODE_CONSTANT = re.compile(r"\bcode\s*=\s*([A-Z][A-Z0-9_]*)\b")
_CONSTANT = re.compile(r"^([A-Z][A-Z0-9_]*)\s*(?::\s*\w+\s*)?=\s*" + _LITERAL, re.MULTILINE)
# Issue(path, message, "code"): the model's and the validator's problems.
_ISSUE = re.compile(r"\bIssue\([^()]*?,\s*" + _LITERAL + r"\s*\)")
# A roster row's failure in a batch (vcbadge/issue/batch.py).
_ROW_ERROR = re.compile(r"\b_RowError\(\s*" + _LITERAL)
# The CLI's codes of an exit status (vcbadge/cli/__init__.py _CODE_OF_EXIT).
_EXIT_CODE = re.compile(r"^\s*EX_[A-Z]+:\s*" + _LITERAL, re.MULTILINE)


def codes_in(sources: Iterable[Path]) -> set[str]:
    """Every code the files in ``sources`` name where an error, check, issue or finding is
    made."""
    codes: set[str] = set()
    for source in sources:
        text = source.read_text(encoding="utf-8")
        codes.update(_CODE.findall(text))
        for first, second in _CHOICE.findall(text):
            codes.update((first, second))
        constants = dict(_CONSTANT.findall(text))
        codes.update(constants[name] for name in _CODE_CONSTANT.findall(text) if name in constants)
        codes.update(_ISSUE.findall(text))
        codes.update(_ROW_ERROR.findall(text))
        codes.update(_EXIT_CODE.findall(text))
    return codes


def all_codes() -> set[str]:
    """Every code in the package, the command line included."""
    return codes_in(sorted(PACKAGE.rglob("*.py")))
