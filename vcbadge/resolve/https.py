"""HTTPS verification methods: controller documents and key documents at https URLs.

Open Badges 3.0 issuers that do not use DIDs publish their keys on their own web site, either as
a controller document (``https://example.edu/issuers/1`` listing ``…#key-1`` under
``assertionMethod``) or as a key document at its own URL (a ``Multikey`` or ``JsonWebKey`` whose
``controller`` is the issuer). Either way the document is fetched through the injected
:class:`vcbadge.protocols.Transport` and its ``id`` must be the URL that was asked for; which
key may do what is decided by :mod:`vcbadge.verify.controller`.
"""

from __future__ import annotations

from typing import Any

from vcbadge.errors import UnsupportedError
from vcbadge.protocols import Transport
from vcbadge.resolve._fetch import fetch_document

__all__ = ["HttpsResolver"]


class HttpsResolver:
    """A :class:`vcbadge.protocols.Resolver` for ``https:`` URLs (a ``#fragment`` is ignored).

    Register it for ``http`` too: the transport then refuses plain HTTP with
    ``scheme_not_allowed``, a clearer answer than "unsupported".
    """

    def __init__(self, transport: Transport) -> None:
        self._transport = transport

    def resolve(self, identifier: str) -> dict[str, Any]:
        """The document at ``identifier`` (without its fragment).

        Raises:
            DIDResolutionError: ``invalid_document``, ``document_id_mismatch``.
            NetworkError: the transport's codes (``scheme_not_allowed`` for ``http:``).
            UnsupportedError: ``unsupported_did_method`` for a DID.
        """
        if not isinstance(identifier, str) or identifier.startswith("did:"):
            shown = identifier[:80] if isinstance(identifier, str) else type(identifier).__name__
            raise UnsupportedError(
                f"HttpsResolver resolves URLs, not {shown!r}", code="unsupported_did_method"
            )
        url, _, _ = identifier.partition("#")
        return fetch_document(self._transport, url, url)

    def __repr__(self) -> str:
        return f"HttpsResolver({self._transport!r})"
