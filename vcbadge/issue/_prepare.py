"""What every issuer does to a credential before it secures it, whatever the proof format:
``Issuer`` (Data Integrity) and ``JwtIssuer`` (JOSE) must fill in and refuse exactly the same
things, or a credential would be accepted by one and refused by the other."""

from __future__ import annotations

import copy
import functools
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from vcbadge._time import format_datetime, parse_datetime
from vcbadge.errors import ExampleContext, Issue, ModelError, SchemaError
from vcbadge.jsonld.contexts import example_contexts_in
from vcbadge.jsonld.related_resource import check_related_resources, triage_related_resources
from vcbadge.keys.public_keys import private_members_in_document
from vcbadge.model.base import OBModel, raise_issues
from vcbadge.model.profile import Profile
from vcbadge.model.rules import (
    check,
    data_model_issues,
    verification_issues,
    verification_kind,
)
from vcbadge.protocols import Signer, StatusAllocator
from vcbadge.schema import SchemaValidator
from vcbadge.vcdm import PROBLEM_CODES, data_model_version, issuer_id

__all__ = [
    "OFFICIAL_SCHEMAS",
    "add_status_entries",
    "detached_copy",
    "is_vc2",
    "require_key_controlled_by",
    "require_no_example_contexts",
    "require_no_private_keys",
    "require_not_expired",
    "require_schema_valid",
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
    allow_expired: bool = False,
) -> dict[str, Any]:
    """A copy of ``credential`` as JSON, with ``issuer`` defaulted to ``profile`` and
    ``validFrom`` (VC 2.0) or ``issuanceDate`` (VC 1.1) to ``now``.

    Raises ``ModelError``: ``already_signed``, ``issuer_not_controller`` when the credential
    names another issuer (``issuer_noun`` is how the message names the caller), or, unless
    ``allow_expired``, ``already_expired`` (:func:`require_not_expired`).
    """
    document = (
        credential.to_json() if isinstance(credential, OBModel) else detached_copy(credential)
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
    if not allow_expired:
        require_not_expired(document, now)
    return document


def detached_copy(credential: Mapping[str, Any]) -> dict[str, Any]:
    """A deep copy of ``credential`` as a ``dict``: what ``copy.deepcopy(dict(credential))``
    returns, built faster for the plain JSON trees credentials nearly always are. Any other
    value (a type but ``dict``, ``list``, ``str``, ``int``, ``float``, ``bool`` or ``None``;
    an object reached twice, shared or in a cycle; a tree deeper than a JSON parser would
    build) makes the whole copy ``copy.deepcopy``'s, so the result is the same either way."""
    try:
        top = credential if type(credential) is dict else dict(credential)
        return _tree_copy(top, set(), 0)  # type: ignore[no-any-return]
    except _NotPlainJson:
        return copy.deepcopy(dict(credential))


class _NotPlainJson(Exception):
    """Raised by :func:`_tree_copy` where only ``copy.deepcopy`` copies faithfully."""


_ATOMS = frozenset({str, int, float, bool, type(None)})
_MAX_TREE_DEPTH = 200


def _tree_copy(value: Any, seen: set[int], depth: int) -> Any:
    # ``value`` is a container (leaves are taken as they are by the caller: deepcopy returns
    # the immutable str, int, float, bool and None themselves).
    if depth > _MAX_TREE_DEPTH or id(value) in seen:
        raise _NotPlainJson
    kind = type(value)
    if kind is dict:
        seen.add(id(value))
        copied: dict[str, Any] = {}
        for key, item in value.items():
            if type(key) is not str:
                raise _NotPlainJson
            copied[key] = item if type(item) in _ATOMS else _tree_copy(item, seen, depth + 1)
        return copied
    if kind is list:
        seen.add(id(value))
        return [
            item if type(item) in _ATOMS else _tree_copy(item, seen, depth + 1) for item in value
        ]
    raise _NotPlainJson


def require_not_expired(document: Mapping[str, Any], now: datetime) -> None:
    """Refuse a credential whose validity window has already closed at ``now``: its
    ``validUntil`` (VC 2.0) or ``expirationDate`` (VC 1.1) is not later than ``now``. Every
    verifier would answer ``expired`` from the first day. A ``validFrom`` in the future is
    not refused: a badge may be issued ahead of the day it takes effect. A date that does not
    parse is left to the data model rules, which name it."""
    member = "validUntil" if is_vc2(document) else "expirationDate"
    value = document.get(member)
    if not isinstance(value, str):
        return
    try:
        end = parse_datetime(value)
    except ValueError:
        return
    if end <= now:
        raise ModelError(
            f"{member} {value} is not later than now ({format_datetime(now)}): every verifier "
            f"would call the credential expired; to sign it anyway (e.g. to re-issue a record "
            "of a past award), pass allow_expired=True",
            code="already_expired",
            path=f"/{member}",
        )


def require_valid_credential(
    document: Mapping[str, Any],
    *,
    kind: str | None = None,
    allow_example_contexts: bool = False,
    check_schema: bool = True,
) -> None:
    """Refuse what a verifier would refuse, before anything is signed; first of all private key
    material anywhere in the credential (:func:`require_no_private_keys`).

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
    ``example_context``), as a verifier refuses it by default. Unless ``check_schema`` is
    false, last the JSON Schemas (:func:`require_schema_valid`).
    """
    require_no_private_keys(document)
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
    if check_schema:
        require_schema_valid(document, kind=kind)


_OB_SCHEMA = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/"
_CLR_SCHEMA = "https://purl.imsglobal.org/spec/clr/v2p0/schema/json/"
OFFICIAL_SCHEMAS: Mapping[str, str] = {
    "AchievementCredential": f"{_OB_SCHEMA}ob_v3p0_achievementcredential_schema.json",
    "OpenBadgeCredential": f"{_OB_SCHEMA}ob_v3p0_achievementcredential_schema.json",
    "EndorsementCredential": f"{_OB_SCHEMA}ob_v3p0_endorsementcredential_schema.json",
    "ClrCredential": f"{_CLR_SCHEMA}clr_v2p0_clrcredential_schema.json",
}
"""The official 1EdTech JSON Schema of each OB 3.0 / CLR 2.0 credential class (bundled with
vcbadge). They describe the VC 2.0 form, so a VC 1.1 credential is held to its
``credentialSchema`` entries only."""


@functools.lru_cache(maxsize=1)
def _bundled_validator() -> SchemaValidator:
    # Built once: loading and crawling the bundled schemas costs far more than one validation,
    # and a batch signs thousands of credentials. Offline: issuing never fetches a schema.
    return SchemaValidator.bundled()


def require_schema_valid(document: Mapping[str, Any], *, kind: str | None = None) -> None:
    """Refuse a credential that does not validate against the official JSON Schema of its
    class (:data:`OFFICIAL_SCHEMAS`, VC 2.0 credentials; ``kind`` defaults to the class
    verification takes it for) or against a ``credentialSchema`` entry it names that vcbadge
    bundles: a verifier validating it would call it INVALID (``schema_invalid``). An entry
    naming a schema vcbadge does not bundle is not fetched and not refused (a verifier that can
    fetch it will judge it).

    Raises ``SchemaError`` (``schema_invalid``) with every failure in ``issues``.
    """
    validator = _bundled_validator()
    kind = kind or verification_kind(document)
    official = OFFICIAL_SCHEMAS.get(kind or "") if is_vc2(document) else None
    if official is not None:
        issues = validator.validate(document, official)
        if issues:
            raise _schema_refusal(official, issues, "the official schema of its class")
    for result in validator.check(document):
        if result.status == "invalid" and result.issues:
            raise _schema_refusal(
                result.schema_id or result.path, list(result.issues), "a credentialSchema entry"
            )


def _schema_refusal(schema_id: str, issues: list[Issue], which: str) -> SchemaError:
    first = issues[0]
    more = f" (and {len(issues) - 1} more)" if len(issues) > 1 else ""
    return SchemaError(
        f"does not validate against {schema_id} ({which}): {first.message}{more}: verifiers "
        "validating it would call the credential INVALID; to sign it anyway, pass "
        "check_schema=False",
        path=first.path,
        issues=tuple(issues),
    )


_STATUS_LIST_TYPES = ("BitstringStatusListCredential", "StatusList2021Credential")
_STATUS_CONTEXT = "https://www.w3.org/ns/credentials/status/v1"


def add_status_entries(document: dict[str, Any], store: StatusAllocator) -> None:
    """Give ``document`` (not a status list itself) the ``credentialStatus`` entries ``store``
    allocates for it, after any it already has; a credential without an ``id`` gets a
    ``urn:uuid:`` one, since the store tracks credentials by id. A VC 1.1 credential also gets
    the status context (VC 2.0's own defines the entry type)."""
    types = document.get("type")
    listed_types = types if isinstance(types, list) else [types]
    if any(kind in listed_types for kind in _STATUS_LIST_TYPES):
        return
    credential_id = document.setdefault("id", f"urn:uuid:{uuid.uuid4()}")
    entries = store.credential_status(credential_id)
    existing = document.get("credentialStatus")
    listed = [] if existing is None else existing if isinstance(existing, list) else [existing]
    combined = [*listed, *entries]
    document["credentialStatus"] = combined[0] if len(combined) == 1 else combined
    if not is_vc2(document):
        contexts = document.get("@context")
        listed_contexts = contexts if isinstance(contexts, list) else [contexts]
        if _STATUS_CONTEXT not in listed_contexts:
            document["@context"] = [*listed_contexts, _STATUS_CONTEXT]


def require_no_private_keys(document: Mapping[str, Any]) -> None:
    """Refuse a credential that carries private key material anywhere (a key file pasted in,
    a private JWK as a subject's key): signing it would publish the secret to every holder
    and verifier. The message names the member's JSON pointer, never its value."""
    secrets = private_members_in_document(document)
    if secrets:
        raise ModelError(
            f"the credential carries private key material at {secrets[0]}; a credential is "
            "shown to every holder and verifier, so it must never hold a secret",
            code="private_key_in_document",
            path=secrets[0],
        )


def require_no_example_contexts(document: Mapping[str, Any]) -> None:
    """Refuse a credential that lists a context meant for examples and tests: verifiers refuse
    it by default (``Policy.allow_example_contexts``), so it would be issued to no use."""
    for path, url in example_contexts_in(document):
        raise ExampleContext(
            f"{url} is a context published for examples and tests: verifiers refuse credentials "
            "that use it by default; define the terms in a context of your own (for tests and "
            "demos, pass allow_example_contexts=True)",
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
