"""Differential tests of the N-Quads fast path of ``Canonicalizer.canonicalize_nquads``.

With ``compiled_expansion`` (the default) an N-Quads document is read into canonical term text
by ``vcbadge.jsonld.nquads.term_statements`` and canonicalized by
``vcbadge.jsonld.compiled.canonical_quads`` when every blank node has a unique first-degree
hash; anything else, and ``compiled_expansion=False``, takes ``parse_nquads`` and the full
RDFC-1.0. Every input here goes through both and must give the same bytes, or the same refusal
(type, code, path and message: every refusal comes from the full path, so messages are stable).

Inputs: every rdf-canon input of the reference corpus, as published and transformed in ways
RDFC-1.0 must not see (shuffled, duplicated and commented lines, renamed blank nodes, CRLF),
checked against the published result too; and hypothesis-generated documents built to cross
the fast path's boundaries (escapes valid and invalid, relative IRIs, every ECHAR, language
tags, explicit ``xsd:string``/``rdf:langString``, symmetric blank nodes, named graphs,
duplicates, malformed lines, small ``max_quads``). CI runs the derandomized profile with
``EXAMPLES`` examples; set ``VCBADGE_DIFFERENTIAL_EXAMPLES`` to run more.
"""

from __future__ import annotations

import json
import os
import random
import re
from collections.abc import Callable, Mapping
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, event, find, given, settings
from hypothesis import strategies as st
from reference_corpus import reference_root, requires_reference

from vcbadge.errors import ComplexityLimit, VcbadgeError
from vcbadge.jsonld import rdfc
from vcbadge.jsonld.compiled import canonical_quads
from vcbadge.jsonld.loader import default_loader
from vcbadge.jsonld.nquads import (
    RDF_LANGSTRING,
    Quad,
    parse_nquads,
    serialize_quad,
    term_statements,
)
from vcbadge.jsonld.rdfc import DEFAULT_MAX_QUADS, DEFAULT_MAX_WORK, Canonicalizer

EXAMPLES = int(os.environ.get("VCBADGE_DIFFERENTIAL_EXAMPLES", "600"))
_LOADER = default_loader()
_SMALL_MAX_QUADS = 4

# One pair per configuration, shared by every example (as production shares them).
_PAIRS = {
    (algorithm, max_quads): (
        Canonicalizer(_LOADER, hash_algorithm=algorithm, max_quads=max_quads),
        Canonicalizer(
            _LOADER, hash_algorithm=algorithm, max_quads=max_quads, compiled_expansion=False
        ),
    )
    for algorithm, max_quads in [
        ("sha256", DEFAULT_MAX_QUADS),
        ("sha384", DEFAULT_MAX_QUADS),
        ("sha256", _SMALL_MAX_QUADS),
    ]
}

_ROOT = reference_root()
_SUITE = _ROOT / "rdf-canon" if _ROOT else None


def _outcome(canonicalizer: Canonicalizer, text: str) -> tuple[Any, ...]:
    try:
        return ("canonical", canonicalizer.canonicalize_nquads(text))
    except VcbadgeError as error:
        return ("refused", type(error).__name__, error.code, error.path, str(error))


def _parsed(text: str, max_quads: int) -> list[Quad] | VcbadgeError:
    try:
        return parse_nquads(text, max_quads=max_quads)
    except VcbadgeError as error:
        return error


def fast_path_result(text: str, *, hash_algorithm: str = "sha256") -> str | None:
    """What the fast path alone makes of ``text``: its canonical form, or ``None`` when it
    leaves the document to the full path."""
    statements = term_statements(text)
    if statements is None:
        return None
    return canonical_quads(
        statements,
        hash_algorithm=hash_algorithm,
        max_quads=DEFAULT_MAX_QUADS,
        max_work=DEFAULT_MAX_WORK,
    )


def assert_same(
    text: str, *, hash_algorithm: str = "sha256", max_quads: int = DEFAULT_MAX_QUADS
) -> tuple[Any, ...]:
    """Both paths give the same outcome for ``text``; returns it."""
    fast, full = _PAIRS[hash_algorithm, max_quads]
    expected = _outcome(full, text)
    assert _outcome(fast, text) == expected, text
    return expected


def assert_parsers_agree(text: str) -> None:
    """``term_statements`` reads what ``parse_nquads`` reads, the same way, and leaves to it
    only what its contract names: input ``parse_nquads`` refuses, or a literal typed
    ``rdf:langString`` without a language."""
    statements = term_statements(text)
    parsed = _parsed(text, DEFAULT_MAX_QUADS)
    if statements is not None:
        assert not isinstance(parsed, VcbadgeError), (text, parsed)
        unique = {" ".join(statement) + " .\n" for statement in statements}
        assert unique == {serialize_quad(quad) for quad in parsed}, text
        assert len(unique) == len(parsed), text
    elif not isinstance(parsed, VcbadgeError):
        assert any(
            quad["object"].get("datatype") == RDF_LANGSTRING and "language" not in quad["object"]
            for quad in parsed
        ), text


# -- the rdf-canon suite ----------------------------------------------------------------------


def _suite_inputs() -> list[Any]:
    """One param per distinct input file: (input, expected output or None, algorithm)."""
    if _SUITE is None:
        return []
    manifest = json.loads((_SUITE / "manifest.jsonld").read_text(encoding="utf-8"))
    params: dict[str, Any] = {}
    for entry in manifest["entries"]:
        if entry["type"] == "rdfc:RDFC10MapTest":
            continue
        algorithm = "sha384" if entry.get("hashAlgorithm") == "SHA384" else "sha256"
        expected = entry["result"] if entry["type"] == "rdfc:RDFC10EvalTest" else None
        params.setdefault(
            entry["action"],
            pytest.param(entry["action"], expected, algorithm, id=entry["id"].lstrip("#")),
        )
    return list(params.values())


def _read(relative: str) -> str:
    assert _SUITE is not None
    with open(_SUITE / relative, encoding="utf-8", newline="") as handle:
        return handle.read()


_SUITE_INPUTS = _suite_inputs()
_EVAL_INPUTS = [param for param in _SUITE_INPUTS if param.values[1] is not None]

_LABEL = re.compile(r"_:([A-Za-z0-9_](?:[A-Za-z0-9_.\-]*[A-Za-z0-9_\-])?)")


def _lines(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.strip()]


def _shuffled(text: str) -> str:
    lines = _lines(text)
    random.Random(len(text)).shuffle(lines)
    return "\n".join(lines) + "\n"


def _duplicated(text: str) -> str:
    lines = _lines(text)
    return "\n".join([*lines, *reversed(lines), *lines[:1]]) + "\n"


def _renamed(text: str) -> str:
    # Labels in reverse order of appearance, so "_:c14n0" and "_:b0" trade places with others.
    labels = list(dict.fromkeys(_LABEL.findall(text)))
    renaming = dict(zip(labels, reversed(labels), strict=True))
    if len(labels) == 1:
        renaming = {labels[0]: "renamed.label"}
    return _LABEL.sub(lambda match: f"_:{renaming[match.group(1)]}", text)


def _crlf(text: str) -> str:
    return "".join(f"{line}\r\n" for line in text.splitlines())


def _commented(text: str) -> str:
    lines = [f'{line}\t# trailing comment <x> "y" \\u0000 .' for line in _lines(text)]
    return "# leading comment\n\n" + "\n \t\n".join(lines) + "\n\n# last comment\n\n"


_TRANSFORMS: dict[str, Callable[[str], str]] = {
    "as-published": lambda text: text,
    "shuffled": _shuffled,
    "duplicated": _duplicated,
    "renamed-bnodes": _renamed,
    "crlf": _crlf,
    "commented": _commented,
}


@pytest.mark.reference
@requires_reference
def test_the_suite_is_there() -> None:
    assert len(_EVAL_INPUTS) >= 60, len(_EVAL_INPUTS)


@pytest.mark.reference
@requires_reference
@pytest.mark.parametrize("transform", list(_TRANSFORMS))
@pytest.mark.parametrize(("action", "result", "algorithm"), _EVAL_INPUTS)
def test_suite_input_canonicalizes_the_same_on_both_paths(
    action: str, result: str, algorithm: str, transform: str
) -> None:
    text = _TRANSFORMS[transform](_read(action))
    if transform == "renamed-bnodes" and "_:" in _read(action):
        assert text != _read(action)
    outcome = assert_same(text, hash_algorithm=algorithm)
    assert outcome == ("canonical", _read(result))
    assert_parsers_agree(text)


@pytest.mark.reference
@requires_reference
def test_poisoned_suite_input_is_refused_the_same_on_both_paths() -> None:
    (poisoned,) = [param for param in _SUITE_INPUTS if param.values[1] is None]
    text = _read(poisoned.values[0])
    statements = term_statements(text)
    assert statements is not None
    with pytest.raises(ComplexityLimit):  # raised by the fast path itself, not left to pyld
        canonical_quads(statements, hash_algorithm="sha256", max_quads=100, max_work=500)
    outcomes = [
        _outcome(Canonicalizer(_LOADER, max_work=500, compiled_expansion=compiled), text)
        for compiled in (True, False)
    ]
    assert outcomes[0] == outcomes[1]
    assert outcomes[0][1:3] == ("ComplexityLimit", "complexity_limit")


# -- the fast path is really taken (the differential tests cannot pass vacuously) -------------


@pytest.mark.reference
@requires_reference
def test_every_suite_input_takes_the_fast_path() -> None:
    taken = [
        param.values[0]
        for param in _EVAL_INPUTS
        if fast_path_result(_read(param.values[0]), hash_algorithm=param.values[2]) is not None
    ]
    # Every one: 32 of the 64 as published need Hash N-Degree Quads, which the fast path runs
    # too (vcbadge.jsonld.labelling).
    assert len(taken) == len(_EVAL_INPUTS) == 64, taken
    for action in taken:
        result = next(param.values[1] for param in _EVAL_INPUTS if param.values[0] == action)
        algorithm = next(param.values[2] for param in _EVAL_INPUTS if param.values[0] == action)
        assert fast_path_result(_read(action), hash_algorithm=algorithm) == _read(result)


def _spy_parse_nquads(monkeypatch: pytest.MonkeyPatch, *, forbid: bool) -> list[str]:
    calls: list[str] = []

    def spy(text: str, *, max_quads: int) -> list[Quad]:
        if forbid:
            raise AssertionError("the fast path fell back to parse_nquads")
        calls.append(text)
        return parse_nquads(text, max_quads=max_quads)

    monkeypatch.setattr(rdfc, "parse_nquads", spy)
    return calls


_BLANK_GRAPH = (
    "_:g <http://ex.org/p> _:s _:g .\n"
    '_:s <http://ex.org/name> "s"@en _:g .\n'
    "_:s <http://ex.org/p> <http://ex.org/o> <http://ex.org/graph> .\n"
)
_SYMMETRIC = "_:x <http://ex.org/p> _:y .\n_:y <http://ex.org/p> _:x .\n"


def test_a_plain_document_with_a_blank_node_graph_takes_the_fast_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    expected = _outcome(Canonicalizer(_LOADER, compiled_expansion=False), _BLANK_GRAPH)
    _spy_parse_nquads(monkeypatch, forbid=True)
    assert fast_path_result(_BLANK_GRAPH) is not None
    assert _outcome(Canonicalizer(_LOADER), _BLANK_GRAPH) == expected
    assert expected[0] == "canonical"
    # The blank node graph name is also the subject of a statement in its own graph.
    assert re.search(r"^(_:c14n\d) <http://ex.org/p> _:c14n\d \1 \.$", expected[1], re.M)


def test_symmetric_blank_nodes_are_labelled_on_the_fast_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    expected = "_:c14n0 <http://ex.org/p> _:c14n1 .\n_:c14n1 <http://ex.org/p> _:c14n0 .\n"
    statements = term_statements(_SYMMETRIC)
    assert statements is not None
    # 12 work units (Hash N-Degree Quads calls and permutations) on either path, not 11.
    assert (
        canonical_quads(statements, hash_algorithm="sha256", max_quads=10, max_work=12) == expected
    )
    with pytest.raises(ComplexityLimit):
        canonical_quads(statements, hash_algorithm="sha256", max_quads=10, max_work=11)
    full_path = Canonicalizer(_LOADER, max_work=12, compiled_expansion=False)
    assert full_path.canonicalize_nquads(_SYMMETRIC) == expected
    with pytest.raises(ComplexityLimit):
        Canonicalizer(_LOADER, max_work=11, compiled_expansion=False).canonicalize_nquads(
            _SYMMETRIC
        )
    _spy_parse_nquads(monkeypatch, forbid=True)
    assert Canonicalizer(_LOADER).canonicalize_nquads(_SYMMETRIC) == expected


@pytest.mark.reference
@requires_reference
def test_suite_inputs_on_the_fast_path_never_reach_parse_nquads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fast_inputs = [
        param.values
        for param in _EVAL_INPUTS
        if fast_path_result(_read(param.values[0]), hash_algorithm=param.values[2]) is not None
    ]
    _spy_parse_nquads(monkeypatch, forbid=True)
    for action, result, algorithm in fast_inputs:
        canonicalizer = Canonicalizer(_LOADER, hash_algorithm=algorithm)
        assert canonicalizer.canonicalize_nquads(_read(action)) == _read(result)


# -- max_quads ----------------------------------------------------------------------------------


def _statements(count: int, *, blank: bool) -> list[str]:
    subject = "_:s" if blank else "<http://ex.org/s>"
    return [f'{subject} <http://ex.org/p> "{index}" .\n' for index in range(count)]


@pytest.mark.parametrize("blank", [False, True], ids=["iris", "blank-subject"])
def test_more_distinct_statements_than_max_quads_is_refused_the_same(blank: bool) -> None:
    limit = 5
    over = "".join(_statements(limit + 1, blank=blank))
    at_limit = "".join(_statements(limit, blank=blank) * 3)  # duplicates do not count
    outcomes = {
        compiled: [
            _outcome(Canonicalizer(_LOADER, max_quads=limit, compiled_expansion=compiled), text)
            for text in (over, at_limit)
        ]
        for compiled in (True, False)
    }
    assert outcomes[True] == outcomes[False]
    refused, accepted = outcomes[True]
    assert refused[:3] == ("refused", "LimitExceeded", "limit_exceeded")
    assert "more than 5 quads" in refused[4]
    assert accepted[0] == "canonical"
    assert accepted[1].count("\n") == limit
    # Without the limit the fast path would have taken the refused document itself.
    assert fast_path_result(over) is not None


def test_the_limit_is_reached_before_a_later_malformed_line_on_both_paths() -> None:
    text = "".join(_statements(3, blank=False)) + "not a statement\n"
    outcomes = {
        _outcome(Canonicalizer(_LOADER, max_quads=2, compiled_expansion=compiled), text)
        for compiled in (True, False)
    }
    assert len(outcomes) == 1
    assert next(iter(outcomes))[1] == "LimitExceeded"


# -- generated documents ------------------------------------------------------------------------

_XSD_STRING_IRI = "http://www.w3.org/2001/XMLSchema#string"
_PLAIN_IRIS = [
    "http://ex.org/p",
    "http://ex.org/q",
    "urn:x:1",
    "https://ex.org/ü/ß#frag",
    "did:example:123",
    "http://ex.org/é\u2028\U0001f600",
    _XSD_STRING_IRI,
    RDF_LANGSTRING,
    "http://www.w3.org/2001/XMLSchema#integer",
]
_RELATIVE_IRIS = ["relative", "/path", "#frag", "", "1http:x", "ex.org/p", "-a:b"]
# Escapes the regex accepts whose value is not a Unicode scalar value, or that spell a
# character an IRI may not hold.
_BAD_IRI_ESCAPES = ["\\uD800", "\\udfff", "\\U00110000", "\\UFFFFFFFF", "\\u0020", "\\u003E"]
_MALFORMED_ESCAPES = ["\\u12", "\\x41", "\\U1234", "\\a", "\\"]


def _uchar(char: str, draw: st.DrawFn) -> str:
    code = ord(char)
    form = draw(st.sampled_from(["u", "U"] if code <= 0xFFFF else ["U"]))
    digits = f"{code:04X}" if form == "u" else f"{code:08X}"
    return f"\\{form}{digits.lower() if draw(st.booleans()) else digits}"


def _rare(draw: st.DrawFn, one_in: int) -> bool:
    # The rare branch at the top of the range, so shrinking leads away from it.
    return draw(st.integers(min_value=1, max_value=one_in)) == one_in


@st.composite
def iri_terms(draw: st.DrawFn, pool: list[str] = _PLAIN_IRIS) -> str:
    """``<...>`` with some characters as UCHARs; rarely relative or with a bad escape."""
    if _rare(draw, 150):
        return f"<{draw(st.sampled_from(_RELATIVE_IRIS))}>"
    iri = draw(st.sampled_from(pool))
    chars = []
    escape_often = draw(st.booleans())
    for char in iri:
        if escape_often and draw(st.booleans()):
            chars.append(_uchar(char, draw))
        else:
            chars.append(char)
    if _rare(draw, 250):
        chars.insert(
            draw(st.integers(0, len(chars))),
            draw(st.sampled_from(_BAD_IRI_ESCAPES + _MALFORMED_ESCAPES)),
        )
    return f"<{''.join(chars)}>"


_ECHARS = {"\t": "t", "\b": "b", "\n": "n", "\r": "r", "\f": "f", '"': '"', "'": "'", "\\": "\\"}
_LITERAL_CHARS = st.one_of(
    st.sampled_from(list(_ECHARS)),
    st.sampled_from(
        ["a", "Z", " ", ".", "#", "<", ">", "_", ":", "@", "^", "\x00", "\x1f", "\x7f"]
    ),
    st.sampled_from(["\x80", "\x9f", "\xa0", "é", "\u2028", "\ufeff", "\uffff", "\U0001f600"]),
    st.characters(exclude_categories=["Cs"]),
)


@st.composite
def literal_terms(draw: st.DrawFn) -> str:
    """A literal with its characters raw, as ECHARs or as UCHARs, and a suffix."""
    parts = []
    for char in draw(st.lists(_LITERAL_CHARS, max_size=8)):
        raw_allowed = char not in '"\\\n\r'
        forms = [
            "uchar",
            *(["echar"] if char in _ECHARS else []),
            *(["raw"] if raw_allowed else []),
        ]
        form = draw(st.sampled_from(forms))
        if form == "raw":
            parts.append(char)
        elif form == "echar":
            parts.append(f"\\{_ECHARS[char]}")
        else:
            parts.append(_uchar(char, draw))
    if _rare(draw, 150):
        bad = draw(st.sampled_from(["\\uD800", "\\U00110000", "\\uDC00", *_MALFORMED_ESCAPES]))
        parts.insert(draw(st.integers(0, len(parts))), bad)
    text = f'"{"".join(parts)}"'
    suffix = draw(st.sampled_from(["none", "none", "language", "datatype", "datatype"]))
    if suffix == "language":
        return text + "@" + draw(st.sampled_from(["en", "EN", "en-US", "de-CH-1996", "x-Y1"]))
    if suffix == "datatype":
        return f"{text}^^{draw(iri_terms())}"
    return text


_LABELS = ["b0", "b1", "b2", "a", "z", "c14n0", "c14n1", "x.y", "é", "1", "a-b", "_u"]


@st.composite
def blank_terms(draw: st.DrawFn, labels: list[str] = _LABELS) -> str:
    return f"_:{draw(st.sampled_from(labels))}"


@st.composite
def statement_lines(draw: st.DrawFn) -> str:
    labels = draw(st.sampled_from([_LABELS[:2], _LABELS[:4], _LABELS]))
    subject = draw(st.one_of(iri_terms(), blank_terms(labels)))
    predicate = draw(iri_terms(_PLAIN_IRIS[:5]))
    object_ = draw(st.one_of(iri_terms(), blank_terms(labels), literal_terms(), literal_terms()))
    graph = draw(st.sampled_from(["default", "default", "iri", "blank"]))
    terms = [subject, predicate, object_]
    if graph == "iri":
        terms.append(draw(iri_terms()))
    elif graph == "blank":
        terms.append(draw(blank_terms(labels)))
    space = draw(st.sampled_from([" ", " ", "\t", "  ", ""]))
    line = space.join(terms) + draw(st.sampled_from([" .", ".", " . ", " . # c", "\t.#x \\u"]))
    return draw(st.sampled_from(["", " ", "\t"])) + line


# Blank node structures whose first-degree hashes collide (or are deliberately unique), so
# documents cross the boundary between the fast path and Hash N-Degree Quads.
_P, _Q, _O = "<http://ex.org/p>", "<http://ex.org/q>", "<http://ex.org/o>"
_STRUCTURES = [
    f"_:x {_P} {_O} .\n_:y {_P} {_O} .\n",  # two isomorphic nodes
    f"_:x {_P} _:y .\n_:y {_P} _:x .\n",  # two-cycle
    f"_:x {_P} _:y .\n_:y {_P} _:z .\n_:z {_P} _:x .\n",  # three-cycle
    f"_:x {_P} _:y .\n_:y {_Q} _:x .\n",  # cycle with distinct predicates: unique hashes
    f"_:g {_P} _:s _:g .\n_:s {_P} {_O} _:g .\n",  # a blank node names its own graph
    f"_:s {_P} {_O} _:g1 .\n_:t {_P} {_O} _:g2 .\n",  # two symmetric graphs
    f'_:s {_P} "v" _:g .\n_:s {_P} "v" .\n',  # same statement in two graphs
    f"_:a {_P} _:a .\n",  # self loop, with the relabelling labels
    f"_:z {_P} _:a .\n_:a {_P} _:z .\n",
]
_MALFORMED_LINES = [
    f"{_O} {_P} {_O}",  # no dot
    f"{_O} {_P} .",
    f'"lit" {_P} {_O} .',  # literal subject
    f"{_O} _:p {_O} .",  # blank node predicate
    f"{_O} {_P} {_O} {_O} {_O} .",
    f"<http://ex.org/unterminated {_P} {_O} .",
    f'{_O} {_P} "unterminated .',
    f'{_O} {_P} "raw\nnewline" .',
    f'{_O} {_P} "raw\rreturn" .',
    f'{_O} {_P} "a"@ .',
    f'{_O} {_P} "a"@en^^<http://ex.org/t> .',
    f"{_O} {_P} _:bad. .",
    f"{_O} {_P} _:.x .",
    "@prefix ex: <http://ex.org/> .",
    f"{_O} {_P} {_O} . . ",
    f"{_O} {_P} {_O} .\x0b",
]


@st.composite
def nquads_documents(draw: st.DrawFn) -> str:
    lines: list[str] = []
    for _ in range(draw(st.integers(min_value=0, max_value=8))):
        kind = draw(st.integers(min_value=0, max_value=99))
        if kind < 70:
            lines.append(draw(statement_lines()))
        elif kind < 80 and lines:
            lines.append(lines[draw(st.integers(0, len(lines) - 1))])  # duplicate
        elif kind < 88:
            lines.extend(draw(st.sampled_from(_STRUCTURES)).splitlines())
        elif kind < 97:
            lines.append(draw(st.sampled_from(["", "   ", "# comment", "\t# <x> .", "#"])))
        else:
            lines.append(draw(st.sampled_from(_MALFORMED_LINES)))
    newline = draw(st.sampled_from(["\n", "\n", "\r\n", "\r", "\n\n"]))
    text = newline.join(lines)
    return text + newline if draw(st.booleans()) else text


def _classify(text: str) -> str:
    outcome = _outcome(_PAIRS["sha256", DEFAULT_MAX_QUADS][1], text)
    if outcome[0] == "refused":
        return f"refused: {outcome[1]}"
    return "fast path" if fast_path_result(text) is not None else "full path"


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(nquads_documents())
def test_generated_nquads_canonicalize_the_same_on_both_paths(text: str) -> None:
    event(_classify(text))
    for algorithm, max_quads in _PAIRS:
        assert_same(text, hash_algorithm=algorithm, max_quads=max_quads)
    assert_parsers_agree(text)


_ONE_UNIT = Canonicalizer(_LOADER, max_work=1)

# Generation only: an example is enough, shrinking it would cost seconds.
_FIND = settings(max_examples=2000, database=None, deadline=None, phases=[Phase.generate])


@pytest.mark.parametrize(
    "branch",
    [
        "fast path",
        "refused: CanonicalizationError",
        "fast path with a blank node graph",
        "fast path through Hash N-Degree Quads",
        "fast path with a UCHAR",
        "fast path with an ECHAR",
    ],
)
def test_the_generator_reaches_every_branch(branch: str) -> None:
    conditions: Mapping[str, Callable[[str], bool]] = {
        "fast path with a blank node graph": lambda text: (
            _classify(text) == "fast path"
            and any(
                len(statement) == 4 and statement[3].startswith("_:")
                for statement in term_statements(text) or []
            )
        ),
        # Look-alike blank nodes: labelling them spends work units, so one unit is too few.
        "fast path through Hash N-Degree Quads": lambda text: (
            _classify(text) == "fast path" and _outcome(_ONE_UNIT, text)[1] == "ComplexityLimit"
        ),
        "fast path with a UCHAR": lambda text: (
            _classify(text) == "fast path" and re.search(r"\\[uU][0-9A-Fa-f]{4}", text) is not None
        ),
        "fast path with an ECHAR": lambda text: (
            _classify(text) == "fast path" and re.search(r'\\[tbnrf"\'\\]', text) is not None
        ),
    }

    def classified(text: str) -> bool:
        return _classify(text) == branch

    condition = conditions.get(branch, classified)
    assert condition(find(nquads_documents(), condition, settings=_FIND))


# -- hand-picked boundaries ---------------------------------------------------------------------

_BOUNDARIES = {
    "ascii-uchar-iri": "<http://ex.org/\\u0061\\U00000062> <http://ex.org/p> <urn:x:1> .\n",
    "non-ascii-uchar-iri": "<http://ex.org/\\u00E9\\U0001F600> <http://ex.org/p> <urn:x:1> .\n",
    "uchar-scheme": "<\\u0068ttp://ex.org/> <http://ex.org/p> <urn:x:1> .\n",
    "surrogate-iri": "<http://ex.org/\\uD800> <http://ex.org/p> <urn:x:1> .\n",
    "surrogate-pair-iri": "<http://ex.org/\\uD83D\\uDE00> <http://ex.org/p> <urn:x:1> .\n",
    "beyond-unicode-iri": "<http://ex.org/\\U00110000> <http://ex.org/p> <urn:x:1> .\n",
    "escaped-space-iri": "<http://ex.org/a\\u0020b> <http://ex.org/p> <urn:x:1> .\n",
    "escaped-gt-iri": "<http://ex.org/a\\u003E> <http://ex.org/p> <urn:x:1> .\n",
    "relative-iri": "<a/b> <http://ex.org/p> <urn:x:1> .\n",
    "relative-datatype": '<urn:x:1> <http://ex.org/p> "v"^^<integer> .\n',
    "every-echar": '<urn:x:1> <http://ex.org/p> "\\t\\b\\n\\r\\f\\"\\\'\\\\" .\n',
    "uchar-case": '<urn:x:1> <http://ex.org/p> "\\u00e9\\u00E9\\U0001f600\\u007f\\u007F" .\n',
    "raw-controls": '<urn:x:1> <http://ex.org/p> "\x00\x01\x1f\x7f\x80\x9f\u2028" .\n',
    "surrogate-literal": '_:b <http://ex.org/p> "\\uDFFF" .\n',
    "beyond-unicode-literal": '_:b <http://ex.org/p> "\\UFFFFFFFF" .\n',
    "explicit-xsd-string": (
        f'_:b <http://ex.org/p> "v"^^<{_XSD_STRING_IRI}> .\n_:b <http://ex.org/p> "v" .\n'
    ),
    "escaped-xsd-string": (
        '_:b <http://ex.org/p> "v"^^<http://www.w3.org/2001/XMLSchema#\\u0073tring> .\n'
    ),
    "langstring-without-language": f'_:b <http://ex.org/p> "v"^^<{RDF_LANGSTRING}> .\n',
    "langstring-and-plain": (
        f'<urn:x:1> <http://ex.org/p> "v"^^<{RDF_LANGSTRING}> .\n'
        '<urn:x:1> <http://ex.org/p> "v" .\n'
    ),
    "language-case": '_:b <http://ex.org/p> "v"@EN .\n_:b <http://ex.org/p> "v"@en .\n',
    "bnode-graph-and-subject": _BLANK_GRAPH,
    "symmetric": _SYMMETRIC,
    "duplicates-with-escapes": (
        '_:b <http://ex.org/p> "\\u0041" .\n_:b <http://ex.org/p> "A" .\n'
        '_:b <http://ex.org/\\u0070> "A" .\n'
    ),
    "comment-with-backslash": "<urn:x:1> <http://ex.org/p> <urn:x:2> . # \\uD800 \\q\n",
    "vertical-tab": "<urn:x:1> <http://ex.org/p> <urn:x:2> .\x0b\n",
    "malformed-after-good": "<urn:x:1> <http://ex.org/p> <urn:x:2> .\n\n\n<urn:x:1> <p> .\n",
}


@pytest.mark.parametrize("text", list(_BOUNDARIES.values()), ids=list(_BOUNDARIES))
def test_boundary_documents_canonicalize_the_same_on_both_paths(text: str) -> None:
    for algorithm, max_quads in _PAIRS:
        assert_same(text, hash_algorithm=algorithm, max_quads=max_quads)
    assert_parsers_agree(text)


@pytest.mark.parametrize(
    "name",
    [
        "surrogate-iri",
        "surrogate-pair-iri",
        "beyond-unicode-iri",
        "escaped-space-iri",
        "escaped-gt-iri",
        "relative-iri",
        "relative-datatype",
        "surrogate-literal",
        "beyond-unicode-literal",
        "vertical-tab",
        "malformed-after-good",
    ],
)
def test_bad_boundary_documents_are_refused_with_a_code(name: str) -> None:
    outcome = assert_same(_BOUNDARIES[name])
    assert outcome[:3] == ("refused", "CanonicalizationError", "canonicalization_failed")
    assert term_statements(_BOUNDARIES[name]) is None


def test_decoded_escapes_reach_the_canonical_form() -> None:
    outcome = assert_same(_BOUNDARIES["every-echar"] + _BOUNDARIES["uchar-case"])
    assert outcome == (
        "canonical",
        '<urn:x:1> <http://ex.org/p> "\\t\\b\\n\\r\\f\\"\'\\\\" .\n'
        '<urn:x:1> <http://ex.org/p> "éé\U0001f600\\u007F\\u007F" .\n',
    )
    assert fast_path_result(_BOUNDARIES["every-echar"]) is not None


@pytest.mark.parametrize(
    "text",
    [
        '<urn:x:1> <http://ex.org/p> "\ud800" .\n',
        '_:b <http://ex.org/p> "\ud800" .\n',
        "<urn:x:1> <http://ex.org/\udfff> <urn:x:2> .\n",
    ],
    ids=["literal", "literal-of-a-blank-node", "iri"],
)
def test_raw_lone_surrogates_are_refused_with_a_code(text: str) -> None:
    """A str can hold a lone surrogate, UTF-8 cannot: neither hashed nor written out, it is
    refused on both paths (escapes of surrogates are refused the same way, above)."""
    for compiled in (True, False):
        canonicalizer = Canonicalizer(_LOADER, compiled_expansion=compiled)
        outcome = _outcome(canonicalizer, text)
        assert outcome[:3] == ("refused", "CanonicalizationError", "canonicalization_failed")
        assert "not valid Unicode text" in outcome[4]
    assert term_statements(text) is None


@pytest.mark.parametrize("name", ["langstring-without-language", "langstring-and-plain"])
def test_an_rdf_langstring_literal_without_a_language_is_refused(name: str) -> None:
    """RDF 1.1: ``rdf:langString`` is the datatype of language-tagged strings only; written
    out without its tag it would merge with the plain string of the same text."""
    outcome = assert_same(_BOUNDARIES[name])
    assert outcome[:3] == ("refused", "CanonicalizationError", "canonicalization_failed")
    assert "language tag" in outcome[4]


def test_a_refusal_names_the_line_blank_lines_included() -> None:
    outcome = assert_same(_BOUNDARIES["malformed-after-good"])
    assert "at line 4:" in outcome[4]


# The decoding memo covers \u escapes of ASCII; \U escapes of the same characters are decoded
# without it, and the raw characters need no decoding: all three must mean the same.
_ASCII_FORMS = {
    "u-upper": lambda code: f"\\u{code:04X}",
    "u-lower": lambda code: f"\\u{code:04x}",
    "U": lambda code: f"\\U{code:08X}",
}


@pytest.mark.parametrize("form", list(_ASCII_FORMS))
def test_uchar_escapes_of_ascii_mean_their_character_in_literals(form: str) -> None:
    def document(spell: Callable[[int], str]) -> str:
        return "".join(f'_:b <http://ex.org/p{code}> "<{spell(code)}>" .\n' for code in range(128))

    def raw(code: int) -> str:
        char = chr(code)
        return f"\\{_ECHARS[char]}" if char in '"\\\n\r' else char

    escaped = assert_same(document(_ASCII_FORMS[form]))
    assert escaped[0] == "canonical"
    assert escaped == assert_same(document(raw))
    assert fast_path_result(document(_ASCII_FORMS[form])) == escaped[1]


@pytest.mark.parametrize("form", list(_ASCII_FORMS))
@pytest.mark.parametrize("code", range(128))
def test_uchar_escapes_of_ascii_mean_their_character_in_iris(form: str, code: int) -> None:
    escaped = assert_same(f"<urn:x:{_ASCII_FORMS[form](code)}> <http://ex.org/p> _:o .\n")
    if re.fullmatch(r'[^\x00-\x20<>"{}|^`\\]', chr(code)):
        assert escaped == assert_same(f"<urn:x:{chr(code)}> <http://ex.org/p> _:o .\n")
        assert escaped[0] == "canonical"
    else:
        assert escaped[:3] == ("refused", "CanonicalizationError", "canonicalization_failed")


def test_checked_iris_are_remembered_bounded_and_only_when_they_pass() -> None:
    from vcbadge.jsonld import nquads

    relative = "<a/b> <http://ex.org/p> <urn:x:1> .\n"
    for _ in range(2):  # a refused IRI is refused again: nothing was remembered for it
        assert term_statements(relative) is None
        assert "a/b" not in nquads._CHECKED_IRI_TERMS
    statements = term_statements("<http://ex.org/s> <http://ex.org/p> <urn:x:1> .\n")
    assert statements == [("<http://ex.org/s>", "<http://ex.org/p>", "<urn:x:1>")]
    assert nquads._CHECKED_IRI_TERMS["http://ex.org/s"] == "<http://ex.org/s>"
    many = "".join(f"<urn:x:{n}> <http://ex.org/p> <urn:y:{n}> .\n" for n in range(3000))
    for _ in range(2):
        assert term_statements(many) is not None
        assert len(nquads._CHECKED_IRI_TERMS) <= nquads._MAX_CHECKED_IRI_TERMS
