"""Canonical N-Quads straight from compact JSON-LD, for documents inside a proven subset.

pyld expands a document into a new tree, builds a node map from it, serializes RDF terms as
dicts and only then runs RDFC-1.0; for a credential, expansion alone is over half of that. This
module does the same work in one walk over the compact document, with every term decision read
from **term tables** compiled once per active context:

* Contexts are never interpreted here. Every active context (the document's, each type-scoped
  and property-scoped one, each "previous" context a type-scoped one reverts to) is processed by
  pyld itself, through the ``Canonicalizer``'s own processor, loader and processed-context memo,
  exactly when and how pyld's expansion algorithm would process it. A ``_TermTable`` records,
  per processed context, what pyld's term lookups return (the expansion of a key, its
  coercion, container, language, scoped context) and which context each transition leads to.
  Tables hold their context object, so an entry can never answer for another context. Only
  identifiers (``@id`` values, ``@id``-coerced strings) differ in every document and cannot be
  tabled: ``document_iri`` repeats pyld's short sequence of tests for them, and a test in
  tests/jsonld/test_compiled.py holds it to pyld's ``_expand_iri``.
* The walk mirrors pyld 3.3's ``_expand``/``_expand_object``/``_expand_value`` for the subset
  below, then emits each triple as canonical N-Quads term text (the shapes of
  ``vcbadge.jsonld.fast_rdf``, with the same literal rules).
* RDFC-1.0 runs here on the term text. In its common case every blank node has a unique
  first-degree hash, and the canonical labels follow from sorting those hashes. Otherwise
  ``vcbadge.jsonld.labelling`` runs Hash N-Degree Quads with the full path's steps and work
  units, and raises the same ``ComplexityLimit`` past ``max_work``: the one refusal made here.

The subset. Anything else makes ``CompiledContexts.triples`` (or ``canonical_nquads``) return
``None`` and the caller takes the pyld path from scratch, so every other refusal (safe-mode
``UndefinedTerm``/``RelativeIri`` with its JSON path, a loader's ``ContextNotAllowed``, pyld's
syntax errors, the other limits) is raised by that path, never here:

* the document is a JSON object whose ``@context`` is one absolute URL or a list of URLs and
  inline context objects (plain JSON: string keys, JSON values; an inline context is known by
  its content, so the same text in another document finds the same tables); no other
  ``@context`` anywhere;
* every key expands (in the context pyld would use) to an absolute IRI, or to ``@id`` or
  ``@type`` at most once per object; no other keyword (``@graph``, ``@list``, ``@set``,
  ``@value``, ``@reverse``, ``@included``, ``@nest``, ``@index``, ``@language``...);
* ``@id`` values expand to absolute IRIs or blank node labels, types to absolute IRIs;
* term definitions used have no ``@container`` other than ``@set``, no ``@reverse``, no
  ``@json`` coercion, no ``@direction`` (in the term or the context); ``xsd:double``
  coercion is left to pyld;
* scalars are strings, booleans and integers below 10^21 (floats go to pyld, which has their
  canonical double form); ``null`` members and array items are dropped as JSON-LD drops them;
* every IRI passes ``check_iri``, every string is valid Unicode, the dataset has at most
  ``max_quads`` distinct quads, the document nests at most ``max_depth`` levels, and every
  blank node's first-degree hash is unique.

Only the default graph is produced.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final

from frozendict import frozendict

from vcbadge.errors import CanonicalizationError
from vcbadge.jsonld.labelling import TooDeep, WorkBudget, canonical_labels
from vcbadge.jsonld.nquads import RDF_LANGSTRING, XSD_STRING, check_iri, escape_literal

__all__ = [
    "CompiledContexts",
    "ContextStep",
    "Quad",
    "Resolver",
    "Triple",
    "canonical_nquads",
    "canonical_quads",
    "document_iri",
]

Triple = tuple[str, str, str]
#: A statement in a named graph: subject, predicate, object, graph name (term text).
Quad = tuple[str, str, str, str]

_RDF_TYPE: Final = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
_XSD: Final = "http://www.w3.org/2001/XMLSchema#"
_XSD_BOOLEAN: Final = _XSD + "boolean"
_XSD_INTEGER: Final = _XSD + "integer"
_XSD_DOUBLE: Final = _XSD + "double"
_BOOLEAN_SUFFIX: Final = f"^^<{_XSD_BOOLEAN}>"
_INTEGER_SUFFIX: Final = f"^^<{_XSD_INTEGER}>"
# pyld writes integers from 10^21 up in the canonical double form; below, as digits.
_MAX_PLAIN_INTEGER: Final = 10**21
_SURROGATE = re.compile(r"[\ud800-\udfff]")
# Distinct active contexts a Canonicalizer meets are few (one per context list, scoped
# context and revert); the bound only stops a stream of odd documents from growing it forever.
_MAX_TABLES: Final = 4096
_MAX_ENTRIES: Final = 4096

ContextStep = Callable[[Any, Any, bool, bool], Any]
"""``step(active_ctx, local_ctx, propagate, override_protected)``: pyld's processing of a local
context against an active one (the caller's memoized ``_process_context``)."""


class _Fallback(Exception):
    """The document leaves the subset; the pyld path decides what it means."""


# pyld's own test (jsonld._is_absolute_iri), compiled once: the walk must agree with it exactly.
_ABSOLUTE_IRI: Final = re.compile(r"^([A-Za-z][A-Za-z0-9+-.]*|_):[^\s]*$")


def _absolute(value: Any) -> bool:
    return isinstance(value, str) and _ABSOLUTE_IRI.match(value) is not None


_NO_ENTRY: Final = object()
# What a key of a node object is, in one active context.
_PROPERTY: Final = 0
_ID: Final = 1
_TYPE: Final = 2
_OUTSIDE: Final = 3


class _Member:
    """A compiled key: its kind and, for a property, its predicate (N-Quads text) and the
    context its values expand in (the term's property-scoped context applied, if any)."""

    __slots__ = ("kind", "predicate", "term")

    def __init__(self, kind: int, predicate: str = "", term: _TermTable | None = None) -> None:
        self.kind = kind
        self.predicate = predicate
        self.term = term


_ID_MEMBER: Final = _Member(_ID)
_TYPE_MEMBER: Final = _Member(_TYPE)
_OUTSIDE_MEMBER: Final = _Member(_OUTSIDE)


def document_iri(mappings: Mapping[str, Any], value: str) -> str | None:
    """pyld's ``_expand_iri(ctx, value, base=None)`` (no vocabulary, no base: what every
    identifier gets from a ``Canonicalizer``) when its result is an absolute IRI or a blank
    node label; ``None`` for every other result. ``mappings`` are the context's terms.

    Identifiers differ in every document, so no table can hold them; this is pyld's own
    sequence of tests: a keyword or keyword-like string stays as written (not absolute); a
    ``prefix:suffix`` whose prefix is ``_`` or whose suffix starts with ``//`` stays as
    written; a prefix defined as a prefix term is replaced by its IRI; anything else stays as
    written (no base IRI resolves it).
    """
    colon = value.find(":")
    if colon <= 0 or value[0] == "@":
        return None
    prefix = value[:colon]
    suffix = value[colon + 1 :]
    iri = value
    if prefix != "_" and not suffix.startswith("//"):
        definition = mappings.get(prefix)
        if definition:
            if "_prefix" not in definition:
                return None
            if definition["_prefix"]:
                iri = definition["@id"] + suffix
    return iri if _absolute(iri) else None


class _TermTable:
    """What pyld's lookups against one processed (frozen) active context return."""

    __slots__ = (
        "_keys",
        "_members",
        "_properties",
        "_steps",
        "_type_terms",
        "_typed",
        "_types",
        "_values",
        "ctx",
        "mappings",
        "previous",
    )

    def __init__(self, ctx: Any, previous: _TermTable | None) -> None:
        self.ctx = ctx
        self.mappings: Mapping[str, Any] = ctx["mappings"]
        self.previous = previous
        self._keys: dict[str, Any] = {}
        self._types: dict[str, Any] = {}
        self._steps: dict[tuple[int, bool, bool], tuple[Any, _TermTable]] = {}
        self._values: dict[str, tuple[str, str | None, str | None]] = {}
        self._properties: dict[str, tuple[Any, bool]] = {}
        self._members: dict[str, _Member] = {}
        self._type_terms: dict[str, str] = {}
        self._typed: dict[tuple[str, ...], _TermTable] = {}

    def entry(self, term: str, member: str) -> Any:
        """``JsonLdProcessor.get_context_value(ctx, term, member)`` for members with no
        context-wide default (not ``@language``/``@direction``)."""
        definition = self.mappings.get(term, _NO_ENTRY)
        if definition is _NO_ENTRY or definition is None:
            return None
        return definition.get(member)

    def context_value(self, term: str, member: str) -> Any:
        """``get_context_value`` for ``@language`` and ``@direction`` (the term's value, else
        the context's default)."""
        value = self.ctx.get(member)
        definition = self.mappings.get(term, _NO_ENTRY)
        if definition is _NO_ENTRY:
            return value
        if definition is None:
            return None
        return definition.get(member, value)


_MAX_CHECKED_IRIS: Final = 4096


class CompiledContexts:
    """The term tables of one ``Canonicalizer`` and the compiled walk that reads them.

    ``expand_iri`` is pyld's ``_expand_iri`` and ``step`` pyld's context processing, both bound
    to the caller's processor and options; neither is called for what a table already knows.
    Not thread-safe: the ``Canonicalizer`` runs it under its expansion lock.
    """

    def __init__(self) -> None:
        self._tables: dict[int, _TermTable] = {}
        self._roots: dict[tuple[Any, ...], _TermTable] = {}
        # IRIs that passed check_iri, shared by every walk: the same verification methods,
        # issuers and achievements recur in document after document. Dropped when full.
        self.checked_iris: set[str] = set()

    def table(self, ctx: Any) -> _TermTable:
        """The table of a processed active context (created on first use)."""
        table = self._tables.get(id(ctx))
        if table is not None and table.ctx is ctx:
            return table
        if not isinstance(ctx, frozendict):
            # Only a frozen context is known never to change under its table.
            raise _Fallback
        if len(self._tables) >= _MAX_TABLES:
            self._tables.clear()
            self._roots.clear()
        previous_ctx = ctx.get("previousContext")
        previous = self.table(previous_ctx) if previous_ctx is not None else None
        table = _TermTable(ctx, previous)
        self._tables[id(ctx)] = table
        return table

    def triples(
        self, document: Mapping[str, Any], *, resolver: Resolver, max_depth: int
    ) -> list[Triple] | None:
        """The default-graph triples of ``document`` as N-Quads term text (blank node labels
        arbitrary), or ``None`` when it leaves the subset."""
        try:
            walk = _Walk(self, resolver, max_depth)
            return walk.triples if walk.document(document) else None
        except (_Fallback, RecursionError):
            return None


def _inline_key(context: dict[str, Any]) -> str | None:
    """The text an inline context is known by (sorted keys, every value as written), or
    ``None`` for one that is not plain JSON (a key that is not a string would print like
    one that is, so two different contexts could share a text)."""
    if not _plain_json(context, 0):
        return None
    try:
        return json.dumps(
            context, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
        )
    except (TypeError, ValueError):
        return None


def _plain_json(value: Any, depth: int) -> bool:
    kind = type(value)
    if kind is dict:
        return depth < _MAX_CONTEXT_DEPTH and all(
            type(key) is str and _plain_json(item, depth + 1) for key, item in value.items()
        )
    if kind is list:
        return depth < _MAX_CONTEXT_DEPTH and all(_plain_json(item, depth + 1) for item in value)
    return kind in _PLAIN_SCALARS


_PLAIN_SCALARS: Final = frozenset({str, int, float, bool, type(None)})
_MAX_CONTEXT_DEPTH: Final = 16


def canonical_nquads(
    triples: list[Triple], *, hash_algorithm: str, max_quads: int, max_work: int
) -> str | None:
    """RDFC-1.0 canonical N-Quads of ``triples``, or ``None`` for the full path: more than
    ``max_quads``, or a Hash N-Degree Quads recursion deeper than
    :data:`vcbadge.jsonld.labelling.MAX_DEPTH` or than the stack allows.

    Blank nodes whose first-degree hashes are unique are labelled here; the others by
    :func:`vcbadge.jsonld.labelling.canonical_labels`, which raises ``ComplexityLimit`` past
    ``max_work`` units, as the full path does."""
    try:
        return _canonical(triples, hash_algorithm, max_quads, max_work)
    except (_Fallback, TooDeep, RecursionError):
        return None


def canonical_quads(
    statements: list[tuple[str, ...]], *, hash_algorithm: str, max_quads: int, max_work: int
) -> str | None:
    """:func:`canonical_nquads` for statements in any graph: a triple (default graph) or a
    :data:`Quad`, whose fourth term is the graph name (an IRI or a blank node)."""
    try:
        return _canonical_statements(statements, hash_algorithm, max_quads, max_work)
    except (_Fallback, TooDeep, RecursionError):
        return None


def _labelled(unique: Sequence[tuple[str, ...]], hash_algorithm: str, max_work: int) -> str:
    """Canonical N-Quads of a dataset some of whose blank nodes share a first-degree hash."""
    issued = canonical_labels(unique, hash_algorithm=hash_algorithm, budget=WorkBudget(max_work))
    return _relabelled(unique, issued)


def _relabelled(unique: Sequence[tuple[str, ...]], issued: Mapping[str, str]) -> str:
    """The sorted N-Quads lines of ``unique``, each blank node written as its ``issued`` label."""
    lines = [
        " ".join(issued.get(term, term) if term[0] == "_" else term for term in statement) + " .\n"
        for statement in unique
    ]
    lines.sort()
    return "".join(lines)


class Resolver:
    """pyld's IRI expansion and context processing for one call.

    ``factory`` builds them on first need (most calls are answered by the tables alone):
    ``(expand_iri(ctx, value, base=..., vocab=...), step, initial context)``.
    """

    def __init__(self, factory: Callable[[], tuple[Callable[..., Any], ContextStep, Any]]) -> None:
        self._factory = factory
        self._bound: tuple[Callable[..., Any], ContextStep, Any] | None = None

    def _get(self) -> tuple[Callable[..., Any], ContextStep, Any]:
        if self._bound is None:
            self._bound = self._factory()
        return self._bound

    def expand_iri(self, ctx: Any, value: str) -> Any:
        """``_expand_iri(ctx, value, vocab=True)`` with no base: pyld's expansion of keys (no
        base argument) and of types (``options["base"]``, which a Canonicalizer sets to
        ``None``)."""
        return self._get()[0](ctx, value, base=None, vocab=True)

    def step(self, ctx: Any, local: Any, *, propagate: bool, override_protected: bool) -> Any:
        try:
            return self._get()[1](ctx, local, propagate, override_protected)
        except Exception as exc:  # the pyld path raises it again, translated
            raise _Fallback from exc

    def initial(self) -> Any:
        return self._get()[2]


class _Walk:
    """One document: the compiled mirror of pyld's expansion, emitting N-Quads term text."""

    def __init__(self, contexts: CompiledContexts, resolver: Resolver, max_depth: int) -> None:
        self.contexts = contexts
        self.resolver = resolver
        self.max_depth = max_depth
        self.triples: list[Triple] = []
        self._labels: dict[str, str] = {}
        self._issued = 0
        self._checked = contexts.checked_iris
        if len(self._checked) >= _MAX_CHECKED_IRIS:
            self._checked.clear()

    # -- tables ------------------------------------------------------------------------------

    def _key(self, table: _TermTable, key: str) -> Any:
        """``_expand_iri(ctx, key, vocab=True)``."""
        found = table._keys.get(key, _NO_ENTRY)
        if found is _NO_ENTRY:
            if len(table._keys) >= _MAX_ENTRIES:
                table._keys.clear()
            found = table._keys[key] = self.resolver.expand_iri(table.ctx, key)
        return found

    def _type(self, table: _TermTable, value: str) -> Any:
        """``_expand_iri(ctx, value, vocab=True, base=options["base"])``."""
        found = table._types.get(value, _NO_ENTRY)
        if found is _NO_ENTRY:
            if len(table._types) >= _MAX_ENTRIES:
                table._types.clear()
            found = table._types[value] = self.resolver.expand_iri(table.ctx, value)
        return found

    def _step(
        self, table: _TermTable, local: Any, *, propagate: bool, override_protected: bool
    ) -> _TermTable:
        key = (id(local), propagate, override_protected)
        cached = table._steps.get(key)
        if cached is not None and cached[0] is local:
            return cached[1]
        ctx = self.resolver.step(
            table.ctx, local, propagate=propagate, override_protected=override_protected
        )
        result = self.contexts.table(ctx)
        table._steps[key] = (local, result)
        return result

    def _property(self, table: _TermTable, key: str) -> tuple[Any, bool]:
        """(scoped context of ``key`` or None, whether its definition stays in the subset)."""
        found = table._properties.get(key)
        if found is None:
            container = table.entry(key, "@container")
            containers = container if isinstance(container, list) else [container]
            plain = all(c is None or c == "@set" for c in containers)
            plain = plain and table.entry(key, "@type") != "@json"
            found = table._properties[key] = (table.entry(key, "@context"), plain)
        return found

    def _value_rule(self, table: _TermTable, key: str) -> tuple[str, str | None, str | None]:
        """How scalars of ``key`` expand in ``table``: (kind, datatype, language), kind one of
        ``id``, ``vocab``, ``literal``; the datatype of a coerced term as the N-Quads text after
        the lexical form (``^^<iri>``, or empty for ``xsd:string``); ``_Fallback`` outside the
        subset."""
        found = table._values.get(key)
        if found is not None:
            return found
        expanded = self._key(table, key)
        if not _absolute(expanded) or expanded.startswith("_:"):
            raise _Fallback
        definition = table.mappings.get(key)
        if definition is not None and definition.get("reverse"):
            raise _Fallback
        container = table.entry(key, "@container")
        containers = container if isinstance(container, list) else [container]
        if not all(c is None or c == "@set" for c in containers):
            raise _Fallback
        if table.context_value(key, "@direction") is not None:
            raise _Fallback
        coercion = table.entry(key, "@type")
        rule: tuple[str, str | None, str | None]
        if coercion == "@id":
            rule = ("id", None, None)
        elif coercion == "@vocab":
            rule = ("vocab", None, None)
        elif coercion is None or coercion == "@none":
            language = table.context_value(key, "@language")
            if language is not None and not isinstance(language, str):
                raise _Fallback
            rule = ("literal", None, language)
        elif isinstance(coercion, str) and _absolute(coercion) and coercion != _XSD_DOUBLE:
            if coercion.startswith("_:") or coercion == RDF_LANGSTRING:
                raise _Fallback
            suffix = "" if coercion == XSD_STRING else f"^^{self._iri(coercion)}"
            rule = ("literal", suffix, None)
        else:  # @json, xsd:double, anything unexpected
            raise _Fallback
        table._values[key] = rule
        return rule

    # -- terms -------------------------------------------------------------------------------

    def _iri(self, iri: str) -> str:
        if iri not in self._checked:
            try:
                check_iri(iri)
            except CanonicalizationError as exc:
                raise _Fallback from exc
            if _SURROGATE.search(iri):
                raise _Fallback
            self._checked.add(iri)
        return f"<{iri}>"

    def _fresh(self) -> str:
        label = f"_:b{self._issued}"
        self._issued += 1
        return label

    def _resource(self, iri: str) -> str:
        """Term text of an expanded ``@id`` (absolute IRI or blank node label)."""
        if iri.startswith("_:"):
            # Input labels get fresh labels too, so none can collide with a generated one.
            label = self._labels.get(iri)
            if label is None:
                label = self._labels[iri] = self._fresh()
            return label
        return self._iri(iri)

    def _node_iri(self, table: _TermTable, value: str) -> str:
        """Term text of a node identifier written as ``value`` (an ``@id`` or an ``@id``-coerced
        string), which must expand to an absolute IRI or a blank node label."""
        iri = document_iri(table.mappings, value)
        if iri is None:
            raise _Fallback
        return self._resource(iri)

    def _literal(self, value: Any, datatype: str | None, language: str | None) -> str:
        """N-Quads text of a literal; ``datatype`` as ``_value_rule`` gives it."""
        if isinstance(value, str):
            if not value.isascii() and _SURROGATE.search(value):
                raise _Fallback
            text = f'"{escape_literal(value)}"'
            if datatype is not None:
                return text + datatype
            if language is not None:
                return f"{text}@{language}" if language else text
            return text
        if isinstance(value, bool):
            text = '"true"' if value else '"false"'
            return text + (_BOOLEAN_SUFFIX if datatype is None else datatype)
        if isinstance(value, int) and abs(value) < _MAX_PLAIN_INTEGER:
            return f'"{value}"' + (_INTEGER_SUFFIX if datatype is None else datatype)
        raise _Fallback

    # -- the walk ----------------------------------------------------------------------------

    def document(self, document: Mapping[str, Any]) -> bool:
        if not isinstance(document, dict) or self.max_depth < 3:
            return False
        contexts = document.get("@context")
        entries = contexts if isinstance(contexts, list) else [contexts]
        if not entries:
            return False
        parts: list[Any] = []
        for entry in entries:
            if isinstance(entry, str) and ":" in entry:
                parts.append(entry)
            elif isinstance(entry, dict) and (text := _inline_key(entry)) is not None:
                # An inline context is known by its content: the same text is the same
                # context (pyld processes it against the same contexts before it).
                parts.append(("inline", text))
            else:
                return False
        # A list and a single URL are different local contexts to pyld's memo: keep them apart.
        key = (isinstance(contexts, list), *parts)
        root = self.contexts._roots.get(key)
        if root is None:
            initial = self.contexts.table(self.resolver.initial())
            ctx = self.resolver.step(
                initial.ctx, contexts, propagate=True, override_protected=False
            )
            root = self.contexts._roots[key] = self.contexts.table(ctx)
        self._node(root, document, 1, top=True)
        return True

    def _member(self, table: _TermTable, key: str) -> _Member:
        """The compiled ``key`` in ``table`` (what pyld's ``_expand_object`` makes of it)."""
        expanded = self._key(table, key)
        if expanded == "@id":
            return _ID_MEMBER
        if expanded == "@type":
            return _TYPE_MEMBER
        # Other keywords, dropped or relative keys, null mappings, blank node properties.
        if not _absolute(expanded) or expanded.startswith("_:"):
            return _OUTSIDE_MEMBER
        scoped, plain = self._property(table, key)
        if not plain:
            return _OUTSIDE_MEMBER
        term = table
        if scoped is not None:
            term = self._step(table, scoped, propagate=True, override_protected=True)
        if term.entry(key, "reverse"):
            return _OUTSIDE_MEMBER
        return _Member(_PROPERTY, self._iri(expanded), term)

    def _typed(self, table: _TermTable, types: list[str]) -> _TermTable:
        """The context a node with ``types`` expands in (pyld's _prepare_nested_context: the
        type-scoped contexts of the sorted types, looked up in ``table``, not propagated)."""
        key = tuple(types)
        active = table._typed.get(key)
        if active is not None:
            return active
        active = table
        for type_ in sorted(types):
            scoped = table.entry(type_, "@context")
            if scoped is not None and scoped is not False:
                active = self._step(active, scoped, propagate=False, override_protected=False)
        # pyld's is_json_type test (the first type, in the context now active).
        if self._key(active, types[0]) == "@json":
            raise _Fallback
        table._typed[key] = active
        return active

    def _type_term(self, table: _TermTable, type_: str) -> str:
        text = table._type_terms.get(type_)
        if text is None:
            iri = self._type(table, type_)
            if not _absolute(iri) or iri.startswith("_:"):
                raise _Fallback
            text = table._type_terms[type_] = self._iri(iri)
        return text

    def _element(self, table: _TermTable, key: str, element: dict[str, Any], depth: int) -> str:
        """pyld's ``_expand(table, key, element)`` for a JSON object: the node's term text."""
        if depth > self.max_depth or "@context" in element:
            raise _Fallback
        # Revert a type-scoped (non-propagated) context unless the object is a subject
        # reference (its one key expands to @id in the type-scoped context).
        active = table
        if table.previous is not None:
            revert = True
            if len(element) <= 2:
                for member in sorted(element):
                    expanded = self._key(table, member)
                    if expanded == "@value":
                        raise _Fallback
                    if expanded == "@id" and len(element) == 1:
                        revert = False
                        break
            if revert:
                active = table.previous
        scoped = table.entry(key, "@context")
        if scoped is not None:
            active = self._step(active, scoped, propagate=True, override_protected=True)
        return self._node(active, element, depth, top=False)

    def _node(self, table: _TermTable, element: dict[str, Any], depth: int, *, top: bool) -> str:
        types: list[str] | None = None
        type_key: str | None = None
        keys = table._keys
        for key, value in element.items():
            expanded = keys.get(key, _NO_ENTRY)
            if expanded is _NO_ENTRY:
                if key == "@context" and top:
                    continue
                expanded = self._key(table, key)
            if expanded != "@type":
                continue
            if type_key is not None:
                raise _Fallback  # several keys for @type: left to pyld
            type_key = key
            if isinstance(value, str):
                types = [value]
            elif isinstance(value, list) and all(isinstance(t, str) for t in value):
                if depth + 1 > self.max_depth:
                    raise _Fallback
                types = value
            else:
                raise _Fallback
        active = self._typed(table, types) if types else table
        members = active._members
        subject: str | None = None
        properties: list[tuple[str, _Member, Any]] = []
        for key, value in element.items():
            member = members.get(key)
            if member is None:
                if key == "@context" and top:
                    continue
                if len(members) >= _MAX_ENTRIES:
                    members.clear()
                member = members[key] = self._member(active, key)
            kind = member.kind
            if kind == _TYPE:
                # A key that means @type only once the type-scoped contexts apply (or no longer
                # does) would be read differently by pyld's two passes: left to pyld.
                if key != type_key:
                    raise _Fallback
            elif key == type_key or kind == _OUTSIDE:
                raise _Fallback
            elif kind == _PROPERTY:
                properties.append((key, member, value))
            else:
                if subject is not None or not isinstance(value, str):
                    raise _Fallback
                subject = self._node_iri(active, value)
        if subject is None:
            subject = self._fresh()
        if types:
            append = self.triples.append
            for type_ in types:
                append((subject, _RDF_TYPE, self._type_term(table, type_)))
        for key, member, value in properties:
            self._emit(member.term, key, value, subject, member.predicate, depth + 1)
        return subject

    def _emit(
        self,
        table: _TermTable | None,
        key: str,
        value: Any,
        subject: str,
        predicate: str,
        depth: int,
    ) -> None:
        """pyld's ``_expand(term_ctx, key, value)``, each object emitted as a triple."""
        assert table is not None
        if isinstance(value, dict):
            self.triples.append((subject, predicate, self._element(table, key, value, depth)))
            return
        if value is None:
            return
        rule = table._values.get(key) or self._value_rule(table, key)
        if isinstance(value, list):
            if depth > self.max_depth:
                raise _Fallback
            for item in value:
                self._emit(table, key, item, subject, predicate, depth + 1)
            return
        kind, datatype, language = rule
        if kind == "literal" or not isinstance(value, str):
            term = self._literal(value, datatype, language)
        elif kind == "id":
            term = self._node_iri(table, value)
        else:  # @vocab
            iri = self._type(table, value)
            if not _absolute(iri):
                raise _Fallback
            term = self._resource(iri)
        self.triples.append((subject, predicate, term))


def _canonical(triples: list[Triple], hash_algorithm: str, max_quads: int, max_work: int) -> str:
    """RDFC-1.0 of default-graph triples (N-Quads term text); ``_Fallback`` past
    ``max_quads``."""
    unique = list(dict.fromkeys(triples))
    if len(unique) > max_quads:
        raise _Fallback
    mentions: dict[str, list[Triple]] = {}
    for triple in unique:
        subject, _, object_ = triple
        if subject[0] == "_":
            mentions.setdefault(subject, []).append(triple)
        if object_[0] == "_" and object_ != subject:
            mentions.setdefault(object_, []).append(triple)
    by_hash: dict[str, str] = {}
    if len(mentions) == 1:
        by_hash[""] = next(iter(mentions))  # one blank node: c14n0 whatever its hash
    for label, quads in mentions.items() if len(mentions) > 1 else ():
        lines = sorted(
            " ".join(
                (
                    ("_:a" if s == label else "_:z") if s[0] == "_" else s,
                    p,
                    ("_:a" if o == label else "_:z") if o[0] == "_" else o,
                )
            )
            + " .\n"
            for s, p, o in quads
        )
        digest = hashlib.new(hash_algorithm, "".join(lines).encode("utf-8")).hexdigest()
        if digest in by_hash:
            return _labelled(unique, hash_algorithm, max_work)  # Hash N-Degree Quads
        by_hash[digest] = label
    issued = {by_hash[digest]: f"_:c14n{index}" for index, digest in enumerate(sorted(by_hash))}
    lines = [
        f"{issued.get(s, s) if s[0] == '_' else s} {p} {issued.get(o, o) if o[0] == '_' else o} .\n"
        for s, p, o in unique
    ]
    lines.sort()
    return "".join(lines)


def _canonical_statements(
    statements: list[tuple[str, ...]], hash_algorithm: str, max_quads: int, max_work: int
) -> str:
    """``_canonical`` for statements in any graph: a blank node may also name a graph, and a
    quad's line carries its graph name (RDFC-1.0 section 4.6.3)."""
    unique = list(dict.fromkeys(statements))
    if len(unique) > max_quads:
        raise _Fallback
    mentions: dict[str, list[tuple[str, ...]]] = {}
    for statement in unique:
        labels = {term for term in statement if term[0] == "_"}
        for label in labels:
            mentions.setdefault(label, []).append(statement)
    by_hash: dict[str, str] = {}
    if len(mentions) == 1:
        by_hash[""] = next(iter(mentions))  # one blank node: c14n0 whatever its hash
    for label, mentioning in mentions.items() if len(mentions) > 1 else ():
        lines = sorted(
            " ".join(
                (term if term[0] != "_" else "_:a" if term == label else "_:z")
                for term in statement
            )
            + " .\n"
            for statement in mentioning
        )
        digest = hashlib.new(hash_algorithm, "".join(lines).encode("utf-8")).hexdigest()
        if digest in by_hash:
            return _labelled(unique, hash_algorithm, max_work)
        by_hash[digest] = label
    issued = {by_hash[digest]: f"_:c14n{index}" for index, digest in enumerate(sorted(by_hash))}
    return _relabelled(unique, issued)
