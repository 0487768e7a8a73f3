"""The curated facade: sorted ``__all__``, every name importable, no private names exported."""

from __future__ import annotations

import importlib

import pytest

import vcbadge

PACKAGES = [
    "vcbadge",
    "vcbadge.keys",
    "vcbadge.model",
    "vcbadge.verify",
    "vcbadge.issue",
    "vcbadge.errors",
    "vcbadge.resolve",
]


@pytest.mark.parametrize("name", PACKAGES)
def test_all_is_sorted_and_importable(name: str) -> None:
    module = importlib.import_module(name)
    exported = list(module.__all__)
    dunder = [item for item in exported if item.startswith("__")]
    public = [item for item in exported if not item.startswith("__")]
    assert public == sorted(public), f"{name}.__all__ is not sorted"
    assert len(set(exported)) == len(exported)
    for item in exported:
        assert hasattr(module, item), f"{name}.{item} is exported but missing"
    assert all(not item.startswith("_") for item in public)
    assert dunder in ([], ["__version__"])


def test_version_matches_distribution_metadata() -> None:
    from importlib.metadata import version

    assert vcbadge.__version__ == version("vcbadge")
