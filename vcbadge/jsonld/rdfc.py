"""RDFC-1.0 canonicalization (RDF Dataset Canonicalization) on top of pyld, made safe.

``Canonicalizer`` turns a JSON-LD document (or N-Quads) into canonical N-Quads:

* JSON-LD to RDF uses pyld's expansion with **safe mode** on by default (see
  ``vcbadge.jsonld.safe_mode``): a term or type no context defines raises ``UndefinedTerm``,
  anything that would become a relative IRI raises ``RelativeIri``; both carry the JSON
  pointer of the offending member. Contexts come only from the injected loader; a refusal
  surfaces as the loader's own ``ContextNotAllowed``.
* The identifier issuing reuses pyld's URDNA2015 hashing (the algorithm RDFC-1.0
  standardised), with the hash function chosen per instance (SHA-256 or SHA-384) instead of
  pyld's hard-coded SHA-256, and with a **work limit** against poisoned datasets.
* N-Quads are parsed and serialized by ``vcbadge.jsonld.nquads``, because pyld's N-Quads code
  does not produce the canonical escaping RDFC-1.0 hashes.

Limits (all keyword arguments of ``Canonicalizer``): ``max_work`` (``DEFAULT_MAX_WORK``),
``max_depth`` JSON nesting (``DEFAULT_MAX_DEPTH``), ``max_quads`` (``DEFAULT_MAX_QUADS``)
and the size of the per-instance context cache (``DEFAULT_CONTEXT_CACHE_SIZE``).
"""

from __future__ import annotations

import copy
import hashlib
import threading
from collections.abc import Mapping
from typing import Any

from pyld.canon import URDNA2015
from pyld.context_resolver import ContextResolver
from pyld.identifier_issuer import IdentifierIssuer
from pyld.jsonld import JsonLdError

from vcbadge._json import join_pointer
from vcbadge._lru import LruCache
from vcbadge.errors import (
    CanonicalizationError,
    ComplexityLimit,
    LimitExceeded,
    RelativeIri,
    UnsupportedError,
    VcbadgeError,
)
from vcbadge.jsonld.compiled import (
    CompiledContexts,
    ContextStep,
    Resolver,
    canonical_nquads,
    canonical_quads,
)
from vcbadge.jsonld.labelling import WorkBudget
from vcbadge.jsonld.nquads import (
    Quad,
    parse_nquads,
    quads_from_dataset,
    serialize_quad,
    term_statements,
)
from vcbadge.jsonld.safe_mode import IriExpansionCache, ProcessedContextCache, SafeProcessor
from vcbadge.protocols import DocumentLoader, RemoteDocument

__all__ = [
    "DEFAULT_CONTEXT_CACHE_SIZE",
    "DEFAULT_MAX_DEPTH",
    "DEFAULT_MAX_QUADS",
    "DEFAULT_MAX_WORK",
    "HASH_ALGORITHMS",
    "Canonicalizer",
    "canonicalize",
]

# Work unit (counted the same way by vcbadge.jsonld.labelling on the compiled path): one
# invocation of Hash N-Degree Quads, plus one per permutation it explores
# (step 5.4, where each permutation deep-copies the path issuer). These are the only steps
# whose count grows faster than the dataset: everything else in RDFC-1.0 is linear or
# n log n in the number of quads, while a poisoned dataset (rdf-canon test074, a clique of
# blank nodes) makes the permutations explode factorially. Counting calls alone would not
# do: one call can iterate n! permutations. Each unit is bounded work (a copy of an issuer
# and a walk over one permutation), so the limit bounds time, not just recursion.
#
# Typical credentials need 0 units (every blank node has a unique first-degree hash); the
# rdf-canon suite needs at most 54 per test except the deliberately hard test044-046 (3 348).
# 100 000 units leave 30 times that headroom, cost about 0.3 s of CPU at most, and stop the
# poisoned test074 there instead of running for hours.
DEFAULT_MAX_WORK = 100_000
DEFAULT_MAX_DEPTH = 64
"""Maximum nesting of JSON objects and arrays in a document (OB 3.0 needs about 10)."""
DEFAULT_MAX_QUADS = 100_000
"""Maximum distinct quads in a dataset (an OB 3.0 credential has about 50-200)."""
DEFAULT_CONTEXT_CACHE_SIZE = 512
"""Entries in each cache of a ``Canonicalizer`` (loaded contexts, processed contexts)."""

HASH_ALGORITHMS = ("sha256", "sha384")


class _BudgetedIssuer(IdentifierIssuer):  # type: ignore[misc]
    """Temporary issuer whose every copy (one per explored permutation) costs a work unit."""

    def __init__(self, prefix: str, budget: WorkBudget) -> None:
        super().__init__(prefix)
        self._budget = budget

    def __deepcopy__(self, memo: dict[int, Any]) -> _BudgetedIssuer:
        self._budget.spend()
        clone = _BudgetedIssuer(self.prefix, self._budget)
        clone.counter = self.counter
        clone.existing = dict(self.existing)
        clone.order = list(self.order)
        return clone


class _Rdfc10(URDNA2015):  # type: ignore[misc]
    """pyld's URDNA2015 with a chosen hash, canonical N-Quads in hashes, and a work budget.

    Only the parts pyld gets wrong or cannot parametrize are ours: the hash factory, the
    first-degree serialization, and the top-level issuing steps (pyld's ``main`` also
    serializes with its own escaping). Hash Related Blank Node and Hash N-Degree Quads are
    pyld's.
    """

    def __init__(self, hash_algorithm: str, budget: WorkBudget) -> None:
        super().__init__()
        self._hash_algorithm = hash_algorithm
        self._budget = budget

    def create_hash(self) -> Any:
        return hashlib.new(self._hash_algorithm)

    def hash_first_degree_quads(self, id_: str) -> str:
        info = self.blank_node_info[id_]
        cached: str | None = info.get("hash")
        if cached is not None:
            return cached
        lines = []
        for quad in info["quads"]:
            relabelled = {
                key: (
                    {"type": "blank node", "value": "_:a" if term["value"] == id_ else "_:z"}
                    if key != "predicate" and term["type"] == "blank node"
                    else term
                )
                for key, term in quad.items()
            }
            lines.append(serialize_quad(relabelled))
        lines.sort()
        digest: str = self.hash_nquads(lines)
        info["hash"] = digest
        return digest

    def hash_n_degree_quads(self, id_: str, issuer: Any) -> Any:
        self._budget.spend()
        return super().hash_n_degree_quads(id_, issuer)

    def issue(self, quads: list[Quad]) -> dict[str, str]:
        """Run RDFC-1.0 steps 1-5 and return the issued identifiers map (with ``_:``)."""
        for quad in quads:
            for key, term in quad.items():
                if key != "predicate" and term["type"] == "blank node":
                    self.blank_node_info.setdefault(term["value"], {"quads": []})
                    entry = self.blank_node_info[term["value"]]["quads"]
                    if not entry or entry[-1] is not quad:
                        entry.append(quad)
        hash_to_nodes: dict[str, list[str]] = {}
        for id_ in self.blank_node_info:
            hash_to_nodes.setdefault(self.hash_first_degree_quads(id_), []).append(id_)
        for digest in sorted(hash_to_nodes):
            nodes = hash_to_nodes[digest]
            if len(nodes) == 1:
                self.canonical_issuer.get_id(nodes[0])
                del hash_to_nodes[digest]
        for digest in sorted(hash_to_nodes):
            results = []
            for id_ in hash_to_nodes[digest]:
                if self.canonical_issuer.has_id(id_):
                    continue
                temporary = _BudgetedIssuer("_:b", self._budget)
                temporary.get_id(id_)
                results.append(self.hash_n_degree_quads(id_, temporary))
            for result in sorted(results, key=lambda r: r["hash"]):
                for existing in result["issuer"].order:
                    self.canonical_issuer.get_id(existing)
        return dict(self.canonical_issuer.existing)


class _InstanceContextResolver(ContextResolver):  # type: ignore[misc]
    """pyld's context resolver, storing into one ``Canonicalizer``'s own cache.

    pyld's default resolver shares one module-wide LRU between every caller and loader, and
    trusts entries a loader tagged ``static`` under their bare URL: a document one loader
    served could then be handed to a caller whose loader would refuse it. Here the store
    belongs to a single instance with a single loader, so caching by URL is sound and every
    successful load is cached (a refusal is never cached and is asked again).
    """

    def __init__(self, store: LruCache[str, Any], loader: Any) -> None:
        super().__init__(store, loader)

    def _get(self, key: str) -> Any:
        resolved = self.per_op_cache.get(key)
        if not resolved:
            resolved = self.shared_cache.get(key)
            if resolved:
                self.per_op_cache[key] = resolved
        return resolved

    def _cache_resolved_context(self, key: str, resolved: Any, tag: Any) -> Any:
        self.per_op_cache[key] = resolved
        if ":" in key or key.startswith("{"):  # absolute URL or JCS key of an inline context
            self.shared_cache.put(key, resolved)
        return resolved


def _depth_check(document: Any, max_depth: int) -> None:
    # Each node's place is kept as a chain of (parent, key) links and spelled out as a JSON
    # pointer only for the node that is too deep.
    stack: list[tuple[Any, Any, int]] = [(document, None, 1)]
    while stack:
        node, link, depth = stack.pop()
        if isinstance(node, dict):
            items: Any = node.items()
        elif isinstance(node, list):
            items = enumerate(node)
        else:
            continue
        if depth > max_depth:
            raise LimitExceeded(
                f"the document nests deeper than {max_depth} levels", path=_spelled(link)
            )
        stack.extend(
            (value, (link, key), depth + 1)
            for key, value in items
            if isinstance(value, (dict, list))
        )


def _spelled(link: Any) -> str:
    keys: list[Any] = []
    while link is not None:
        link, key = link
        keys.append(key)
    path = ""
    for key in reversed(keys):
        path = join_pointer(path, key)
    return path


def _check_context_references(contexts: Any) -> None:
    # With no base IRI a relative context reference has no meaning; name it precisely rather
    # than let pyld fail on it with a message about base IRIs.
    entries = contexts if isinstance(contexts, list) else [contexts]
    for index, entry in enumerate(entries):
        if isinstance(entry, str) and ":" not in entry:
            where = f"/@context/{index}" if isinstance(contexts, list) else "/@context"
            raise RelativeIri(f"@context reference {entry!r} is not an absolute IRI", path=where)


def _translate_pyld_error(exc: JsonLdError) -> VcbadgeError:
    """Find what really went wrong under pyld's layers of ``JsonLdError`` wrapping."""
    innermost: BaseException = exc
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, VcbadgeError):
            return cause
        innermost = cause
        cause = cause.__cause__ or cause.__context__
    if isinstance(innermost, JsonLdError):
        code = f" ({innermost.code})" if innermost.code else ""
        return CanonicalizationError(f"{innermost.args[0]}{code}")
    if isinstance(innermost, RecursionError):
        return LimitExceeded("JSON-LD processing recursed too deeply")
    return CanonicalizationError(
        f"JSON-LD processing failed: {type(innermost).__name__}: {innermost}"
    )


class Canonicalizer:
    """RDFC-1.0 canonicalization of JSON-LD documents and N-Quads.

    :param loader: serves every ``@context`` (and must raise ``ContextNotAllowed`` for others).
        It is assumed to be deterministic: documents it served are cached by URL for the
        life of this instance.
    :param hash_algorithm: ``"sha256"`` (RDFC-1.0 default) or ``"sha384"`` (used by
        ecdsa-rdfc-2019 with P-384).
    :param safe: refuse documents whose expansion would silently drop data
        (``UndefinedTerm``, ``RelativeIri``). With ``safe=False`` such members are dropped
        as plain JSON-LD does, so they are not covered by a signature: only for diagnostics.
    :param max_work: work limit of the blank-node labelling, counted in Hash N-Degree Quads
        calls plus permutations explored (``DEFAULT_MAX_WORK``); exceeding it raises
        ``ComplexityLimit``.
    :param max_depth: maximum JSON nesting depth of a document (``DEFAULT_MAX_DEPTH``),
        ``LimitExceeded`` beyond.
    :param max_quads: maximum number of distinct quads (``DEFAULT_MAX_QUADS``),
        ``LimitExceeded`` beyond.
    :param context_cache_size: bound of each per-instance context cache.
    :param one_pass_rdf: emit the triples of expanded documents in the subset of
        ``vcbadge.jsonld.fast_rdf`` in one pass (the default); ``False`` always takes pyld's
        node map. Both give the same canonical form; the switch exists to prove it.
    :param compiled_expansion: canonicalize documents in the subset of
        ``vcbadge.jsonld.compiled`` (URL contexts, plain terms, unique first-degree hashes)
        in one walk over term tables compiled from pyld's processed contexts (the default);
        any other document, and ``False``, takes pyld's expansion. Same bytes, same errors.

    Instances are safe to share between threads. JSON-LD expansion is serialized per
    instance (pyld's processed-context structures are not thread-safe); the labelling and
    hashing run concurrently.
    """

    def __init__(
        self,
        loader: DocumentLoader,
        *,
        hash_algorithm: str = "sha256",
        safe: bool = True,
        max_work: int = DEFAULT_MAX_WORK,
        max_depth: int = DEFAULT_MAX_DEPTH,
        max_quads: int = DEFAULT_MAX_QUADS,
        context_cache_size: int = DEFAULT_CONTEXT_CACHE_SIZE,
        one_pass_rdf: bool = True,
        compiled_expansion: bool = True,
    ) -> None:
        algorithm = hash_algorithm.lower().replace("-", "")
        if algorithm not in HASH_ALGORITHMS:
            raise UnsupportedError(
                f"RDFC-1.0 hash algorithm {hash_algorithm!r} is not supported "
                f"(use one of {', '.join(HASH_ALGORITHMS)})",
            )
        limits = (("max_work", max_work), ("max_depth", max_depth), ("max_quads", max_quads))
        for name, value in limits:
            if value < 1:
                raise ValueError(f"{name} must be positive")
        self.loader = loader
        self.hash_algorithm = algorithm
        self.safe = safe
        self.max_work = max_work
        self.max_depth = max_depth
        self.max_quads = max_quads
        self.context_cache_size = context_cache_size
        self.one_pass_rdf = one_pass_rdf
        self.compiled_expansion = compiled_expansion
        self._init_caches()

    def _init_caches(self) -> None:
        self._resolved: LruCache[str, Any] = LruCache(self.context_cache_size)
        self._processed = ProcessedContextCache(self.context_cache_size)
        # Term and IRI expansions: a few hundred distinct ones cover every credential type.
        self._iris = IriExpansionCache(8 * self.context_cache_size)
        self._compiled = CompiledContexts()
        self._expand_lock = threading.Lock()

    def __getstate__(self) -> dict[str, Any]:
        # Caches and locks stay behind, so an instance can go to a process pool.
        state = dict(self.__dict__)
        for key in ("_resolved", "_processed", "_iris", "_compiled", "_expand_lock"):
            state.pop(key, None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)
        self._init_caches()

    def __repr__(self) -> str:
        return (
            f"Canonicalizer(hash_algorithm={self.hash_algorithm!r}, safe={self.safe}, "
            f"max_work={self.max_work})"
        )

    def _load(self, url: str, options: Mapping[str, Any] | None = None) -> RemoteDocument:
        remote = self.loader(url, options)
        # pyld edits context documents in place while resolving them; the loader's own
        # (possibly shared, frozen) copies must stay untouched.
        return {
            "contextUrl": remote.get("contextUrl"),
            "documentUrl": remote.get("documentUrl") or url,
            "document": copy.deepcopy(remote["document"]),
        }

    def _options(self) -> dict[str, Any]:
        return {
            "documentLoader": self._load,
            "contextResolver": _InstanceContextResolver(self._resolved, self._load),
            # No base IRI: pyld would otherwise resolve relative IRIs against
            # http://example.org/base/ and sign them as if the author had written them.
            "base": None,
            "processingMode": "json-ld-1.1",
            "produceGeneralizedRdf": False,
            "extractAllScripts": False,
        }

    def _pyld_functions(self) -> tuple[Any, ContextStep, Any]:
        # What the compiled path asks pyld for, on the same caches as the pyld path: IRI
        # expansion, context processing (memoized) and the initial context.
        options = self._options()
        processor = SafeProcessor(
            safe=self.safe, context_cache=self._processed, iri_cache=self._iris
        )

        def step(active: Any, local: Any, propagate: bool, override_protected: bool) -> Any:
            return processor._process_context(
                active, local, options, override_protected=override_protected, propagate=propagate
            )

        return processor._expand_iri, step, processor._get_initial_context(options)

    def _compiled_canonical(self, document: Mapping[str, Any]) -> str | None:
        """The canonical form through ``vcbadge.jsonld.compiled``, or ``None`` to take pyld's
        path (which raises whatever there is to raise)."""
        if not isinstance(document, dict):
            return None
        with self._expand_lock:
            triples = self._compiled.triples(
                document, resolver=Resolver(self._pyld_functions), max_depth=self.max_depth
            )
        if triples is None:
            return None
        return canonical_nquads(
            triples,
            hash_algorithm=self.hash_algorithm,
            max_quads=self.max_quads,
            max_work=self.max_work,
        )

    def to_quads(self, document: Mapping[str, Any]) -> list[Quad]:
        """The RDF dataset of a JSON-LD document as quads (not yet canonical)."""
        if not isinstance(document, Mapping):
            raise CanonicalizationError("a JSON-LD document must be a JSON object")
        _depth_check(document, self.max_depth)
        _check_context_references(document.get("@context"))
        options = self._options()
        processor = SafeProcessor(
            safe=self.safe, context_cache=self._processed, iri_cache=self._iris
        )
        source = document if isinstance(document, dict) else dict(document)
        try:
            with self._expand_lock:
                dataset = processor.to_dataset(source, options, one_pass=self.one_pass_rdf)
        except JsonLdError as exc:
            raise _translate_pyld_error(exc) from exc
        except RecursionError as exc:
            raise LimitExceeded("JSON-LD processing recursed too deeply") from exc
        except VcbadgeError:
            raise
        except (ValueError, TypeError, KeyError, AttributeError, IndexError) as exc:
            # pyld lets some malformed input escape as plain Python errors (for example a
            # relative @context reference with no base IRI); they are still bad input.
            raise CanonicalizationError(
                f"JSON-LD processing failed: {type(exc).__name__}: {exc}"
            ) from exc
        return quads_from_dataset(dataset, max_quads=self.max_quads)

    def canonicalize(self, document: Mapping[str, Any]) -> str:
        """Canonical N-Quads (RDFC-1.0) of a JSON-LD document.

        Raises ``UndefinedTerm``/``RelativeIri`` (safe mode), ``ContextNotAllowed`` (from the
        loader), ``CanonicalizationError`` (invalid JSON-LD, with pyld's message),
        ``ComplexityLimit`` and ``LimitExceeded``.
        """
        if self.compiled_expansion:
            canonical = self._compiled_canonical(document)
            if canonical is not None:
                return canonical
        return self._canonical(self.to_quads(document))

    def canonicalize_nquads(self, nquads: str) -> str:
        """Canonical N-Quads (RDFC-1.0) of an N-Quads document.

        With ``compiled_expansion`` (the default), a document (any graphs) is canonicalized
        from its term text (``vcbadge.jsonld.nquads.term_statements``) without building pyld's
        quad dicts, look-alike blank nodes included (``vcbadge.jsonld.labelling``); what that
        path declines takes the full path, which raises what there is to raise."""
        if self.compiled_expansion:
            statements = term_statements(nquads)
            if statements is not None:
                canonical = canonical_quads(
                    statements,
                    hash_algorithm=self.hash_algorithm,
                    max_quads=self.max_quads,
                    max_work=self.max_work,
                )
                if canonical is not None:
                    return canonical
        return self._canonical(parse_nquads(nquads, max_quads=self.max_quads))

    def issued_identifiers(self, nquads: str) -> dict[str, str]:
        """The issued identifiers map of RDFC-1.0: input label to canonical label, no ``_:``."""
        issued = self._issue(parse_nquads(nquads, max_quads=self.max_quads))
        return {source[2:]: target[2:] for source, target in issued.items()}

    def _issue(self, quads: list[Quad]) -> dict[str, str]:
        algorithm = _Rdfc10(self.hash_algorithm, WorkBudget(self.max_work))
        try:
            return algorithm.issue(quads)
        except RecursionError as exc:
            # A long chain of look-alike blank nodes recurses once per node.
            raise ComplexityLimit(
                "RDFC-1.0 recursed too deeply; the dataset may be poisoned"
            ) from exc

    def _canonical(self, quads: list[Quad]) -> str:
        issued = self._issue(quads)
        lines = []
        for quad in quads:
            if not any(term["type"] == "blank node" for term in quad.values()):
                lines.append(serialize_quad(quad))
                continue
            relabelled = {
                key: (
                    {"type": "blank node", "value": issued[term["value"]]}
                    if key != "predicate" and term["type"] == "blank node"
                    else term
                )
                for key, term in quad.items()
            }
            lines.append(serialize_quad(relabelled))
        lines.sort()
        return "".join(lines)


def canonicalize(
    document: Mapping[str, Any],
    loader: DocumentLoader,
    *,
    hash_algorithm: str = "sha256",
    safe: bool = True,
    max_work: int = DEFAULT_MAX_WORK,
) -> str:
    """Canonical N-Quads of ``document``; see ``Canonicalizer`` (a new one per call, so no
    context cache is reused: keep a ``Canonicalizer`` when canonicalizing many documents)."""
    canonicalizer = Canonicalizer(
        loader, hash_algorithm=hash_algorithm, safe=safe, max_work=max_work
    )
    return canonicalizer.canonicalize(document)
