"""The fuzz targets of fuzz/targets.py driven by hypothesis: each parser of untrusted input
(strict JSON, compact JWS + verification, status list decoder, PNG/SVG unbaking, did:web,
ecdsa-sd-2023 proof values) given
arbitrary bytes and mutated seeds raises only the exceptions it documents.

``tox -e fuzz`` runs the same targets under atheris (coverage-guided, longer); these are the
quick, always-on version.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent


def _load_targets() -> ModuleType:
    name = "vcbadge_fuzz_targets"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "fuzz" / "targets.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


_FUZZ = _load_targets()
TARGETS: dict[str, Any] = _FUZZ.TARGETS
mutate = _FUZZ.mutate
NAMES = sorted(TARGETS)
SEEDS = {name: TARGETS[name].seeds() for name in NAMES}


edits = st.lists(st.tuples(st.integers(0, 1 << 16), st.binary(max_size=6)), max_size=6)
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def test_the_six_parsers_are_targets() -> None:
    assert NAMES == ["did_web", "json_input", "jwt", "sd_proof_value", "status_list", "unbake"]


@pytest.mark.parametrize("name", NAMES)
def test_every_target_has_seeds_that_pass(name: str) -> None:
    assert SEEDS[name], f"{name} has no seed corpus"
    for seed in SEEDS[name]:
        TARGETS[name].check(seed)


@pytest.mark.parametrize("name", NAMES)
@FAST
@given(data=st.binary(max_size=2048))
def test_arbitrary_bytes(name: str, data: bytes) -> None:
    TARGETS[name].check(data)


@pytest.mark.parametrize("name", NAMES)
@FAST
@given(choice=st.integers(min_value=0), changes=edits)
def test_mutated_seeds(name: str, choice: int, changes: list[tuple[int, bytes]]) -> None:
    seeds = SEEDS[name]
    TARGETS[name].check(mutate(seeds[choice % len(seeds)], changes))


@FAST
@given(text=st.text(max_size=300))
def test_did_web_arbitrary_text_after_the_prefix(text: str) -> None:
    TARGETS["did_web"].check(("did:web:" + text).encode("utf-8", "surrogatepass"))


def test_an_unexpected_exception_is_a_crash() -> None:
    # The check must let through only what the parser documents: prove it can fail.
    target = TARGETS["did_web"]

    def broken(data: bytes) -> None:
        raise KeyError(data)

    crashing = type(target)(target.name, broken, target.expected, target.seeds)
    with pytest.raises(KeyError):
        crashing.check(b"did:web:x")
