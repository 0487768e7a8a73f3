"""Hash N-Degree Quads on the compiled path (``vcbadge.jsonld.labelling``): the same labels as
the full path (pyld's steps) and the same work spent, unit for unit, so that a dataset near
``max_work`` gets the same answer on both; past ``MAX_DEPTH`` the full path decides.

Generated datasets are built to need Hash N-Degree Quads: a few blank nodes, one or two
predicates, edges between them (cycles, stars, cliques, graph names), most of them
look-alikes. ``VCBADGE_DIFFERENTIAL_EXAMPLES`` sets how many (default 600).
"""

from __future__ import annotations

import json
import os
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from reference_corpus import reference_root

from vcbadge.errors import ComplexityLimit, VcbadgeError
from vcbadge.jsonld import compiled
from vcbadge.jsonld.compiled import canonical_quads
from vcbadge.jsonld.labelling import MAX_DEPTH, TooDeep, WorkBudget, canonical_labels
from vcbadge.jsonld.loader import default_loader
from vcbadge.jsonld.nquads import term_statements
from vcbadge.jsonld.rdfc import DEFAULT_MAX_QUADS, DEFAULT_MAX_WORK, Canonicalizer

EXAMPLES = int(os.environ.get("VCBADGE_DIFFERENTIAL_EXAMPLES", "600"))
_LOADER = default_loader()


def _outcome(text: str, *, compiled_expansion: bool, max_work: int = DEFAULT_MAX_WORK) -> Any:
    canonicalizer = Canonicalizer(_LOADER, max_work=max_work, compiled_expansion=compiled_expansion)
    try:
        return ("canonical", canonicalizer.canonicalize_nquads(text))
    except VcbadgeError as error:
        return ("refused", type(error).__name__, error.code, error.path, str(error))


def _fast(text: str, *, max_work: int = DEFAULT_MAX_WORK) -> str | None:
    statements = term_statements(text)
    assert statements is not None, text
    return canonical_quads(
        statements, hash_algorithm="sha256", max_quads=DEFAULT_MAX_QUADS, max_work=max_work
    )


def _work_needed(text: str, *, compiled_expansion: bool, ceiling: int = 1 << 16) -> int:
    """The fewest work units with which ``text`` canonicalizes (the outcome is monotonic)."""
    low, high = 1, ceiling
    assert _outcome(text, compiled_expansion=compiled_expansion, max_work=high)[0] == "canonical"
    while low < high:
        middle = (low + high) // 2
        if _outcome(text, compiled_expansion=compiled_expansion, max_work=middle)[0] == "canonical":
            high = middle
        else:
            low = middle + 1
    return low


def _cycle(length: int, predicate: str = "<http://ex.org/p>") -> str:
    return "".join(f"_:n{i} {predicate} _:n{(i + 1) % length} .\n" for i in range(length))


SHAPES = {
    "two look-alikes, unrelated": '_:a <http://ex.org/p> "x" .\n_:b <http://ex.org/p> "x" .\n',
    "symmetric pair": "_:x <http://ex.org/p> _:y .\n_:y <http://ex.org/p> _:x .\n",
    "cycle of 3": _cycle(3),
    "cycle of 8": _cycle(8),
    "two cycles of 3": _cycle(3) + _cycle(3).replace("_:n", "_:m"),
    "star": "".join(
        f'_:hub <http://ex.org/p> _:leaf{i} .\n_:leaf{i} <http://ex.org/q> "v" .\n'
        for i in range(4)
    ),
    "clique of 4": "".join(
        f"_:k{i} <http://ex.org/p> _:k{j} .\n" for i in range(4) for j in range(4) if i != j
    ),
    "blank graph names": (
        "_:s <http://ex.org/p> _:o _:g1 .\n_:s <http://ex.org/p> _:o _:g2 .\n"
        "_:g1 <http://ex.org/p> _:g2 .\n_:g2 <http://ex.org/p> _:g1 .\n"
    ),
    "look-alikes beside a unique node": (
        '_:u <http://ex.org/name> "unique" .\n_:u <http://ex.org/p> _:a .\n'
        "_:u <http://ex.org/p> _:b .\n_:a <http://ex.org/p> _:b .\n_:b <http://ex.org/p> _:a .\n"
    ),
}


@pytest.mark.parametrize("text", SHAPES.values(), ids=SHAPES.keys())
def test_shapes_get_the_same_labels_for_the_same_work(text: str) -> None:
    expected = _outcome(text, compiled_expansion=False)
    assert expected[0] == "canonical"
    assert _fast(text) == expected[1]
    needed = _work_needed(text, compiled_expansion=False)
    assert needed > 1  # Hash N-Degree Quads ran, and spent work
    assert _work_needed(text, compiled_expansion=True) == needed
    refused = _outcome(text, compiled_expansion=False, max_work=needed - 1)
    assert _outcome(text, compiled_expansion=True, max_work=needed - 1) == refused
    assert refused[1] == "ComplexityLimit"
    with pytest.raises(ComplexityLimit):
        _fast(text, max_work=needed - 1)


def test_the_labels_are_the_issued_identifiers_map() -> None:
    text = SHAPES["look-alikes beside a unique node"]
    statements = term_statements(text)
    assert statements is not None
    labels = canonical_labels(
        list(dict.fromkeys(statements)), hash_algorithm="sha256", budget=WorkBudget(1000)
    )
    issued = Canonicalizer(_LOADER).issued_identifiers(text)
    assert {label[2:]: canonical[2:] for label, canonical in labels.items()} == issued


def test_recursion_deeper_than_max_depth_is_left_to_the_full_path() -> None:
    # A cycle of look-alikes recurses once per node along it.
    deep, shallow = _cycle(MAX_DEPTH + 8), _cycle(MAX_DEPTH // 2)
    deep_statements = term_statements(deep)
    assert deep_statements is not None
    with pytest.raises(TooDeep):
        canonical_labels(deep_statements, hash_algorithm="sha256", budget=WorkBudget(10**7))
    assert _fast(deep) is None
    assert _outcome(deep, compiled_expansion=True) == _outcome(deep, compiled_expansion=False)
    assert _fast(shallow) == _outcome(shallow, compiled_expansion=False)[1]


def test_a_stack_too_short_for_the_fast_path_leaves_it_to_the_full_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def exhausted(*args: Any, **kwargs: Any) -> dict[str, str]:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(compiled, "canonical_labels", exhausted)
    text = SHAPES["cycle of 3"]
    assert _fast(text) is None
    assert _outcome(text, compiled_expansion=True) == _outcome(text, compiled_expansion=False)


def test_a_budget_refuses_the_unit_past_its_limit() -> None:
    budget = WorkBudget(2)
    budget.spend()
    budget.spend()
    with pytest.raises(ComplexityLimit) as raised:
        budget.spend()
    assert raised.value.code == "complexity_limit"
    assert "work limit of 2 units" in str(raised.value)


def _suite_n_degree_inputs() -> list[Any]:
    root = reference_root()
    if root is None:
        return []
    suite = root / "rdf-canon"
    manifest = json.loads((suite / "manifest.jsonld").read_text(encoding="utf-8"))
    inputs = {}
    for entry in manifest["entries"]:
        if entry["type"] != "rdfc:RDFC10EvalTest" or entry.get("hashAlgorithm") == "SHA384":
            continue
        with open(suite / entry["action"], encoding="utf-8", newline="") as handle:
            text = handle.read()
        if _outcome(text, compiled_expansion=False, max_work=1)[0] == "refused":
            inputs[entry["action"]] = text  # needs Hash N-Degree Quads
    return [pytest.param(text, id=action) for action, text in sorted(inputs.items())]


_SUITE_N_DEGREE = _suite_n_degree_inputs()


@pytest.mark.reference
@pytest.mark.skipif(not _SUITE_N_DEGREE, reason="reference corpus (rdf-canon suite) not found")
@pytest.mark.parametrize("text", _SUITE_N_DEGREE)
def test_suite_inputs_needing_n_degree_spend_the_same_work(text: str) -> None:
    needed = _work_needed(text, compiled_expansion=False)
    assert _work_needed(text, compiled_expansion=True) == needed
    assert _fast(text) == _outcome(text, compiled_expansion=False)[1]


@st.composite
def look_alike_datasets(draw: st.DrawFn) -> str:
    """Copies of one small random motif (look-alikes by construction), optionally joined in a
    ring, in a blank-node graph, and with a few random edges that break part of the symmetry."""
    predicates = ["<http://ex.org/p>", "<http://ex.org/q>"]
    size = draw(st.integers(min_value=1, max_value=3))
    local = list(range(size))
    motif = draw(
        st.lists(
            st.tuples(
                st.sampled_from(local),
                st.sampled_from(predicates),
                st.one_of(st.sampled_from(local), st.sampled_from(['"v"', "<http://ex.org/o>"])),
            ),
            min_size=1,
            max_size=4,
        )
    )
    copies = draw(st.integers(min_value=2, max_value=3))
    graph = draw(st.sampled_from(["", "", " _:g", " <http://ex.org/graph>"]))

    def node(copy: int, index: int) -> str:
        return f"_:c{copy}n{index}"

    lines = [
        f"{node(copy, subject)} {predicate} "
        f"{node(copy, object_) if isinstance(object_, int) else object_}{graph} .\n"
        for copy in range(copies)
        for subject, predicate, object_ in motif
    ]
    if draw(st.booleans()):  # a ring through the copies: still look-alikes
        lines += [
            f"{node(copy, 0)} <http://ex.org/next> {node((copy + 1) % copies, 0)}{graph} .\n"
            for copy in range(copies)
        ]
    everyone = [node(copy, index) for copy in range(copies) for index in local]
    for subject, object_ in draw(
        st.lists(st.tuples(st.sampled_from(everyone), st.sampled_from(everyone)), max_size=2)
    ):
        lines.append(f"{subject} <http://ex.org/extra> {object_} .\n")
    return "".join(lines)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(look_alike_datasets(), st.integers(min_value=1, max_value=40))
def test_generated_look_alikes_get_the_same_outcome_on_both_paths(text: str, max_work: int) -> None:
    expected = _outcome(text, compiled_expansion=False)
    event(
        "needs Hash N-Degree Quads"
        if _outcome(text, compiled_expansion=False, max_work=1)[0] == "refused"
        else "unique hashes"
    )
    assert _outcome(text, compiled_expansion=True) == expected
    limited = _outcome(text, compiled_expansion=False, max_work=max_work)
    event(f"at a small max_work: {limited[0]}")
    assert _outcome(text, compiled_expansion=True, max_work=max_work) == limited
