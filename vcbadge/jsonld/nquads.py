"""N-Quads parsing and canonical N-Quads serialization for RDFC-1.0.

pyld's own N-Quads code does not follow the canonical form that RDFC-1.0 hashes and outputs:
its serializer leaves control characters such as U+0000 or U+007F raw and its parser does not
decode ``\\u``/``\\U``/``\\b``/``\\f``/``\\'`` escapes (rdf-canon test060). This module replaces
both ends and keeps pyld's in-memory quad shape so pyld's URDNA2015 hashing code can run on it:

    {"subject": {"type": "IRI" | "blank node", "value": ...},
     "predicate": {"type": "IRI", "value": ...},
     "object": {"type": "IRI" | "blank node" | "literal", "value": ...,
                "datatype": ..., "language": ...},          # datatype/language: literals only
     "name": {...}}                                          # absent for the default graph

Blank node values keep their ``_:`` prefix, as in pyld.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, Final

from vcbadge.errors import CanonicalizationError, LimitExceeded

__all__ = [
    "RDF_LANGSTRING",
    "XSD_STRING",
    "Quad",
    "escape_literal",
    "parse_nquads",
    "quads_from_dataset",
    "serialize_quad",
    "term_statements",
]

Quad = dict[str, dict[str, str]]

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

# Canonical N-Quads (RDF 1.2 N-Triples/N-Quads canonical form, as expected by rdf-canon
# test060): the seven characters with a short escape use it; the remaining C0 controls and
# DEL use \u and four upper-case hex digits; every other character, including U+0080..U+009F and
# the apostrophe, is written as itself.
_SHORT_ESCAPES = {
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
    '"': '\\"',
    "\\": "\\\\",
}
_LITERAL_ESCAPES: dict[int, str] = {
    code: _SHORT_ESCAPES.get(chr(code), f"\\u{code:04X}") for code in [*range(0x20), 0x7F]
}
_LITERAL_ESCAPES[ord('"')] = '\\"'
_LITERAL_ESCAPES[ord("\\")] = "\\\\"

# Characters IRIREF cannot hold. An IRI that contains one would make the serialization
# ambiguous (an IRI with ">" could smuggle in another term), so we refuse it instead of
# hashing something two different datasets could share.
_IRI_FORBIDDEN = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_ABSOLUTE_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")

_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"
_IRIREF = rf"<((?:[^\x00-\x20<>\"{{}}|^`\\]|{_UCHAR})*)>"
# PN_CHARS is approximated for non-ASCII: any non-ASCII character is accepted in a label.
_PN_START = r"(?:[A-Za-z0-9_]|[^\x00-\x7F])"
_PN_END = r"(?:[A-Za-z0-9_\-]|[^\x00-\x7F])"
_BNODE = rf"(_:{_PN_START}(?:(?:{_PN_END}|\.)*{_PN_END})?)"
_STRING = rf"\"((?:[^\"\\\n\r]|\\[tbnrf\"'\\]|{_UCHAR})*)\""
_LANGTAG = r"@([a-zA-Z]+(?:-[a-zA-Z0-9]+)*)"
_WS = r"[ \t]"
_QUAD = re.compile(
    rf"^{_WS}*(?:{_IRIREF}|{_BNODE}){_WS}*"  # subject: 1 iri, 2 bnode
    rf"{_IRIREF}{_WS}*"  # predicate: 3
    rf"(?:{_IRIREF}|{_BNODE}|{_STRING}(?:\^\^{_IRIREF}|{_LANGTAG})?){_WS}*"  # 4..8
    rf"(?:(?:{_IRIREF}|{_BNODE}){_WS}*)?"  # graph: 9 iri, 10 bnode
    rf"\.{_WS}*(?:#.*)?$"
)
# The same statement without escapes, which most lines have: one character class per term
# instead of an alternation per character, several times faster. It accepts a subset of
# _QUAD's lines and captures the same groups, so either reads a line the same way.
_IRIREF_PLAIN = r"<([^\x00-\x20<>\"{}|^`\\]*)>"
_STRING_PLAIN = r"\"([^\"\\\n\r]*)\""
_PLAIN_QUAD = re.compile(
    rf"^{_WS}*(?:{_IRIREF_PLAIN}|{_BNODE}){_WS}*"
    rf"{_IRIREF_PLAIN}{_WS}*"
    rf"(?:{_IRIREF_PLAIN}|{_BNODE}|{_STRING_PLAIN}(?:\^\^{_IRIREF_PLAIN}|{_LANGTAG})?){_WS}*"
    rf"(?:(?:{_IRIREF_PLAIN}|{_BNODE}){_WS}*)?"
    rf"\.{_WS}*(?:#.*)?$"
)
# N-Quads line ends (EOL is [\r\n]+ in the grammar, so blank lines in between are allowed;
# splitting at each one keeps the line numbers of error messages right).
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_BLANK_LINE = re.compile(rf"^{_WS}*(?:#.*)?$")
_ESCAPE = re.compile(rf"\\[tbnrf\"'\\]|{_UCHAR}")
_ECHAR_VALUES = {
    "t": "\t",
    "b": "\b",
    "n": "\n",
    "r": "\r",
    "f": "\f",
    '"': '"',
    "'": "'",
    "\\": "\\",
}


_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _is_unicode_text(value: str) -> bool:
    return _SURROGATE.search(value) is None


def _decode_escape(match: re.Match[str]) -> str:
    token = match.group(0)
    known = _DECODED.get(token)
    if known is not None:
        return known
    if token[1] in "uU":
        code = int(token[2:], 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise ValueError(f"escape {token} is not a Unicode scalar value")
        return chr(code)
    return _ECHAR_VALUES[token[1]]


# The escapes that decode without a check: the ECHARs, and the \u escapes of ASCII.
_DECODED: dict[str, str] = {f"\\{key}": value for key, value in _ECHAR_VALUES.items()}
_DECODED.update({f"\\u{code:04{case}}": chr(code) for code in range(128) for case in "Xx"})


def _unescape(text: str) -> str:
    return _ESCAPE.sub(_decode_escape, text) if "\\" in text else text


def _iri(text: str) -> str:
    value = _unescape(text)
    check_iri(value)
    return value


def check_iri(value: str) -> None:
    """Raise ``CanonicalizationError`` unless ``value`` is an absolute IRI N-Quads can carry."""
    if _IRI_FORBIDDEN.search(value) or not _ABSOLUTE_IRI.match(value):
        raise CanonicalizationError(f"not an absolute IRI that N-Quads can carry: {value!r}")


def _term(iri: str | None, bnode: str | None) -> dict[str, str]:
    if iri is not None:
        return {"type": "IRI", "value": _iri(iri)}
    assert bnode is not None
    return {"type": "blank node", "value": bnode}


def parse_nquads(text: str, *, max_quads: int) -> list[Quad]:
    """Parse N-Quads (with every ECHAR and UCHAR escape) into pyld-shaped quads.

    Duplicate quads are dropped, since an RDF dataset is a set and duplicates would change the
    first-degree hashes. More than ``max_quads`` distinct quads raise ``LimitExceeded``; a line
    that is not a quad raises ``CanonicalizationError`` naming the line.
    """
    quads: list[Quad] = []
    seen: set[str] = set()
    for number, line in enumerate(_LINE_BREAK.split(text), start=1):
        if _BLANK_LINE.match(line):
            continue
        match = _PLAIN_QUAD.match(line) or _QUAD.match(line)
        if match is None:
            raise CanonicalizationError(f"invalid N-Quads statement at line {number}: {line!r}")
        if not line.isascii() and not _is_unicode_text(line):
            # A lone surrogate (a str can hold one, UTF-8 cannot): it could be neither hashed
            # nor written out.
            raise CanonicalizationError(f"line {number} is not valid Unicode text: {line!r}")
        g = match.groups()
        try:
            quad: Quad = {
                "subject": _term(g[0], g[1]),
                "predicate": {"type": "IRI", "value": _iri(g[2])},
            }
            if g[5] is not None:
                literal = {"type": "literal", "value": _unescape(g[5])}
                if g[7] is not None:
                    literal["datatype"] = RDF_LANGSTRING
                    literal["language"] = g[7]
                else:
                    literal["datatype"] = _iri(g[6]) if g[6] is not None else XSD_STRING
                    if literal["datatype"] == RDF_LANGSTRING:
                        # RDF 1.1: rdf:langString is the datatype of language-tagged strings
                        # only. Without a tag the literal is ill-formed, and written out it
                        # would merge with the plain string of the same text.
                        raise ValueError("an rdf:langString literal needs a language tag")
                quad["object"] = literal
            else:
                quad["object"] = _term(g[3], g[4])
            if g[8] is not None or g[9] is not None:
                quad["name"] = _term(g[8], g[9])
        except ValueError as exc:
            raise CanonicalizationError(f"invalid N-Quads term at line {number}: {exc}") from exc
        _add_unique(quads, seen, quad, max_quads)
    return quads


def term_statements(text: str) -> list[tuple[str, ...]] | None:
    """The statements of an N-Quads document as canonical N-Quads term text (``<iri>``,
    ``_:label``, a literal as :func:`serialize_quad` writes it): a triple, or a quad with its
    graph name last, for ``vcbadge.jsonld.compiled``'s canonicalization. ``None`` for anything
    left to :func:`parse_nquads`, which raises what there is to raise: a line that is not a
    statement, a lone surrogate, an escape that is not a Unicode scalar value, an IRI that is
    not absolute, a literal typed ``rdf:langString`` without a language. Duplicates are kept;
    the canonicalization drops them."""
    statements: list[tuple[str, ...]] = []
    checked = _CHECKED_IRI_TERMS

    def iri(raw: str) -> str:
        term = checked.get(raw)
        if term is None:
            term = f"<{_iri(raw)}>"  # raises for an IRI N-Quads cannot carry: nothing kept
            if len(checked) >= _MAX_CHECKED_IRI_TERMS:
                checked.clear()
            checked[raw] = term
        return term

    if not text.isascii() and not _is_unicode_text(text):
        return None
    try:
        for line in text.split("\n") if "\r" not in text else _LINE_BREAK.split(text):
            match = _PLAIN_QUAD.match(line) or _QUAD.match(line)
            if match is None:
                if _BLANK_LINE.match(line):
                    continue
                return None
            g = match.groups()
            subject = g[1] if g[0] is None else iri(g[0])
            if g[5] is None:
                object_ = g[4] if g[3] is None else iri(g[3])
            else:
                object_ = f'"{escape_literal(_unescape(g[5]))}"'
                if g[7] is not None:
                    object_ = f"{object_}@{g[7]}"
                elif g[6] is not None:
                    datatype = iri(g[6])
                    if datatype == _LANGSTRING_TERM:
                        return None
                    if datatype != _STRING_TERM:
                        object_ = f"{object_}^^{datatype}"
            if g[8] is not None:
                statements.append((subject, iri(g[2]), object_, iri(g[8])))
            elif g[9] is not None:
                statements.append((subject, iri(g[2]), object_, g[9]))
            else:
                statements.append((subject, iri(g[2]), object_))
    except (ValueError, CanonicalizationError):
        return None
    return statements


# IRIs as written in N-Quads (escapes and all) that passed check_iri, with their term text:
# shared by every call, since documents repeat their vocabularies' IRIs; bounded.
_CHECKED_IRI_TERMS: dict[str, str] = {}
_MAX_CHECKED_IRI_TERMS: Final = 4096

_LANGSTRING_TERM = f"<{RDF_LANGSTRING}>"
_STRING_TERM = f"<{XSD_STRING}>"


def _add_unique(quads: list[Quad], seen: set[str], quad: Quad, max_quads: int) -> None:
    key = serialize_quad(quad)
    if key in seen:
        return
    if len(quads) >= max_quads:
        raise LimitExceeded(f"the dataset has more than {max_quads} quads")
    seen.add(key)
    quads.append(quad)


def quads_from_dataset(dataset: Mapping[str, Iterable[Any]], *, max_quads: int) -> list[Quad]:
    """Turn a pyld RDF dataset (``{graph name: [triple, ...]}``) into a list of unique quads.

    IRIs are checked with ``check_iri`` on the way, because pyld passes through IRIs (``>``,
    ``"``...) that would make the N-Quads text ambiguous.
    """
    quads: list[Quad] = []
    seen: set[str] = set()
    # The same few predicates, types and datatypes recur in every node: check each IRI once.
    checked: set[str] = set()
    for graph_name, triples in dataset.items():
        for triple in triples:
            if triple["object"] is None:
                # pyld's list conversion keeps a slot for a relative IRI it drops (only
                # possible with safe mode off): the item is dropped, like every relative IRI.
                continue
            quad: Quad = {key: dict(triple[key]) for key in ("subject", "predicate", "object")}
            if graph_name != "@default":
                kind = "blank node" if graph_name.startswith("_:") else "IRI"
                quad["name"] = {"type": kind, "value": graph_name}
            for component in quad.values():
                if component["type"] == "IRI":
                    iri: str | None = component["value"]
                elif component["type"] == "literal":
                    iri = component.get("datatype")
                else:
                    iri = None
                if iri is not None and iri not in checked:
                    check_iri(iri)
                    checked.add(iri)
                if not _is_unicode_text(component["value"]):
                    # JSON allows lone surrogates ("\ud800"); UTF-8, and so hashing, does not.
                    raise CanonicalizationError(
                        f"value {component['value']!r} is not valid Unicode text"
                    )
            _add_unique(quads, seen, quad, max_quads)
    return quads


def escape_literal(value: str) -> str:
    """Escape a literal's lexical form as canonical N-Quads requires."""
    return value.translate(_LITERAL_ESCAPES)


def _serialize_term(term: Mapping[str, str]) -> str:
    kind = term["type"]
    if kind == "IRI":
        return f"<{term['value']}>"
    if kind == "blank node":
        return term["value"]
    text = f'"{escape_literal(term["value"])}"'
    datatype = term.get("datatype", XSD_STRING)
    if datatype == RDF_LANGSTRING:
        language = term.get("language")
        return f"{text}@{language}" if language else text
    if datatype != XSD_STRING:
        return f"{text}^^<{datatype}>"
    return text


def serialize_quad(quad: Mapping[str, Mapping[str, str]]) -> str:
    """One quad in canonical N-Quads form, with its terminating newline."""
    parts = [_serialize_term(quad["subject"]), _serialize_term(quad["predicate"])]
    parts.append(_serialize_term(quad["object"]))
    name = quad.get("name")
    if name is not None:
        parts.append(_serialize_term(name))
    return " ".join(parts) + " .\n"
