"""The RDF dataset of *expanded* JSON-LD in one pass, for the shapes credentials use.

pyld turns expanded JSON-LD into RDF by first building a node map (flattening every node,
merging by ``@id``) and then walking it; for a credential that is about a fifth of a
canonicalization. An RDF dataset is a set of quads and blank node labels are arbitrary (RDFC-1.0
relabels them), so for the subset below the triples can be emitted straight from the expanded
tree: every node object gives its ``rdf:type`` and property triples, a node object without
``@id`` is a fresh blank node, and a node met twice only repeats triples the set absorbs.

The subset (anything else returns ``None`` and the caller takes pyld's path on the same
expanded document, so nothing outside it is ever guessed at):

* node objects with ``@id`` (absolute IRI or blank node label), ``@type`` (absolute IRIs) and
  properties that are absolute IRIs; no other keyword (``@graph``, ``@list``, ``@reverse``,
  ``@included``, ``@index``...);
* value objects with ``@value`` and at most one of ``@type`` (an absolute IRI other than
  ``@json`` and ``xsd:double``) or ``@language``; the value a string, a boolean or an integer
  below 10^21 (exactly the cases where pyld's literal is the value's plain text). Floats,
  doubles, JSON literals and ``@direction`` go to pyld, which has their canonical forms.

Only the default graph is produced. The triples have pyld's shape, so
``vcbadge.jsonld.nquads.quads_from_dataset`` checks them exactly as it checks pyld's.
"""

from __future__ import annotations

from typing import Any, Final

from pyld.jsonld import _is_absolute_iri

__all__ = ["dataset_from_expanded"]

_RDF: Final = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
_RDF_TYPE: Final = {"type": "IRI", "value": _RDF + "type"}
_RDF_LANGSTRING: Final = _RDF + "langString"
_XSD: Final = "http://www.w3.org/2001/XMLSchema#"
_XSD_STRING: Final = _XSD + "string"
_XSD_BOOLEAN: Final = _XSD + "boolean"
_XSD_INTEGER: Final = _XSD + "integer"
_XSD_DOUBLE: Final = _XSD + "double"
# pyld writes integers from 10^21 up in the canonical double form; below, as digits.
_MAX_PLAIN_INTEGER: Final = 10**21
_NODE_KEYWORDS: Final = frozenset({"@id", "@type"})
_VALUE_KEYS: Final = frozenset({"@value", "@type", "@language"})

Term = dict[str, str]
Triple = dict[str, Term]


class _Unsupported(Exception):
    """The expanded document leaves the subset; pyld's own path handles it."""


def _absolute(value: Any) -> bool:
    return isinstance(value, str) and not value.startswith("_:") and bool(_is_absolute_iri(value))


class _Emitter:
    def __init__(self) -> None:
        self.triples: list[Triple] = []
        self._labels: dict[str, str] = {}
        self._issued = 0

    def _fresh(self) -> Term:
        label = f"_:b{self._issued}"
        self._issued += 1
        return {"type": "blank node", "value": label}

    def _relabelled(self, label: str) -> Term:
        # Input labels get fresh labels too, so none can collide with a generated one.
        issued = self._labels.get(label)
        if issued is None:
            issued = self._labels[label] = self._fresh()["value"]
        return {"type": "blank node", "value": issued}

    def node(self, node: dict[str, Any]) -> Term:
        identifier = node.get("@id")
        if identifier is None:
            subject = self._fresh()
        elif isinstance(identifier, str) and identifier.startswith("_:"):
            subject = self._relabelled(identifier)
        elif _absolute(identifier):
            subject = {"type": "IRI", "value": identifier}
        else:
            raise _Unsupported
        append = self.triples.append
        for key, values in node.items():
            if key in _NODE_KEYWORDS:
                if key == "@type":
                    if not isinstance(values, list):
                        raise _Unsupported
                    for type_ in values:
                        if not _absolute(type_):
                            raise _Unsupported
                        append(
                            {
                                "subject": subject,
                                "predicate": _RDF_TYPE,
                                "object": {"type": "IRI", "value": type_},
                            }
                        )
                continue
            if not _absolute(key) or not isinstance(values, list):
                raise _Unsupported
            predicate: Term = {"type": "IRI", "value": key}
            for item in values:
                append({"subject": subject, "predicate": predicate, "object": self.object(item)})
        return subject

    def object(self, item: Any) -> Term:
        if not isinstance(item, dict):
            raise _Unsupported
        # Any keyword but @id and @type (a @list, a @graph...) fails node()'s IRI check.
        return _literal(item) if "@value" in item else self.node(item)


def _literal(item: dict[str, Any]) -> Term:
    if not item.keys() <= _VALUE_KEYS:
        raise _Unsupported
    value = item["@value"]
    datatype = item.get("@type")
    if datatype is not None and (not _absolute(datatype) or datatype == _XSD_DOUBLE):
        raise _Unsupported
    if "@language" in item:
        language = item["@language"]
        if datatype is not None or not isinstance(value, str) or not isinstance(language, str):
            raise _Unsupported
        return {
            "type": "literal",
            "value": value,
            "datatype": _RDF_LANGSTRING,
            "language": language,
        }
    if isinstance(value, str):
        return {"type": "literal", "value": value, "datatype": datatype or _XSD_STRING}
    if isinstance(value, bool):
        text = "true" if value else "false"
        return {"type": "literal", "value": text, "datatype": datatype or _XSD_BOOLEAN}
    if isinstance(value, int) and abs(value) < _MAX_PLAIN_INTEGER:
        return {"type": "literal", "value": str(value), "datatype": datatype or _XSD_INTEGER}
    raise _Unsupported


def dataset_from_expanded(expanded: Any) -> dict[str, list[Triple]] | None:
    """The default-graph triples of expanded JSON-LD (pyld's dataset shape), or ``None`` when
    the document uses anything outside the subset this module handles."""
    if not isinstance(expanded, list):
        return None
    emitter = _Emitter()
    try:
        for node in expanded:
            if not isinstance(node, dict) or "@value" in node:
                raise _Unsupported
            emitter.node(node)
    except _Unsupported:
        return None
    return {"@default": emitter.triples}
