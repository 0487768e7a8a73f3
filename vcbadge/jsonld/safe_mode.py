"""A pyld JSON-LD processor hardened for signing: safe mode and a processed-context cache.

Safe mode
    JSON-LD expansion silently drops what it cannot map to an absolute IRI: an undefined
    property, a type no context defines, a relative ``@id``. Data that is dropped is not
    covered by a Data Integrity signature, yet a verifier's user would still see it in the
    JSON. pyld 3.3 has no safe mode (only an ``on_property_dropped`` callback that knows
    neither the JSON path nor the dropped types and ids), so this processor checks each
    object just before pyld expands it, with the same active context and the same IRI
    expansion calls pyld is about to make. Because the checks reuse pyld's own expansion
    results, they agree with what pyld would drop rather than re-implementing JSON-LD.

    Errors carry a JSON pointer into the input document. Paths come from the identity of
    the objects pyld walks (it expands a private deep copy, which we index once).

    Relative IRIs that a context ``@base`` turns absolute are accepted: that is what the
    context author asked for.

Processed-context cache
    pyld caches processed contexts per active context, but a type-scoped context is applied
    with ``propagate: false``, which clones the active context and gives the clone a fresh
    identifier; the cache lookup then always misses and every typed node re-creates all the
    term definitions of its scoped context. ``ProcessedContextCache`` memoizes
    ``_process_context`` on (active context id, local context, flags), so a warm instance
    processes each context once.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Hashable
from typing import Any

from frozendict import frozendict
from pyld.identifier_issuer import IdentifierIssuer
from pyld.jsonld import JsonLdError, JsonLdProcessor, _is_absolute_iri, _is_keyword

from vcbadge._json import join_pointer
from vcbadge._lru import LruCache
from vcbadge.errors import RelativeIri, UndefinedTerm
from vcbadge.jsonld.fast_rdf import dataset_from_expanded

__all__ = ["IriExpansionCache", "ProcessedContextCache", "SafeProcessor"]

# A string shaped like a JSON-LD term (no ":", "/", "#", "."...) that failed to expand was
# meant as a term and nobody defined it; anything else was written as an IRI reference.
_TERM_LIKE = re.compile(r"^[A-Za-z_][A-Za-z0-9_\-]*$")


def _index_paths(document: Any) -> dict[int, str]:
    """Map ``id()`` of every object and array in ``document`` to its JSON pointer."""
    paths: dict[int, str] = {}
    stack: list[tuple[Any, str]] = [(document, "")]
    while stack:
        node, path = stack.pop()
        if isinstance(node, dict):
            paths.setdefault(id(node), path)
            stack.extend((value, join_pointer(path, key)) for key, value in node.items())
        elif isinstance(node, list):
            paths.setdefault(id(node), path)
            stack.extend((value, join_pointer(path, i)) for i, value in enumerate(node))
    return paths


def _is_usable_iri(value: Any) -> bool:
    return isinstance(value, str) and _is_usable_string(value)


@functools.lru_cache(maxsize=4096)
def _is_usable_string(value: str) -> bool:
    # A pure function of the string, asked for the same terms and IRIs in every document.
    return bool(_is_absolute_iri(value) or _is_keyword(value))


def _undefined(written: str, expanded: Any) -> bool:
    """Whether a failed expansion means "no definition" rather than "relative IRI".

    ``None`` is an explicit null mapping or a keyword-like string; an unchanged, term-shaped
    string is a term nobody defined. Anything else was either written as an IRI reference or
    turned into one by the context (a relative ``@vocab``): a relative IRI.
    """
    return expanded is None or (expanded == written and bool(_TERM_LIKE.match(written)))


class ProcessedContextCache:
    """A bounded, thread-safe LRU memo of processed JSON-LD contexts for one loader.

    An entry keyed by ``id()`` keeps a reference to its object (the anchor), so it can never
    be confused with a later object that reuses the id.
    """

    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self._entries: LruCache[Hashable, tuple[Any, Any]] = LruCache(maxsize)

    @property
    def hits(self) -> int:
        """Lookups that found an entry."""
        return self._entries.hits

    @property
    def misses(self) -> int:
        """Lookups that found none."""
        return self._entries.misses

    def get(self, key: Hashable, anchor: Any) -> Any:
        """The processed context for ``key``; ``anchor`` must be the object stored with it."""
        entry = self._entries.get(key)
        if entry is None or entry[0] is not anchor:
            return None
        return entry[1]

    def put(self, key: Hashable, anchor: Any, processed: Any) -> None:
        self._entries.put(key, (anchor, processed))

    def __len__(self) -> int:
        return len(self._entries)


class IriExpansionCache:
    """Expansions of terms and IRIs against frozen active contexts, for one ``Canonicalizer``.

    A plain dict, emptied when it reaches ``maxsize`` entries: a lookup sits on the hottest path
    of expansion, where an LRU's lock and reordering cost as much as they save. Callers use it
    under the ``Canonicalizer``'s expansion lock.
    """

    def __init__(self, maxsize: int) -> None:
        self.maxsize = maxsize
        self.entries: dict[Hashable, tuple[Any, Any]] = {}

    def put(self, key: Hashable, anchor: Any, expanded: Any) -> None:
        if self.maxsize < 1:
            return
        if len(self.entries) >= self.maxsize:
            self.entries.clear()
        self.entries[key] = (anchor, expanded)


class SafeProcessor(JsonLdProcessor):  # type: ignore[misc]
    """pyld's ``JsonLdProcessor`` with safe-mode checks and an optional context memo.

    One instance serves one operation: it keeps per-document state (the path index).
    """

    def __init__(
        self,
        *,
        safe: bool,
        context_cache: ProcessedContextCache | None,
        iri_cache: IriExpansionCache | None = None,
    ) -> None:
        super().__init__()
        self._safe = safe
        self._context_cache = context_cache
        self._iri_cache = iri_cache
        # The document pyld expands, and the pointers of its objects, indexed only when a
        # refusal needs one (most documents have none to report).
        self._root: Any = None
        self._paths: dict[int, str] | None = None
        self._objects: list[dict[str, Any]] = []
        self._depth = 0

    def to_dataset(self, input_: Any, options: Any, *, one_pass: bool = True) -> Any:
        """The RDF dataset of ``input_`` (pyld's ``{graph name: [triple, ...]}``).

        The same expansion as pyld's ``to_rdf`` (with the safe-mode checks); then, when
        ``one_pass`` and the expanded document stays in the subset of
        ``vcbadge.jsonld.fast_rdf``, its triples are emitted in one pass; otherwise pyld builds
        its node map and serializes each graph, as ``to_rdf`` does.
        """
        try:
            expanded = self.expand(input_, options)
        except JsonLdError as cause:
            raise JsonLdError(
                "Could not expand input before serialization to RDF.", "jsonld.RdfError"
            ) from cause
        if one_pass and not options.get("produceGeneralizedRdf"):
            dataset = dataset_from_expanded(expanded)
            if dataset is not None:
                return dataset
        issuer = options.get("identifierIssuer") or IdentifierIssuer("_:b")
        node_map: dict[str, Any] = {"@default": {}}
        self._create_node_map(expanded, node_map, "@default", issuer)
        return {
            name: self._graph_to_rdf(graph, issuer, options)
            for name, graph in sorted(node_map.items())
            if name == "@default" or _is_absolute_iri(name)
        }

    def _expand_iri(
        self,
        active_ctx: Any,
        value: Any,
        base: Any = None,
        vocab: bool = False,
        local_ctx: Any = None,
        defined: Any = None,
    ) -> Any:
        # Outside context processing (no local context) the expansion of a string reads only
        # the active context, which is frozen once processed: memoize it per frozen context.
        # The entry holds the context itself, so its id cannot be reused while it is stored.
        cache = self._iri_cache
        if (
            cache is None
            or local_ctx
            or not isinstance(active_ctx, frozendict)
            or not isinstance(value, str)
        ):
            return super()._expand_iri(active_ctx, value, base, vocab, local_ctx, defined)
        key = (id(active_ctx), value, base, vocab)
        entry = cache.entries.get(key)
        if entry is not None and entry[0] is active_ctx:
            return entry[1]
        expanded = super()._expand_iri(active_ctx, value, base, vocab)
        cache.put(key, active_ctx, expanded)
        return expanded

    # -- processed-context memo -------------------------------------------------------------

    def _pyld_process_context(
        self,
        active_ctx: Any,
        local_ctx: Any,
        options: Any,
        override_protected: bool,
        propagate: bool,
        validate_scoped: bool,
        cycles: Any,
    ) -> Any:
        flags = (override_protected, propagate, validate_scoped, cycles)
        try:
            return super()._process_context(active_ctx, local_ctx, options, *flags)
        except KeyError as exc:
            if exc.args != ("@vocab",):
                raise
        # pyld deletes the vocabulary mapping for "@vocab": null without checking that there is
        # one (the VC 2.0 base context has none at the top level), and fails. JSON-LD makes
        # that a no-op, so process the list entry by entry, leaving out such a null where no
        # vocabulary is in force.
        current = active_ctx
        for entry in local_ctx if isinstance(local_ctx, list) else [local_ctx]:
            if (
                isinstance(entry, dict)
                and "@vocab" in entry
                and entry["@vocab"] is None
                and "@vocab" not in current
            ):
                entry = {key: value for key, value in entry.items() if key != "@vocab"}
            current = super()._process_context(current, [entry], options, *flags)
        return current

    def _process_context(
        self,
        active_ctx: Any,
        local_ctx: Any,
        options: Any,
        override_protected: bool = False,
        propagate: bool = True,
        validate_scoped: bool = True,
        cycles: Any = None,
    ) -> Any:
        # Only frozen contexts are memoized: pyld gives a context under construction an id
        # too, and a result computed against a half-built context must not be reused.
        uuid = active_ctx.get("_uuid") if isinstance(active_ctx, frozendict) else None
        cache = self._context_cache if isinstance(uuid, str) else None
        # URL references are keyed by value: a document's "@context" list is a new object on
        # every call. Inline contexts come from term definitions of cached contexts and keep
        # their identity, so they are keyed by id and anchored to the very object.
        anchor: Any = None
        if isinstance(local_ctx, str):
            local_key: Hashable = local_ctx
        elif isinstance(local_ctx, list) and all(isinstance(c, str) for c in local_ctx):
            local_key = tuple(local_ctx)
        else:
            local_key = id(local_ctx)
            anchor = local_ctx
        key = (uuid, local_key, override_protected, propagate, validate_scoped, options.get("base"))
        processed = cache.get(key, anchor) if cache is not None else None
        if processed is None:
            processed = self._pyld_process_context(
                active_ctx,
                local_ctx,
                options,
                override_protected,
                propagate,
                validate_scoped,
                cycles,
            )
            if cache is not None:
                cache.put(key, anchor, processed)
        return processed

    # -- safe mode ----------------------------------------------------------------------------

    def _expand(
        self, active_ctx: Any, active_property: Any, element: Any, *args: Any, **kwargs: Any
    ) -> Any:
        if self._safe and self._depth == 0:
            # The outermost call receives pyld's private deep copy of the document, which
            # nothing changes while it is expanded.
            self._root, self._paths = element, None
        self._depth += 1
        try:
            return super()._expand(active_ctx, active_property, element, *args, **kwargs)
        finally:
            self._depth -= 1

    def _expand_object(
        self,
        active_ctx: Any,
        active_property: Any,
        expanded_active_property: Any,
        element: Any,
        expanded_parent: Any,
        options: Any,
        inside_list: bool = False,
        type_key: Any = None,
        type_scoped_ctx: Any = None,
    ) -> Any:
        if self._safe:
            self._check_object(active_ctx, type_scoped_ctx or active_ctx, element, options)
            self._objects.append(element)
        try:
            return super()._expand_object(
                active_ctx,
                active_property,
                expanded_active_property,
                element,
                expanded_parent,
                options,
                inside_list,
                type_key,
                type_scoped_ctx,
            )
        finally:
            if self._safe:
                self._objects.pop()

    def _expand_value(self, active_ctx: Any, active_property: Any, value: Any, options: Any) -> Any:
        result = super()._expand_value(active_ctx, active_property, value, options)
        if self._safe and isinstance(result, dict) and isinstance(result.get("@id"), str):
            iri = result["@id"]
            if not (_is_usable_iri(iri) or iri.startswith("_:")):
                path = self._scalar_path(active_property, value)
                raise RelativeIri(
                    f"value {value!r} of term {active_property!r} expands to the relative "
                    f"IRI {iri!r}, which would be dropped from the signed data",
                    path=path,
                )
        return result

    def _expand_index_map(
        self,
        active_ctx: Any,
        active_property: Any,
        value: Any,
        index_key: Any,
        as_graph: Any,
        property_index: Any,
        options: Any,
    ) -> Any:
        if self._safe and index_key in ("@id", "@type"):
            path = self._path_of(value)
            for key in value:
                # The same expansion calls pyld makes for the keys of id and type maps.
                if index_key == "@id":
                    iri = self._expand_iri(active_ctx, key, base=options.get("base", ""))
                else:
                    iri = self._expand_iri(active_ctx, key, vocab=True)
                if _is_usable_iri(iri):
                    continue
                where = join_pointer(path, key)
                noun = "@id" if index_key == "@id" else "type"
                if index_key == "@type" and _undefined(key, iri):
                    raise UndefinedTerm(
                        f"type {key!r} (key of the type map {active_property!r}) is not "
                        "defined by any context in scope; it would be dropped from the "
                        "signed data",
                        path=where,
                    )
                raise RelativeIri(
                    f"{noun} {key!r} (key of the map {active_property!r}) is a relative IRI; "
                    "it would be dropped from the signed data",
                    path=where,
                )
        return super()._expand_index_map(
            active_ctx, active_property, value, index_key, as_graph, property_index, options
        )

    def _path_of(self, value: Any) -> str:
        """The pointer to ``value`` in the document, else to the innermost object expanded.
        Asked only to report a refusal, so the document is indexed only then."""
        if self._paths is None:
            self._paths = _index_paths(self._root)
        found = self._paths.get(id(value))
        if found is not None:
            return found
        return self._paths.get(id(self._objects[-1]), "") if self._objects else ""

    def _scalar_path(self, key: Any, value: Any) -> str:
        """Best pointer to a scalar being expanded under ``key`` in the innermost object."""
        if not self._objects:
            return ""
        element = self._objects[-1]
        path = self._path_of(element)
        if isinstance(key, str) and key in element:
            path, container = join_pointer(path, key), element[key]
        else:  # the scalar sits in a {"@list": [...]} or {"@set": [...]} object
            keyword = next((k for k in ("@list", "@set") if k in element), None)
            if keyword is None:
                return path
            path, container = join_pointer(path, keyword), element[keyword]
        if isinstance(container, list):
            for index, item in enumerate(container):
                if item == value:
                    return join_pointer(path, index)
        return path

    def _check_object(
        self,
        active_ctx: Any,
        type_scoped_ctx: Any,
        element: dict[str, Any],
        options: Any,
    ) -> None:
        base = options.get("base", "")
        for key, value in element.items():
            if key == "@context":
                continue
            expanded = self._expand_iri(active_ctx, key, vocab=True)
            if not _is_usable_iri(expanded):
                where = self._where(element, key)
                if _undefined(key, expanded):
                    raise UndefinedTerm(
                        f"term {key!r} is not defined by any context in scope; "
                        "JSON-LD expansion would drop it from the signed data",
                        path=where,
                    )
                raise RelativeIri(
                    f"term {key!r} expands to the relative IRI {expanded!r}; "
                    "JSON-LD expansion would drop it from the signed data",
                    path=where,
                )
            if expanded.startswith("_:"):
                raise UndefinedTerm(
                    f"term {key!r} expands to the blank node {expanded!r}, which RDF cannot "
                    "use as a property; it would be dropped from the signed data",
                    path=self._where(element, key),
                )
            if expanded == "@id" and isinstance(value, str):
                iri = self._expand_iri(active_ctx, value, base=base)
                if not _is_usable_iri(iri):
                    raise RelativeIri(
                        f"@id {value!r} (term {key!r}) is a relative IRI; the node would be "
                        "dropped from the signed data",
                        path=self._where(element, key),
                    )
            elif expanded == "@type":
                self._check_types(type_scoped_ctx, key, value, element, base)

    def _where(self, element: dict[str, Any], key: str) -> str:
        """The pointer to member ``key`` of ``element``, for a refusal."""
        return join_pointer(self._path_of(element), key)

    def _check_types(
        self, ctx: Any, key: str, value: Any, element: dict[str, Any], base: Any
    ) -> None:
        many = isinstance(value, list)
        for index, item in enumerate(value if many else [value]):
            if not isinstance(item, str):
                continue
            iri = self._expand_iri(ctx, item, vocab=True, base=base)
            if _is_usable_iri(iri):
                continue
            where = self._where(element, key)
            item_path = join_pointer(where, index) if many else where
            if _undefined(item, iri):
                raise UndefinedTerm(
                    f"type {item!r} (term {key!r}) is not defined by any context in scope; "
                    "it would be dropped from the signed data",
                    path=item_path,
                )
            raise RelativeIri(
                f"type {item!r} (term {key!r}) expands to the relative IRI {iri!r}; it "
                "would be dropped from the signed data",
                path=item_path,
            )
