"""A JSON-LD document loader that never touches the network and fails closed.

``BundledLoader`` serves vcbadge's bundled context documents (see ``vcbadge.jsonld.contexts``)
plus the documents a caller hands it explicitly, and nothing else: any other URL raises
``ContextNotAllowed``. Loaders are immutable, so one loader can be shared between threads and
verifiers; ``with_documents`` returns a new loader.

The loader is a pyld ``documentLoader``: ``loader(url, options)`` returns the remote-document
dict pyld expects. It never returns pyld's optional ``tag`` member, so pyld keeps what it
resolves from a URL in a per-operation cache only and documents served by one loader cannot
leak into an operation that uses another.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Container, Mapping
from types import MappingProxyType
from typing import Any, NoReturn

from vcbadge._json import loads_strict
from vcbadge.errors import ContextNotAllowed, ExampleContext
from vcbadge.jsonld.contexts import bundled_contexts, example_context_urls, load_bundled_document
from vcbadge.protocols import DocumentLoader, RemoteDocument

__all__ = ["BundledLoader", "ExampleContextGuard", "default_loader"]


def _parse(data: str | bytes) -> dict[str, Any]:
    """Strict parse (duplicate keys, NaN... rejected with ``InputError``) of a JSON object."""
    value = loads_strict(data)
    if not isinstance(value, dict):
        raise ValueError("a JSON-LD document given to the loader must be a JSON object")
    return value


def _freeze(url: object, document: object) -> str:
    """The document as JSON text: detached from the caller's object and validated."""
    if not isinstance(url, str) or not url:
        raise TypeError(f"document URLs must be non-empty strings, not {url!r}")
    if isinstance(document, (str, bytes, bytearray)):
        try:
            return json.dumps(
                _parse(bytes(document) if isinstance(document, bytearray) else document)
            )
        except ValueError as exc:
            raise ValueError(f"document for {url!r} is not a JSON object: {exc}") from exc
    if not isinstance(document, Mapping):
        raise TypeError(
            f"document for {url!r} must be a JSON object (dict) or JSON text, "
            f"not {type(document).__name__}"
        )
    try:
        return json.dumps(document, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"document for {url!r} is not JSON-serializable: {exc}") from exc


class BundledLoader:
    """An immutable, offline JSON-LD document loader (implements ``DocumentLoader``).

    It serves the documents bundled with vcbadge (unless ``bundled=False``) plus ``documents``,
    a mapping from URL to a document given as a ``dict`` or as JSON text. URLs are matched
    exactly, character for character: no normalization, no fragment stripping, no redirects.
    Any other URL raises ``ContextNotAllowed`` naming the URL. Documents are copied when the
    loader is built and again on every call, so neither the caller's objects nor the returned
    documents can change what the loader serves.

    ``documents`` may not give a different document for a URL the bundled set already serves
    unless ``replace=True`` (replacing a base context changes what every credential means).
    """

    __slots__ = ("_bundled", "_extra")

    _bundled: frozenset[str]
    _extra: Mapping[str, str]

    def __init__(
        self,
        documents: Mapping[str, Mapping[str, Any] | str | bytes] | None = None,
        *,
        bundled: bool = True,
        replace: bool = False,
    ) -> None:
        served = frozenset(bundled_contexts()) if bundled else frozenset()
        extra = self._merge(served, {}, documents or {}, replace=replace)
        object.__setattr__(self, "_bundled", served)
        object.__setattr__(self, "_extra", MappingProxyType(extra))

    @staticmethod
    def _merge(
        bundled: frozenset[str],
        current: Mapping[str, str],
        documents: Mapping[str, Mapping[str, Any] | str | bytes],
        *,
        replace: bool,
    ) -> dict[str, str]:
        merged = dict(current)
        for url, document in documents.items():
            text = _freeze(url, document)
            if not replace:
                known: dict[str, Any] | None = None
                if url in merged:
                    known = json.loads(merged[url])
                elif url in bundled:
                    known = load_bundled_document(url)
                if known is not None and known != json.loads(text):
                    raise ValueError(
                        f"the loader already serves a different document for {url!r}; "
                        "pass replace=True to replace it"
                    )
            merged[url] = text
        return merged

    def with_documents(
        self,
        documents: Mapping[str, Mapping[str, Any] | str | bytes],
        *,
        replace: bool = False,
    ) -> BundledLoader:
        """A new loader that also serves ``documents`` (URL to ``dict`` or JSON text).

        This loader is left unchanged. Giving a different document for a URL already served
        raises ``ValueError`` unless ``replace=True``; giving the same document again is
        allowed.
        """
        new = object.__new__(BundledLoader)
        extra = self._merge(self._bundled, self._extra, documents, replace=replace)
        object.__setattr__(new, "_bundled", self._bundled)
        object.__setattr__(new, "_extra", MappingProxyType(extra))
        return new

    @property
    def urls(self) -> frozenset[str]:
        """Every URL this loader serves."""
        return self._bundled | frozenset(self._extra)

    def __contains__(self, url: object) -> bool:
        return isinstance(url, str) and (url in self._extra or url in self._bundled)

    def __call__(self, url: str, options: Mapping[str, Any] | None = None) -> RemoteDocument:
        """Returns a fresh copy of the document for ``url`` or raises ``ContextNotAllowed``.

        ``options`` (pyld passes request headers there) is ignored.
        """
        if not isinstance(url, str):
            raise ContextNotAllowed(f"JSON-LD document URL must be a string, not {url!r}")
        text = self._extra.get(url)
        if text is not None:
            document: dict[str, Any] = json.loads(text)
        elif url in self._bundled:
            document = load_bundled_document(url)
        else:
            raise ContextNotAllowed(
                f"JSON-LD document {url!r} is not bundled with vcbadge and was not given to "
                "the document loader; it is not fetched from the network"
            )
        return {"contextUrl": None, "documentUrl": url, "document": document}

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError(f"{type(self).__name__} is immutable; use with_documents()")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __repr__(self) -> str:
        return (
            f"<{type(self).__name__}: {len(self._bundled)} bundled, "
            f"{len(self._extra)} added documents>"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (bool(self._bundled), dict(self._extra)))


def _rebuild(bundled: bool, extra: Mapping[str, str]) -> BundledLoader:
    return BundledLoader(extra, bundled=bundled, replace=True)


@functools.cache
def default_loader() -> BundledLoader:
    """The shared loader of the bundled documents only (immutable, so sharing is safe)."""
    return BundledLoader()


class ExampleContextGuard:
    """A document loader that refuses the contexts meant for examples and tests
    (:func:`vcbadge.jsonld.contexts.example_context_urls`) with ``ExampleContext``
    (``example_context``, a ``ContextNotAllowed``) and hands every other URL to ``inner``.

    The verifier wraps its loader in one unless ``Policy.allow_example_contexts``: whatever the
    loader serves, a credential whose terms come from the W3C examples context or the
    undefined-terms catch-all asserts nothing a relying party can interpret. Immutable.
    """

    __slots__ = ("_inner",)

    _inner: DocumentLoader

    def __init__(self, inner: DocumentLoader) -> None:
        object.__setattr__(self, "_inner", inner)

    @property
    def inner(self) -> DocumentLoader:
        """The loader every other URL goes to."""
        return self._inner

    def __call__(self, url: str, options: Mapping[str, Any] | None = None) -> RemoteDocument:
        """The ``inner`` loader's document for ``url``, or ``ExampleContext`` for an example
        context."""
        if isinstance(url, str) and url in example_context_urls():
            raise ExampleContext(
                f"{url} is a context published for examples and tests: the terms it defines "
                "belong to no real vocabulary, so a credential using it is refused (a verifier "
                "for tests or demos may allow them: Policy.allow_example_contexts)"
            )
        return self._inner(url, options)

    def __contains__(self, url: object) -> bool:
        """True when ``url`` is certainly served (not an example context, and in ``inner``);
        False when it is not, or when ``inner`` cannot say without loading it."""
        if not isinstance(url, str) or url in example_context_urls():
            return False
        return isinstance(self._inner, Container) and url in self._inner

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __repr__(self) -> str:
        return f"<{type(self).__name__} around {self._inner!r}>"

    def __reduce__(self) -> tuple[Any, ...]:
        return (ExampleContextGuard, (self._inner,))
