"""What every issuer does to a credential before it secures it, whatever the proof format:
``Issuer`` (Data Integrity) and ``JwtIssuer`` (JOSE) must fill in and refuse exactly the same
things, or a credential would be accepted by one and refused by the other."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from vcbadge._time import format_datetime
from vcbadge.errors import ExampleContext, ModelError
from vcbadge.jsonld.contexts import example_contexts_in
from vcbadge.jsonld.related_resource import check_related_resources, triage_related_resources
from vcbadge.model.base import OBModel, raise_issues
from vcbadge.model.profile import Profile
from vcbadge.model.rules import (
    check,
    data_model_issues,
    verification_issues,
    verification_kind,
)
from vcbadge.protocols import Signer
from vcbadge.vcdm import PROBLEM_CODES, data_model_version, issuer_id

__all__ = [
    "is_vc2",
    "require_key_controlled_by",
    "require_no_example_contexts",
    "require_valid_credential",
    "unsigned_document",
]


def require_key_controlled_by(profile: Profile, key: Signer) -> None:
    """Refuse an issuer profile that is not the controller of the signing key: verifiers check
    exactly that, so every credential would be rejected."""
    controller = key.controller
    if controller != profile.id:
        raise ModelError(
            f"the issuer profile id {profile.id} is not the controller of the key "
            f"{key.verification_method}; verifiers would reject every credential",
            code="issuer_not_controller",
            path="/issuer/id",
        )


def unsigned_document(
    credential: OBModel | Mapping[str, Any],
    *,
    profile: Profile,
    now: datetime,
    issuer_noun: str,
) -> dict[str, Any]:
    """A copy of ``credential`` as JSON, with ``issuer`` defaulted to ``profile`` and
    ``validFrom`` (VC 2.0) or ``issuanceDate`` (VC 1.1) to ``now``.

    Raises ``ModelError``: ``already_signed``, or ``issuer_not_controller`` when the credential
    names another issuer (``issuer_noun`` is how the message names the caller).
    """
    document = (
        credential.to_json() if isinstance(credential, OBModel) else copy.deepcopy(dict(credential))
    )
    if "proof" in document:
        raise ModelError("the credential is already signed", code="already_signed", path="/proof")
    if document.get("issuer") is None:
        document["issuer"] = profile.to_json()
    else:
        named = issuer_id(document)
        if named != profile.id:
            raise ModelError(
                f"the credential names issuer {named!r}, this {issuer_noun} is {profile.id}",
                code="issuer_not_controller",
                path="/issuer",
            )
    if is_vc2(document):
        document.setdefault("validFrom", format_datetime(now))
    else:
        document.setdefault("issuanceDate", format_datetime(now))
    return document


def require_valid_credential(
    document: Mapping[str, Any], *, kind: str | None = None, allow_example_contexts: bool = False
) -> None:
    """Refuse what a verifier would refuse, before anything is signed.

    Always the VC data model rules (:mod:`vcbadge.vcdm`, the verifier's envelope step): the
    first broken one is raised with its own code, as the verifier would report it. With
    ``kind`` (the model class the credential was built from) also the OB 3.0 / CLR 2.0 MUST
    rules of :func:`vcbadge.model.rules.check`, every problem in one ``ModelError``; without
    it, a plain JSON credential that verification takes for an OB 3.0 or CLR 2.0 credential
    (:func:`vcbadge.model.rules.verification_kind`) is held to the rules verification applies
    (``ob_conformance``), so nothing is signed that every verifier would refuse. Then the
    ``relatedResource`` digests of the resources vcbadge holds. Unless
    ``allow_example_contexts``, a context meant for examples and tests
    (:func:`vcbadge.jsonld.contexts.example_context_urls`) is refused (``ExampleContext``,
    ``example_context``), as a verifier refuses it by default.
    """
    if not allow_example_contexts:
        require_no_example_contexts(document)
    if kind:
        found = check(document, kind=kind)
    else:
        found = data_model_issues(document)
        kind = verification_kind(document)
        if kind is not None:
            found += verification_issues(document, kind)
    for issue in found:
        if issue.code in PROBLEM_CODES:
            raise ModelError(issue.message, code=issue.code, path=issue.path)
    if found:
        raise_issues(kind or "credential", found)
    require_related_resources_match(document)


def require_no_example_contexts(document: Mapping[str, Any]) -> None:
    """Refuse a credential that lists a context meant for examples and tests: verifiers refuse
    it by default (``Policy.allow_example_contexts``), so it would be issued to no use."""
    for path, url in example_contexts_in(document):
        raise ExampleContext(
            f"{url} is a context published for examples and tests: verifiers refuse credentials "
            "that use it by default; define the terms in a context of your own (for tests and "
            "demos, issue with allow_example_contexts=True)",
            path=path,
        )


def require_related_resources_match(document: Mapping[str, Any]) -> None:
    """Refuse a ``relatedResource`` digest that does not match a resource vcbadge holds (or is
    malformed): every verifier that holds it would call the credential INVALID. A digest
    vcbadge cannot compare, or a resource it does not hold, is signed as given."""
    triage = triage_related_resources(check_related_resources(document))
    for result in triage.invalid:
        error = result.error()
        if error is not None:
            raise error


def is_vc2(document: Mapping[str, Any]) -> bool:
    """Whether the credential is a VC Data Model 2.0 one (by its first ``@context``)."""
    return data_model_version(document) == "2.0"
