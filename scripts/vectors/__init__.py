"""Builders of vcbadge's test vectors, one module per feature; ``build_cases`` gathers them.

Every builder DECLARES each case's expected result and asserts that vcbadge gives it (see
``common.verify_case`` and ``common.plain_case``); nothing expected is read back from vcbadge
except the byte-exact output of deterministic signing (sign cases).
"""

from __future__ import annotations

from . import (
    bake,
    canonicalize,
    contexts,
    data_integrity,
    displayer,
    jose,
    legacy,
    ob2,
    open_badges,
    presentation,
    resolve,
    selective_disclosure,
    status,
)
from .common import VERSION, Case

__all__ = ["VERSION", "build_cases"]

BUILDERS = (
    data_integrity,
    legacy,
    contexts,
    open_badges,
    jose,
    presentation,
    status,
    canonicalize,
    resolve,
    bake,
    ob2,
    selective_disclosure,
    displayer,
)


def build_cases() -> dict[str, Case]:
    """Every case, keyed by its path relative to test_vectors/."""
    cases: dict[str, Case] = {}
    for builder in BUILDERS:
        built = builder.cases()
        clash = set(built) & set(cases)
        if clash:
            raise AssertionError(f"two builders write {sorted(clash)}")
        cases.update(built)
    for case in cases.values():
        case["version"] = VERSION
    return cases
