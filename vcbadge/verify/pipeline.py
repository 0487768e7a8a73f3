"""The verification pipeline: numbered steps, each producing named checks.

1. parse        strict JSON (duplicate keys, size and depth limits)
2. envelope     VC 1.1 or VC 2.0 structure
3. contexts     every ``@context`` is one the loader serves
3b. schema      every ``credentialSchema`` entry (JSON Schema from the injected cache)
4. proof        every proof: allowed suite, key resolved, purpose authorized by the controller,
                controller is the issuer, ``created`` not in the future, signature
5. validity     ``validFrom``/``validUntil`` (or ``issuanceDate``/``expirationDate``)
6. status       ``credentialStatus`` entries (uncheckable means INDETERMINATE, never VALID)
7. issuer trust optional allow-list of issuers
8. nested       endorsements and the credentials a CLR bundles, each through this pipeline

The steps never raise for a bad credential: every expected failure becomes a check. See
docs/verification-policy.md for the codes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Protocol

from vcbadge._json import join_pointer, loads_strict
from vcbadge._time import parse_datetime
from vcbadge.errors import (
    ControllerMismatch,
    InputError,
    LimitExceeded,
    ModelError,
    PolicyViolation,
    ProofPurposeError,
    ResolutionError,
    UnsupportedError,
    ValidityPeriodError,
    VcbadgeError,
)
from vcbadge.jsonld.rdfc import Canonicalizer
from vcbadge.proofs.data_integrity import proofs_of, verify_proof_signature
from vcbadge.proofs.registry import CryptosuiteRegistry
from vcbadge.protocols import DocumentLoader, Resolver
from vcbadge.schema import SchemaValidator
from vcbadge.vcdm import VC_V2, credential_problems, data_model_version
from vcbadge.verify.controller import find_authorized_method
from vcbadge.verify.policy import Policy
from vcbadge.verify.result import Check, Outcome

__all__ = ["PipelineContext", "StatusChecker", "run_pipeline"]


@dataclass(frozen=True)
class PipelineContext:
    """Everything the steps need, injected (the pipeline itself performs no I/O)."""

    policy: Policy
    loader: DocumentLoader
    resolver: Resolver
    registry: CryptosuiteRegistry
    canonicalizer: Canonicalizer
    now: datetime
    proof_purpose: str = "assertionMethod"
    # The member naming who must control the proof's key: the credential's issuer, or a
    # presentation's holder (vcbadge.verify.presentation sets "holder").
    controller_member: str = "issuer"
    # Checks credentialStatus entries (vcbadge.status.check.StatusChecker); None: every entry
    # is INDETERMINATE (status_unchecked). depth counts nested verifications (a status list
    # credential verified for a credential has depth 1), so recursion stays bounded.
    status_checker: StatusChecker | None = None
    depth: int = 0
    # Validates credentialSchema entries with schemas the caller seeded (or explicitly allowed
    # to fetch); None: every entry is INDETERMINATE (schema_unavailable).
    schemas: SchemaValidator | None = None
    # Verifies one nested credential of any form (the Verifier injects
    # vcbadge.verify.jwt_pipeline.run_credential so VC-JWT strings in a CLR or in
    # endorsementJwt are verified too); None: Data Integrity objects only, strings INDETERMINATE.
    credential_runner: CredentialRunner | None = None


CredentialRunner = Callable[[Any, "PipelineContext"], tuple[list[Check], Any]]


class StatusChecker(Protocol):
    """Checks every ``credentialStatus`` entry of a credential: one check per entry, never VALID
    for an entry it could not check."""

    def check(self, document: Mapping[str, Any], ctx: PipelineContext) -> Iterable[Check]: ...


def _valid(name: str, message: str, path: str = "") -> Check:
    return Check(name, Outcome.VALID, "ok", message, path)


def _from_error(name: str, error: VcbadgeError) -> Check:
    outcome = (
        Outcome.INDETERMINATE
        if isinstance(error, (ResolutionError, UnsupportedError))
        else Outcome.INVALID
    )
    return Check(name, outcome, error.code, error.message, error.path)


def parse(received: Any, policy: Policy) -> tuple[Check, dict[str, Any] | None]:
    """Step 1: strict JSON from bytes/str, or a size and depth check of a given mapping."""
    try:
        if isinstance(received, (bytes, bytearray, str)):
            document = loads_strict(
                bytes(received) if isinstance(received, bytearray) else received,
                max_bytes=policy.max_bytes,
                max_depth=policy.max_depth,
            )
        else:
            document = received
            _check_depth(document, policy.max_depth)
    except InputError as error:
        return _from_error("parse", error), None
    if not isinstance(document, Mapping):
        return Check(
            "parse", Outcome.INVALID, "not_an_object", "a credential must be a JSON object"
        ), None
    return _valid("parse", "well-formed JSON object"), dict(document)


def _check_depth(value: Any, max_depth: int) -> None:
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, Mapping):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > max_depth:
            raise LimitExceeded(f"nesting deeper than {max_depth} levels")
        stack.extend((child, depth + 1) for child in children)


def envelope(document: Mapping[str, Any]) -> Iterator[Check]:
    """Step 2: the VC data model envelope (VC 2.0, or VC 1.1 for older badges); the rules are
    ``vcbadge.verify.envelope``, one check per problem."""
    problems = credential_problems(document)
    for problem in problems:
        yield Check("envelope", Outcome.INVALID, problem.code, problem.message, problem.path)
    if not problems:
        version = data_model_version(document)
        yield _valid("envelope", f"Verifiable Credential, data model {version}")


def contexts(document: Mapping[str, Any], ctx: PipelineContext) -> Iterator[Check]:
    """Step 3: every context is served by the loader (bundled or explicitly added)."""
    entries = document.get("@context")
    entry_list = entries if isinstance(entries, list) else [entries]
    ok = True
    for index, entry in enumerate(entry_list):
        path = f"/@context/{index}"
        if isinstance(entry, str):
            try:
                ctx.loader(entry)
            except VcbadgeError as error:
                ok = False
                yield Check("contexts", Outcome.INVALID, error.code, error.message, path)
        elif isinstance(entry, Mapping) and ctx.policy.allow_inline_contexts:
            continue
        else:
            ok = False
            yield Check(
                "contexts",
                Outcome.INVALID,
                "context_not_allowed",
                "inline @context objects are not allowed by the policy",
                path,
            )
    if ok:
        yield _valid("contexts", "every @context is an allowed document")


def proofs(document: Mapping[str, Any], ctx: PipelineContext) -> Iterator[Check]:
    """Step 4: every proof present must verify."""
    found = proofs_of(document)
    if not found:
        yield Check(
            "proof", Outcome.INVALID, "proof_missing", "the credential has no proof", "/proof"
        )
        return
    for path, proof in found:
        try:
            yield _verify_one(document, proof, path, ctx)
        except VcbadgeError as error:
            yield _from_error("proof", error)
        except Exception as error:
            # Not an expected failure: vcbadge could not decide, so never VALID, and say why.
            yield Check(
                "proof",
                Outcome.INDETERMINATE,
                "internal_error",
                f"{type(error).__name__}: {error}",
                path,
            )


def _verify_one(document: Mapping[str, Any], proof: Any, path: str, ctx: PipelineContext) -> Check:
    if not isinstance(proof, Mapping):
        raise ModelError("a proof must be a JSON object", code="proof_malformed", path=path)
    # Looked up by (type, cryptosuite): legacy types such as Ed25519Signature2020 have no
    # cryptosuite member.
    suite = ctx.registry.for_proof(proof, path=path)
    if suite.name not in ctx.policy.allowed_cryptosuites:
        raise PolicyViolation(
            f"cryptosuite {suite.name} is not allowed by the policy",
            code="cryptosuite_not_allowed",
            path=f"{path}/cryptosuite" if suite.cryptosuite else f"{path}/type",
        )
    purpose = proof.get("proofPurpose")
    if purpose != ctx.proof_purpose:
        raise ProofPurposeError(
            f"proofPurpose is {purpose!r}; a credential proof must be {ctx.proof_purpose!r}",
            path=f"{path}/proofPurpose",
        )
    _check_proof_dates(proof, path, ctx)
    method_id = proof.get("verificationMethod")
    if not isinstance(method_id, str):
        raise ModelError(
            "proof has no verificationMethod",
            code="proof_malformed",
            path=f"{path}/verificationMethod",
        )
    authorized = find_authorized_method(
        method_id, ctx.proof_purpose, ctx.resolver, path=f"{path}/verificationMethod"
    )
    issuer = document.get(ctx.controller_member)
    issuer_id = issuer.get("id") if isinstance(issuer, Mapping) else issuer
    if authorized.controller != issuer_id and not ctx.policy.unsafe_skip_issuer_controller_check:
        raise ControllerMismatch(
            f"the key is controlled by {authorized.controller}, "
            f"not by the {ctx.controller_member} {issuer_id}",
            path=f"{path}/verificationMethod",
        )
    public_key = suite.public_key_from_method(authorized.method, path=f"{path}/verificationMethod")
    verify_proof_signature(
        document,
        proof,
        suite=suite,
        public_key=public_key,
        canonicalizer=ctx.canonicalizer,
        path=path,
    )
    legacy = " (a legacy draft name; reissue with a current suite)" if suite.legacy else ""
    return _valid("proof", f"{suite.name} signature by {method_id} verifies{legacy}", path)


def _check_proof_dates(proof: Mapping[str, Any], path: str, ctx: PipelineContext) -> None:
    for member in ("created", "expires"):
        value = proof.get(member)
        if value is None:
            continue
        try:
            moment = parse_datetime(value) if isinstance(value, str) else None
        except ValueError as exc:
            raise ModelError(str(exc), code="proof_malformed", path=f"{path}/{member}") from exc
        if moment is None:
            raise ModelError(
                f"proof {member!r} must be a string",
                code="proof_malformed",
                path=f"{path}/{member}",
            )
        if member == "created" and moment > ctx.now + ctx.policy.clock_skew:
            raise ValidityPeriodError(
                f"the proof was created in the future ({value})",
                code="proof_created_in_future",
                path=f"{path}/created",
            )
        if member == "expires" and moment < ctx.now - ctx.policy.clock_skew:
            raise ValidityPeriodError(
                f"the proof expired at {value}", code="proof_expired", path=f"{path}/expires"
            )


def validity(document: Mapping[str, Any], ctx: PipelineContext) -> Iterator[Check]:
    """Step 5: the credential's validity period, with the policy's clock skew."""
    version_2 = _first_context(document) == VC_V2
    start_member, end_member = (
        ("validFrom", "validUntil") if version_2 else ("issuanceDate", "expirationDate")
    )
    skew = ctx.policy.clock_skew
    start, end = document.get(start_member), document.get(end_member)
    if isinstance(start, str) and parse_datetime(start) > ctx.now + skew:
        yield Check(
            "validity_period",
            Outcome.INVALID,
            "not_yet_valid",
            f"the credential is valid only from {start}",
            f"/{start_member}",
        )
        return
    if isinstance(end, str) and parse_datetime(end) < ctx.now - skew:
        yield Check(
            "validity_period",
            Outcome.INVALID,
            "expired",
            f"the credential expired at {end}",
            f"/{end_member}",
        )
        return
    yield _valid("validity_period", "within its validity period")


def status(document: Mapping[str, Any], ctx: PipelineContext) -> Iterator[Check]:
    """Step 6: credential status, every entry, by the injected ``StatusChecker``
    (``vcbadge.status``). Without one, every entry is INDETERMINATE, never VALID."""
    entries = document.get("credentialStatus")
    if entries is None:
        return
    if ctx.status_checker is not None:
        yield from ctx.status_checker.check(document, ctx)
        return
    entry_list = entries if isinstance(entries, list) else [entries]
    for index, _entry in enumerate(entry_list):
        path = "/credentialStatus" + (f"/{index}" if isinstance(entries, list) else "")
        yield Check(
            "status",
            Outcome.INDETERMINATE,
            "status_unchecked",
            "this verifier has no status fetcher, so the status cannot be checked; "
            "the credential may be revoked",
            path,
        )


def issuer_trust(document: Mapping[str, Any], policy: Policy) -> Iterator[Check]:
    """Step 7: the optional allow-list of issuers."""
    if policy.trusted_issuers is None:
        return
    issuer = document.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, Mapping) else issuer
    if issuer_id in policy.trusted_issuers:
        yield _valid("issuer_trust", f"{issuer_id} is a trusted issuer", "/issuer")
    else:
        yield Check(
            "issuer_trust",
            Outcome.INVALID,
            "issuer_not_trusted",
            f"{issuer_id} is not among the trusted issuers",
            "/issuer",
        )


def schema(document: Mapping[str, Any], ctx: PipelineContext) -> Iterator[Check]:
    """Step 3b: every ``credentialSchema`` entry, with schemas from the injected cache only.

    No entry, no check. A schema that is not cached (and may not be fetched) is INDETERMINATE:
    the credential may not satisfy it.
    """
    validator = ctx.schemas if ctx.schemas is not None else SchemaValidator()
    for result in validator.check(document):
        if result.status == "valid":
            yield _valid("schema", result.message, result.path)
        elif result.status == "invalid":
            for issue in result.issues:
                yield Check(
                    "schema",
                    Outcome.INVALID,
                    "schema_invalid",
                    f"{issue.message} (schema {result.schema_id})",
                    issue.path,
                )
        elif result.status == "unavailable":
            yield Check(
                "schema", Outcome.INDETERMINATE, "schema_unavailable", result.message, result.path
            )
        else:
            yield Check(
                "schema",
                Outcome.INDETERMINATE,
                "schema_type_unsupported",
                result.message,
                result.path,
            )


_MAX_NESTING = 4


def nested(document: Mapping[str, Any], ctx: PipelineContext) -> Iterator[Check]:
    """Step 8: endorsements and the credentials a CLR bundles are credentials of their own:
    each runs through this pipeline, and gives one ``nested_credential`` check at its path
    carrying the nested outcome and the code of its first failure."""
    name = "nested_credential"
    for path, item in _nested_credentials(document):
        if ctx.depth >= _MAX_NESTING:
            yield Check(
                name,
                Outcome.INDETERMINATE,
                "nesting_too_deep",
                f"credentials nested more than {_MAX_NESTING} levels deep are not verified",
                path,
            )
            continue
        inner = replace(
            ctx,
            depth=ctx.depth + 1,
            controller_member="issuer",
            proof_purpose="assertionMethod",
        )
        if ctx.credential_runner is not None:
            checks, _ = ctx.credential_runner(item, inner)
        elif isinstance(item, Mapping):
            checks, _ = run_pipeline(item, inner)
        else:
            yield Check(
                name,
                Outcome.INDETERMINATE,
                "nested_format_unsupported",
                "this verifier cannot check nested credentials in compact JWS form",
                path,
            )
            continue
        outcomes = {check.outcome for check in checks}
        worst = next(
            (o for o in (Outcome.INVALID, Outcome.INDETERMINATE) if o in outcomes), Outcome.VALID
        )
        if worst is Outcome.VALID:
            yield _valid(name, "the nested credential verifies", path)
            continue
        first = next(check for check in checks if check.outcome is worst)
        yield Check(
            name,
            worst,
            first.code,
            f"{first.name} at {path}{first.path}: {first.message}",
            path,
        )


def _nested_credentials(document: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
    """Each nested credential (a JSON object, or a compact JWS string) with its path."""
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
    # Endorsements may sit on the credential, its issuer, the achievement, its creator...
    stack: list[tuple[str, Any]] = [("", document)]
    while stack:
        path, node = stack.pop()
        if isinstance(node, list):
            stack.extend((f"{path}/{i}", child) for i, child in reversed(list(enumerate(node))))
            continue
        if not isinstance(node, Mapping):
            continue
        if path and "@context" in node and "proof" in node:
            continue  # a secured document of its own: its own run looks inside it
        for key in reversed(list(node)):
            if key in ("proof", "verifiableCredential"):
                continue
            child_path = join_pointer(path, key)
            value = node[key]
            if key in ("endorsement", "endorsementJwt"):
                items = value if isinstance(value, list) else [value]
                for index, item in enumerate(items):
                    if isinstance(item, (Mapping, str)):
                        where = f"{child_path}/{index}" if isinstance(value, list) else child_path
                        yield where, item
                continue
            stack.append((child_path, value))


def run_pipeline(received: Any, ctx: PipelineContext) -> tuple[list[Check], Any]:
    """Run every step in order; later steps run only on a parsed, well-formed envelope."""
    parsed_check, document = parse(received, ctx.policy)
    checks = [parsed_check]
    if document is None:
        return checks, None
    checks.extend(envelope(document))
    if any(c.outcome is Outcome.INVALID for c in checks):
        return checks, document
    checks.extend(contexts(document, ctx))
    checks.extend(schema(document, ctx))
    checks.extend(proofs(document, ctx))
    checks.extend(validity(document, ctx))
    checks.extend(status(document, ctx))
    checks.extend(issuer_trust(document, ctx.policy))
    checks.extend(nested(document, ctx))
    return checks, document


def _first_context(document: Mapping[str, Any]) -> Any:
    entries = document.get("@context")
    return entries[0] if isinstance(entries, list) and entries else entries
