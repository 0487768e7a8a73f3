"""The verification steps that need no recursion, each producing named checks.

Pure functions over the parsed document plus the injected :class:`~vcbadge.verify.frame.Services`
and the call's :class:`~vcbadge.verify.frame.Frame`; they perform no I/O themselves and never
raise for a bad credential. The order they run in is written once, in
:func:`vcbadge.verify.dispatch.credential_checks`. The codes are listed in
docs/verification-policy.md.
"""

from __future__ import annotations

from collections.abc import Container, Iterator, Mapping
from typing import Any, TypeAlias

from vcbadge._json import join_pointer, loads_strict
from vcbadge._time import parse_datetime
from vcbadge.errors import InputError, LimitExceeded, VcbadgeError
from vcbadge.jsonld.related_resource import check_related_resources, triage_related_resources
from vcbadge.model.rules import verification_issues, verification_kind
from vcbadge.vcdm import credential_problems, data_model_version, issuer_id
from vcbadge.verify.frame import Frame, Services
from vcbadge.verify.policy import Policy
from vcbadge.verify.result import Check, Outcome

__all__ = [
    "check_depth",
    "contexts",
    "envelope",
    "issuer_trust",
    "nested_credentials",
    "ob_conformance",
    "parse",
    "related_resources",
    "schema",
    "summarize_nested",
    "validity",
]


def parse(received: Any, policy: Policy) -> tuple[Check, dict[str, Any] | None]:
    """Strict JSON from bytes/str, or a size and depth check of a given mapping."""
    try:
        if isinstance(received, (bytes, bytearray, memoryview, str)):
            document = loads_strict(
                received if isinstance(received, (bytes, str)) else bytes(received),
                max_bytes=policy.max_bytes,
                max_depth=policy.max_depth,
            )
        else:
            document = received
            check_depth(document, policy.max_depth)
    except InputError as error:
        return Check.from_error("parse", error), None
    if not isinstance(document, Mapping):
        return Check.invalid(
            "parse", code="not_an_object", message="a credential must be a JSON object"
        ), None
    return Check.passed("parse", "well-formed JSON object"), dict(document)


def check_depth(value: Any, max_depth: int) -> None:
    """Raise ``LimitExceeded`` when ``value`` nests deeper than ``max_depth``."""
    if not isinstance(value, (Mapping, list)):
        return
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > max_depth:
            raise LimitExceeded(f"nesting deeper than {max_depth} levels")
        for child in item if isinstance(item, list) else item.values():
            kind = type(child)
            if kind in _CONTAINER_TYPES or (
                kind not in _LEAF_TYPES and isinstance(child, (Mapping, list))
            ):
                stack.append((child, depth + 1))


def envelope(document: Mapping[str, Any]) -> Iterator[Check]:
    """The VC data model envelope (VC 2.0, or VC 1.1 for older badges): the rules of
    :mod:`vcbadge.vcdm`, one check per problem."""
    problems = credential_problems(document)
    for problem in problems:
        yield Check.invalid(
            "envelope", code=problem.code, message=problem.message, path=problem.path
        )
    if not problems:
        version = data_model_version(document)
        yield Check.passed("envelope", f"Verifiable Credential, data model {version}")


def ob_conformance(document: Mapping[str, Any]) -> Iterator[Check]:
    """The Open Badges 3.0 / CLR 2.0 rules verification applies (:mod:`vcbadge.model.rules`
    says which) to a credential that uses an OB or CLR context or type: one check per problem,
    under the rule's code (``ob_type_missing``, ``ob_member_missing``,
    ``ob_subject_unidentified``). Another credential gets no check."""
    kind = verification_kind(document)
    if kind is None:
        return
    issues = verification_issues(document, kind)
    for issue in issues:
        yield Check.invalid(
            "ob_conformance", code=issue.code, message=issue.message, path=issue.path
        )
    if not issues:
        yield Check.passed("ob_conformance", f"meets the {kind} rules verification applies")


def contexts(document: Mapping[str, Any], services: Services) -> Iterator[Check]:
    """Every ``@context`` URL is one the loader serves; inline context objects as the policy
    says (they are expanded in safe mode either way)."""
    entries = document.get("@context")
    entry_list = entries if isinstance(entries, list) else [entries]
    ok = True
    for index, entry in enumerate(entry_list):
        path = f"/@context/{index}"
        if isinstance(entry, str):
            if isinstance(services.loader, Container) and entry in services.loader:
                continue  # served for certain: no need to load and parse it here
            try:
                services.loader(entry)
            except VcbadgeError as error:
                ok = False
                yield Check.from_error("contexts", error, path=path)
        elif isinstance(entry, Mapping) and services.policy.allow_inline_contexts:
            continue
        else:
            ok = False
            yield Check.invalid(
                "contexts",
                code="context_not_allowed",
                message="inline @context objects are not allowed by the policy",
                path=path,
            )
    if ok:
        yield Check.passed("contexts", "every @context is an allowed document")


def related_resources(document: Mapping[str, Any], policy: Policy) -> Iterator[Check]:
    """``relatedResource`` digests (VC Data Model 2.0 §5.3) of the resources vcbadge holds (its
    bundled contexts, compared with the published documents' digests): a mismatch or a malformed
    digest is INVALID, a digest vcbadge cannot compare INDETERMINATE. A resource vcbadge does
    not hold is never fetched: its check passes with the code ``related_resource_not_held`` (the
    party that retrieves it must check it), or is INDETERMINATE under
    ``Policy.require_held_related_resources``."""
    if "relatedResource" not in document:
        return
    triage = triage_related_resources(check_related_resources(document))
    for result in (*triage.invalid, *triage.unchecked):
        error = result.error()
        if error is not None:
            yield Check.from_error("related_resource", error)
    for result in triage.not_held:
        outcome = Outcome.INDETERMINATE if policy.require_held_related_resources else Outcome.VALID
        yield Check(
            name="related_resource",
            outcome=outcome,
            code=result.code,
            message=result.message,
            path=result.path,
        )
    for result in triage.checked:
        yield Check.passed("related_resource", result.message, result.path)


def schema(document: Mapping[str, Any], services: Services) -> Iterator[Check]:
    """Every ``credentialSchema`` entry. No entry, no check; a schema that cannot be had is
    INDETERMINATE: the credential may not satisfy it."""
    for result in services.schemas.check(document):
        if result.status == "valid":
            yield Check.passed("schema", result.message, result.path)
        elif result.status == "invalid":
            for issue in result.issues:
                yield Check.invalid(
                    "schema",
                    code="schema_invalid",
                    message=f"{issue.message} (schema {result.schema_id})",
                    path=issue.path,
                )
        else:
            code = (
                "schema_unavailable"
                if result.status == "unavailable"
                else ("schema_type_unsupported")
            )
            yield Check.indeterminate("schema", code=code, message=result.message, path=result.path)


def validity(document: Mapping[str, Any], frame: Frame, policy: Policy) -> Iterator[Check]:
    """The credential's validity period at ``frame.now``, with the policy's clock skew."""
    start_member, end_member = (
        ("validFrom", "validUntil")
        if data_model_version(document) == "2.0"
        else ("issuanceDate", "expirationDate")
    )
    skew = policy.clock_skew
    start, end = document.get(start_member), document.get(end_member)
    if isinstance(start, str) and parse_datetime(start) > frame.now + skew:
        yield Check.invalid(
            "validity_period",
            code="not_yet_valid",
            message=f"the credential is valid only from {start}",
            path=f"/{start_member}",
        )
        return
    if isinstance(end, str) and parse_datetime(end) < frame.now - skew:
        yield Check.invalid(
            "validity_period",
            code="expired",
            message=f"the credential expired at {end}",
            path=f"/{end_member}",
        )
        return
    yield Check.passed("validity_period", "within its validity period")


def issuer_trust(document: Mapping[str, Any], policy: Policy) -> Iterator[Check]:
    """The optional allow-list of issuers."""
    if policy.trusted_issuers is None:
        return
    issuer = issuer_id(document)
    if issuer in policy.trusted_issuers:
        yield Check.passed("issuer_trust", f"{issuer} is a trusted issuer", "/issuer")
    else:
        yield Check.invalid(
            "issuer_trust",
            code="issuer_not_trusted",
            message=f"{issuer} is not among the trusted issuers",
            path="/issuer",
        )


# The JSON values that hold nothing: the walks below skip them before a Mapping check.
_JSON_LEAVES = (str, int, float, bool, type(None))
_CONTAINER_TYPES = frozenset({dict, list})
_LEAF_TYPES = frozenset(_JSON_LEAVES)


def _is_container(value: Any) -> bool:
    """A JSON object or array (any Mapping), asked of every value the walks meet: the exact
    types parsed JSON has are answered by one set lookup, before an ABC check."""
    kind = type(value)
    if kind in _CONTAINER_TYPES:
        return True
    if kind in _LEAF_TYPES:
        return False
    return isinstance(value, (Mapping, list))


# Where a node sits: its parent's link and its member name or index (None: the root).
_Link: TypeAlias = "tuple[_Link, str | int] | None"


def nested_credentials(document: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
    """Each nested credential (a JSON object, or a compact JWS string) with its path: the
    credentials a CLR bundles, and endorsements wherever they sit (on the credential, its
    issuer, the achievement, its creator...)."""
    subject = document.get("credentialSubject")
    if isinstance(subject, Mapping):
        bundled = subject.get("verifiableCredential")
        base = "/credentialSubject/verifiableCredential"
        if isinstance(bundled, list):
            for index, item in enumerate(bundled):
                if isinstance(item, (Mapping, str)):
                    yield f"{base}/{index}", item
        elif isinstance(bundled, (Mapping, str)):
            yield base, bundled
    # Depth first, in document order. A node's path is kept as a chain of (parent, key)
    # links and spelled out only for what is yielded: most nodes hold no endorsement.
    stack: list[tuple[Any, _Link]] = [(document, None)]
    while stack:
        node, link = stack.pop()
        if isinstance(node, list):
            for index in range(len(node) - 1, -1, -1):
                child = node[index]
                if _is_container(child):
                    stack.append((child, (link, index)))
            continue
        if link is not None and "@context" in node and "proof" in node:
            continue  # a secured document of its own: its own run looks inside it
        for key in reversed(list(node)):
            if key in ("proof", "verifiableCredential"):
                continue
            value = node[key]
            if key in ("endorsement", "endorsementJwt"):
                child_path = _pointer((link, key))
                items = value if isinstance(value, list) else [value]
                for index, item in enumerate(items):
                    if isinstance(item, (Mapping, str)):
                        where = f"{child_path}/{index}" if isinstance(value, list) else child_path
                        yield where, item
                continue
            if _is_container(value):
                stack.append((value, (link, key)))


def _pointer(link: _Link) -> str:
    """The JSON pointer a chain of (parent, key) links spells."""
    parts: list[str | int] = []
    while link is not None:
        link, part = link
        parts.append(part)
    path = ""
    for part in reversed(parts):
        path = join_pointer(path, part)
    return path


def summarize_nested(path: str, checks: list[Check]) -> Check:
    """One ``nested_credential`` check at ``path`` for a nested credential's checks: its
    outcome, and the code of its first deciding failure."""
    outcomes = {check.outcome for check in checks}
    worst = next(
        (o for o in (Outcome.INVALID, Outcome.INDETERMINATE) if o in outcomes), Outcome.VALID
    )
    if worst is Outcome.VALID:
        return Check.passed("nested_credential", "the nested credential verifies", path)
    first = next(check for check in checks if check.outcome is worst)
    return Check(
        name="nested_credential",
        outcome=worst,
        code=first.code,
        message=f"{first.name} at {path}{first.path}: {first.message}",
        path=path,
    )
