"""The one path from what was received to the checks: dispatch on the securing mechanism, the
shared credential checks, and the only place verification recurses.

::

    received ──► verify_received: a PNG/SVG badge image is unbaked (``image`` check)
             ──► verify_credential
                   ├─ compact JWS (VC-JWT, VC-JOSE-COSE) ─► jose.verify_jose ─┐
                   ├─ EnvelopedVerifiableCredential ──────► jose.verify_jose ─┤  (document,
                   ├─ JSON object (Data Integrity) ──────► steps.parse ──────┘   format checks)
                   └─ Open Badges 2.0 assertion (JSON, its JWS, or a hosted URL baked into an
                      image) ─► ob2.verify_ob2: checks of its own, not credential_checks
                                                                               │
                   credential_checks ◄─────────────────────────────────────────┘
                     envelope → contexts → related resources → schema → proofs
                     → validity
                     → status (fetch, then verify_credential on the list: recursion)
                     → issuer trust
                     → nested credentials (verify_credential on each: recursion)

    received ──► verify_presentation: parse → envelope → contexts → holder proofs
                   → challenge/domain → verify_credential on each credential

A new securing mechanism is a new adapter returning the document and its own checks, called
from :func:`verify_credential`; a new check on every credential is a new step in
:func:`credential_checks`. Nothing here raises for a bad credential.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping
from typing import Any

from vcbadge._json import exceeds_max_bytes
from vcbadge.bake import BakeLimits, image_kind
from vcbadge.bake.received import UNCHECKABLE_IMAGE_CODES, Received
from vcbadge.errors import VcbadgeError
from vcbadge.proofs.jose import is_enveloped_credential, token_of_enveloped
from vcbadge.proofs.jws import looks_like_compact_jws
from vcbadge.status.entries import parse_entries, parse_entry
from vcbadge.vcdm import data_model_version, presentation_problems
from vcbadge.verify.frame import Frame, Services
from vcbadge.verify.jose import verify_jose
from vcbadge.verify.ob2 import is_ob2_assertion, is_ob2_token, verify_ob2
from vcbadge.verify.presentation import binding, expected_domains, presented_credentials
from vcbadge.verify.proofs import proofs
from vcbadge.verify.recipient import recipient_check
from vcbadge.verify.result import Check, Outcome, VerificationResult
from vcbadge.verify.status import (
    STATUS_CHECK,
    entry_status,
    list_mismatch,
    list_verdict,
    needs_verification,
)
from vcbadge.verify.steps import (
    contexts,
    envelope,
    issuer_trust,
    nested_credentials,
    ob_conformance,
    parse,
    related_resources,
    schema,
    summarize_nested,
    validity,
)

__all__ = [
    "credential_checks",
    "too_large",
    "verify_credential",
    "verify_presentation",
    "verify_received",
]

#: The check that says where a credential baked into an image was found, or why none was.
IMAGE_CHECK = "image"

# How much of the input's start is read to tell a PNG or SVG badge (the SVG sniff's window).
_IMAGE_SNIFF = 64 * 1024


def too_large(
    received: object, max_bytes: int, *, images: BakeLimits | None = None
) -> Check | None:
    """The refusal of text or bytes larger than ``max_bytes``, decided before anything copies,
    decodes, strips or sniffs the whole input (see :func:`vcbadge._json.exceeds_max_bytes`);
    ``None`` when it fits or is not text or bytes (a mapping is judged by the depth check).

    With ``images``: a PNG or SVG badge (told by its first 64 KiB) may be as large as
    ``images.max_image_bytes`` (an ``image`` check ``too_large`` when it is not); anything else
    over ``max_bytes`` fails ``parse`` with ``limit_exceeded``.
    """
    if not isinstance(received, (str, bytes, bytearray, memoryview)):
        return None
    if not exceeds_max_bytes(received, max_bytes):
        return None
    if images is not None and _head_is_image(received):
        if not exceeds_max_bytes(received, images.max_image_bytes):
            return None
        return Check.invalid(
            IMAGE_CHECK,
            code="too_large",
            message=f"the badge image is larger than the limit of {images.max_image_bytes} bytes",
        )
    return Check.invalid(
        "parse",
        code="limit_exceeded",
        message=f"input is larger than the limit of {max_bytes} bytes",
    )


def _head_is_image(received: str | bytes | bytearray | memoryview) -> bool:
    if isinstance(received, str):
        head = received[:_IMAGE_SNIFF].encode("utf-8", "surrogatepass")
    else:
        try:
            head = bytes(memoryview(received).cast("B")[:_IMAGE_SNIFF])
        except (TypeError, ValueError):  # a non-contiguous memoryview: not an image file
            return False
    return image_kind(head) is not None


def verify_received(
    received: Received, services: Services, frame: Frame, *, recipient: str | None = None
) -> tuple[list[Check], Any]:
    """Every check of what a caller passed (classified by :func:`vcbadge.bake.unwrap_received`):
    a badge image gets an ``image`` check first (where the credential was found, or why there
    is none to verify), then its credential's checks. An Open Badges 2.0 assertion baked into
    an image (its JSON, JWS or hosted URL) goes to :func:`vcbadge.verify.ob2.verify_ob2`.

    ``recipient``: the identity (email, URL, telephone) the badge must be awarded to; checked
    for OB 2.0 assertions (``ob2_recipient``) and for other credentials by the ``recipient``
    check (:mod:`vcbadge.verify.recipient`), never silently ignored."""
    if received.problem is not None:
        error = received.problem
        uncheckable = error.code in UNCHECKABLE_IMAGE_CODES
        return [
            Check(
                name=IMAGE_CHECK if received.image_bytes is not None else "parse",
                outcome=Outcome.INDETERMINATE if uncheckable else Outcome.INVALID,
                code=error.code,
                message=error.message,
                path=error.path,
            )
        ], None
    baked = received.baked
    if baked is not None and baked.version == "2.0":
        checks, document = verify_ob2(
            received.credential, services, frame, form=baked.format, recipient=recipient
        )
    else:
        checks, document = verify_credential(
            received.credential, services, frame, recipient=recipient
        )
        if recipient is not None and not (
            isinstance(document, Mapping) and is_ob2_assertion(document)
        ):
            checks.append(recipient_check(document, recipient))
    description = received.description
    if description is None:
        return checks, document
    return [Check.passed(IMAGE_CHECK, description), *checks], document


def verify_credential(
    received: Any, services: Services, frame: Frame, *, recipient: str | None = None
) -> tuple[list[Check], Any]:
    """Every check of a credential in any form: a compact JWS (by its shape), an
    ``EnvelopedVerifiableCredential`` (its ``data:`` URL holds the JWS; paths under ``/id``),
    or a Data Integrity credential; or of an Open Badges 2.0 assertion (its JSON, or a compact
    JWS whose payload is one: ``recipient`` is checked for those). Returns the checks and the
    credential document."""
    refused = too_large(received, services.policy.max_bytes)
    if refused is not None:
        return [refused], None
    if looks_like_compact_jws(received):
        if is_ob2_token(received):
            return verify_ob2(received, services, frame, form="jwt", recipient=recipient)
        return _jose(received, services, frame)
    parsed, document = parse(received, services.policy)
    if document is None:
        return [parsed], None
    if is_ob2_assertion(document):
        return verify_ob2(document, services, frame, form="json", recipient=recipient)
    if not is_enveloped_credential(document):
        checks = [parsed, *credential_checks(document, services, frame, proof_required=True)]
        return checks, document
    try:
        token = token_of_enveloped(document)
    except VcbadgeError as error:
        return [parsed, Check.from_error("parse", error)], document
    checks, credential = _jose(token, services, frame)
    return [parsed, *(check.under("/id") for check in checks)], credential


def _jose(token: str | bytes, services: Services, frame: Frame) -> tuple[list[Check], Any]:
    secured = verify_jose(token, services)
    checks = list(secured.checks)
    if secured.credential is None:
        return checks, None
    inner = credential_checks(
        secured.credential,
        services,
        frame,
        # Every proof present must verify, even inside a JWT; none is needed.
        proof_required=False,
        format_rules=secured.envelope_checks,
    )
    checks.extend(check.under(secured.credential_path) for check in inner)
    return checks, secured.credential


def credential_checks(
    document: Mapping[str, Any],
    services: Services,
    frame: Frame,
    *,
    proof_required: bool,
    format_rules: Iterable[Check] = (),
) -> Iterator[Check]:
    """The checks every credential gets, whatever secured it, in this order. Later steps run
    only on a well-formed envelope. ``format_rules``: envelope checks the securing format adds
    (a VC-JOSE-COSE payload must be VC 2.0)."""
    envelope_checks = [*envelope(document), *format_rules]
    yield from envelope_checks
    if any(check.outcome is Outcome.INVALID for check in envelope_checks):
        return
    yield from contexts(document, services)
    yield from related_resources(document, services.policy)
    yield from _schema(document, services)
    yield from ob_conformance(document)
    yield from proofs(document, services, frame, required=proof_required)
    yield from validity(document, frame, services.policy)
    yield from _status(document, services, frame)
    yield from issuer_trust(document, services.policy)
    yield from _nested(document, services, frame)


def _too_many(
    document: Mapping[str, Any], member: str, limit: int, *, name: str, code: str
) -> Check | None:
    """The refusal of a top-level one-or-many ``member`` with more than ``limit`` entries, so
    that a document cannot make the verifier fetch, validate or verify without bound; ``None``
    when within the limit. Counted before any entry is looked at."""
    value = document.get(member)
    count = len(value) if isinstance(value, list) else 0
    if count <= limit:
        return None
    return Check.invalid(
        name,
        code=code,
        message=f"{member} has {count} entries, more than the limit of {limit}; none of "
        "them is checked",
        path=f"/{member}",
    )


def _schema(document: Mapping[str, Any], services: Services) -> Iterator[Check]:
    """The schema step, unless there are more ``credentialSchema`` entries than the policy
    allows (each may be fetched and validated)."""
    refused = _too_many(
        document,
        "credentialSchema",
        services.policy.max_schemas,
        name="schema",
        code="too_many_schemas",
    )
    if refused is not None:
        yield refused
        return
    yield from schema(document, services)


def _status(document: Mapping[str, Any], services: Services, frame: Frame) -> Iterator[Check]:
    """Every ``credentialStatus`` entry: fetched, matched, verified one level deeper, read
    (none when there are more entries than the policy allows: each may be fetched)."""
    refused = _too_many(
        document,
        "credentialStatus",
        services.policy.max_status_entries,
        name=STATUS_CHECK,
        code="too_many_status_entries",
    )
    if refused is not None:
        yield refused
        return
    for path, raw in parse_entries(document):
        try:
            yield _one_status(document, raw, path, services, frame)
        except VcbadgeError as error:
            yield Check.from_error(STATUS_CHECK, error, path=path)
        except Exception as error:
            # Not an expected failure: vcbadge could not decide, so never VALID.
            yield Check.indeterminate(
                STATUS_CHECK,
                code="internal_error",
                message=f"{type(error).__name__}: {error}",
                path=path,
            )


def _one_status(
    document: Mapping[str, Any], raw: Any, path: str, services: Services, frame: Frame
) -> Check:
    policy = services.policy
    if services.status_lists is None:
        return Check.indeterminate(
            STATUS_CHECK,
            code="status_unchecked",
            message="this verifier has no status fetcher, so the status cannot be checked; "
            "the credential may be revoked",
            path=path,
        )
    entry = parse_entry(raw, path=path)
    if frame.status_depth >= policy.max_status_depth:
        return Check.indeterminate(
            STATUS_CHECK,
            code="status_depth_exceeded",
            message=f"status lists nest deeper than {policy.max_status_depth} levels; "
            "the status cannot be checked",
            path=path,
        )
    listing = services.status_lists.fetch(entry.list_url)
    refused = list_mismatch(document, entry, listing, policy)
    if refused is not None:
        return refused
    if needs_verification(entry, listing):
        # A status list says what the status is now, so it is judged at the clock's now even
        # when the credential is verified as of another moment.
        list_frame = frame.status_list(services.clock.now())
        list_checks, _ = verify_credential(listing, services, list_frame)
        verdict = list_verdict(VerificationResult.of(list_checks), entry.list_url, path)
        if verdict is not None:
            return verdict
    return entry_status(document, entry, listing, policy)


def _nested(document: Mapping[str, Any], services: Services, frame: Frame) -> Iterator[Check]:
    """Endorsements and the credentials a CLR bundles: each is verified as a credential of its
    own and gives one ``nested_credential`` check carrying its outcome."""
    limit = services.policy.max_nesting
    found = list(nested_credentials(document))
    if len(found) > services.policy.max_credentials:
        yield Check.invalid(
            "nested_credential",
            code="too_many_credentials",
            message=f"the credential nests {len(found)} credentials, more than the limit of "
            f"{services.policy.max_credentials}; none of them is verified",
        )
        return
    for path, item in found:
        if frame.nesting >= limit:
            yield Check.indeterminate(
                "nested_credential",
                code="nesting_too_deep",
                message=f"credentials nested more than {limit} levels deep are not verified",
                path=path,
            )
            continue
        checks, _ = verify_credential(item, services, frame.nested())
        yield summarize_nested(path, checks)


def verify_presentation(
    received: Any,
    services: Services,
    frame: Frame,
    *,
    challenge: str,
    domain: str | Collection[str] | None = None,
) -> tuple[list[Check], Any]:
    """Every check of a Verifiable Presentation and of each credential it carries (paths under
    ``/verifiableCredential/N``). Raises ``ValueError`` only for a verifier's own mistake (an
    empty challenge, an empty domain or set of domains)."""
    if not isinstance(challenge, str) or not challenge:
        raise ValueError("the verifier must give the challenge it sent (a non-empty string)")
    expected_domains(domain)  # the verifier's own mistake is raised before any work
    refused = too_large(received, services.policy.max_bytes)
    if refused is not None:
        return [refused], None
    parsed, document = parse(received, services.policy)
    checks = [parsed]
    if document is None:
        return checks, None
    for problem in presentation_problems(document):
        checks.append(
            Check.invalid("envelope", code=problem.code, message=problem.message, path=problem.path)
        )
    if len(checks) > 1:
        return checks, document
    checks.append(Check.passed("envelope", _presentation_kind(document)))
    checks.extend(contexts(document, services))
    checks.extend(proofs(document, services, frame.presentation(), required=True))
    if not any(check.code == "too_many_proofs" for check in checks):
        checks.extend(binding(document, challenge=challenge, domain=domain))
    presented = presented_credentials(document)
    if len(presented) > services.policy.max_credentials:
        checks.append(
            Check.invalid(
                "envelope",
                code="too_many_credentials",
                message=f"the presentation carries {len(presented)} credentials, more than the "
                f"limit of {services.policy.max_credentials}; none of them is verified",
                path="/verifiableCredential",
            )
        )
        return checks, document
    for path, entry in presented:
        if isinstance(entry, Mapping) or looks_like_compact_jws(entry):
            inner, _ = verify_credential(entry, services, frame)
        else:
            inner = [
                Check.invalid(
                    "parse",
                    code="not_an_object",
                    message="a presented credential must be an object or a compact JWS",
                )
            ]
        checks.extend(check.under(path) for check in inner)
    return checks, document


def _presentation_kind(document: Mapping[str, Any]) -> str:
    return f"Verifiable Presentation, data model {data_model_version(document)}"
