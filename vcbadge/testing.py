"""Public test helpers for vcbadge users' own tests (and vcbadge's).

- :class:`FixedClock`, :class:`StaticResolver`: a fixed "now" and DID documents from a dict.
- :class:`MemoryTransport`: an in-memory :class:`~vcbadge.protocols.Transport` (URL -> body and
  media type), so online flows (did:web, status lists, schemas) run without a server::

      transport = MemoryTransport({"https://example.edu/.well-known/did.json": did_document})
      verifier = Verifier.online(transport=transport)

- :func:`assert_conforms`: ``vcbadge check`` as an assertion.
- :func:`assert_verifies`: the credential is VALID, or the assertion lists the failed checks.
- :func:`vector_cases`: vcbadge's test vectors as pytest parameters::

      @pytest.mark.parametrize("case", vector_cases("verify"))
      def test_my_verifier(case): ...
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from vcbadge.clock import FixedClock
from vcbadge.conformance.check import Finding, check_credential
from vcbadge.conformance.vectors import VectorCase, VectorSet
from vcbadge.errors import ContentTypeError, HTTPStatusError
from vcbadge.protocols import Response
from vcbadge.resolve.static import StaticResolver
from vcbadge.verify import Outcome, VerificationResult, Verifier

__all__ = [
    "FixedClock",
    "MemoryTransport",
    "Served",
    "StaticResolver",
    "VectorCase",
    "assert_conforms",
    "assert_verifies",
    "vector_cases",
]


@dataclass(frozen=True)
class Served:
    """A body served by :class:`MemoryTransport` with its media type."""

    body: bytes
    content_type: str


class MemoryTransport:
    """A :class:`~vcbadge.protocols.Transport` answering from memory.

    ``documents`` maps a URL to a JSON value (served as JSON), text or bytes, or a
    :class:`Served` body with its media type. A JSON value, text or bytes is served with the
    first media type the caller accepts; a :class:`Served` body with its own, which must be one
    the caller accepts (``content_type`` otherwise, as over the network). A URL that is not in
    ``documents`` is a 404 (``http_status``). ``requests`` lists every URL asked for, in order.
    """

    def __init__(self, documents: Mapping[str, Any]) -> None:
        self._documents = {url: _served(value) for url, value in documents.items()}
        self.requests: list[str] = []

    def get(self, url: str, *, accept: Sequence[str]) -> Response:
        """The response for ``url``, as the guarded transport would give it."""
        self.requests.append(url)
        served = self._documents.get(url)
        if served is None:
            raise HTTPStatusError(f"{url}: 404 (not in the MemoryTransport)", url=url, status=404)
        media_type = served.content_type or (accept[0] if accept else "application/json")
        if accept and media_type.split(";", 1)[0].strip().lower() not in accept:
            raise ContentTypeError(
                f"{url}: served as {media_type}, the caller accepts {', '.join(accept)}", url=url
            )
        headers = {"content-type": media_type, "content-length": str(len(served.body))}
        return Response(url=url, status=200, headers=headers, body=served.body)

    def __repr__(self) -> str:
        return f"MemoryTransport({len(self._documents)} documents)"


def _served(value: Any) -> Served:
    if isinstance(value, Served):
        return value
    if isinstance(value, bytes):
        return Served(value, "")
    if isinstance(value, str):
        return Served(value.encode("utf-8"), "")
    return Served(json.dumps(value, ensure_ascii=False).encode("utf-8"), "")


def _listing(findings: Sequence[Finding]) -> str:
    return "\n".join(
        f"  {finding.level} {finding.code} {finding.path or '/'}: {finding.message} "
        f"(fix: {finding.fix})"
        for finding in findings
    )


def assert_conforms(
    credential: Mapping[str, Any] | str | bytes,
    *,
    documents: Mapping[str, Mapping[str, Any]] | None = None,
    at: datetime | None = None,
    verifier: Verifier | None = None,
    strict: bool = False,
    verify: bool = True,
) -> list[Finding]:
    """Run ``vcbadge check`` over ``credential``; raise ``AssertionError`` listing the findings
    when there is an error (with ``strict``: any finding). Returns the findings (warnings).

    ``verify=False`` checks a credential that is not signed yet.
    """
    findings = check_credential(
        credential, verifier=verifier, documents=documents, at=at, verify=verify
    )
    failing = findings if strict else [f for f in findings if f.level == "error"]
    if failing:
        raise AssertionError(
            f"the credential does not conform ({len(failing)} finding(s)):\n{_listing(failing)}"
        )
    return findings


def assert_verifies(
    credential: Mapping[str, Any] | str | bytes,
    *,
    documents: Mapping[str, Mapping[str, Any]] | None = None,
    at: datetime | None = None,
    verifier: Verifier | None = None,
    challenge: str | None = None,
    domain: str | Collection[str] | None = None,
) -> VerificationResult:
    """Verify ``credential`` (offline with ``documents`` unless ``verifier`` is given; a
    presentation when ``challenge`` is given); raise ``AssertionError`` listing the checks that
    did not pass unless it is VALID. Returns the result."""
    verifier = verifier or Verifier.offline(documents=documents)
    if challenge is not None:
        result = verifier.verify_presentation(credential, challenge=challenge, domain=domain, at=at)
    else:
        result = verifier.verify(credential, at=at)
    if result.outcome is not Outcome.VALID:
        lines = "\n".join(
            f"  {check.outcome.value} {check.name} {check.code} {check.path or '/'}: "
            f"{check.message}"
            for check in result.failed
        )
        raise AssertionError(f"the credential is {result.outcome.value}:\n{lines}")
    return result


def vector_cases(
    kind: str | Sequence[str] = ("verify", "status"), *, directory: str | Path | None = None
) -> list[Any]:
    """The cases of vcbadge's vector set of type ``kind`` (one type or several) as pytest
    parameters (``pytest.param(case, id=case.id)``, each a :class:`VectorCase`).

    ``directory`` defaults to ``test_vectors/`` of the vcbadge checkout (the wheel does not ship
    the set). Needs pytest.
    """
    import pytest  # only the caller's test suite needs it

    kinds = {kind} if isinstance(kind, str) else set(kind)
    return [
        pytest.param(case, id=case.id) for case in VectorSet.load(directory) if case.type in kinds
    ]
