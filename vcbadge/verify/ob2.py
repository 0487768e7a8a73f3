"""Open Badges 2.0 assertions: hosted and signed, as JSON, a compact JWS or a baked image.

Most badges learners hold are OB 2.0. They are checked through the same pipeline and result
type as OB 3.0 credentials, with checks of their own (names start with ``ob2_``), following the
OB 2.0 specification's verification rules (1EdTech's validator, ``badgecheck``, was the
development oracle; docs/verification-policy.md says where the two differ)::

    received ──► ob2_assertion   the assertion (hosted: fetched by its id; signed: the JWS
                                 payload), its members and their types
             ──► ob2_hosted      hosted: the fetched copy is the one received, and its id lies
                                 on the issuer's origin / allowedOrigins / startsWith
             ──► ob2_signature   signed: RS256 by a key the issuer lists under publicKey
                                 (verification.creator), owned by the issuer
             ──► ob2_badge_class the badge class (embedded or fetched): image and criteria
             ──► ob2_issuer      the issuer profile, always fetched by its id
             ──► ob2_revocation  revoked flag; a signed assertion: the issuer's revocationList
             ──► ob2_validity    issuedOn not in the future, expires not passed
             ──► ob2_recipient   only when the caller names the recipient

Every document is obtained through the verifier's resolver: offline, from the documents the
caller gave (``Verifier.offline(documents=...)``, ``--doc URL=FILE``); online, through the
guarded transport. A document that cannot be obtained makes the result INDETERMINATE.
The issuer profile is always the one published at its id, never a copy embedded in the
assertion: it says which keys and which origins speak for the issuer.
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any, Literal
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from vcbadge._b64url import b64url_encode
from vcbadge.errors import InputError, KeyFormatError, ModelError, VcbadgeError
from vcbadge.keys.rsa import RsaKey
from vcbadge.model.base import as_list
from vcbadge.model.identity import IDENTITY_HASHES, identity_matches
from vcbadge.model.ob2 import (
    Ob2Assertion,
    Ob2BadgeClass,
    Ob2CryptographicKey,
    Ob2DateTime,
    Ob2IdentityObject,
    Ob2Profile,
    Ob2RevocationList,
    is_ob2_context,
)
from vcbadge.proofs.jws import (
    CompactJws,
    check_header,
    looks_like_compact_jws,
    parse_compact,
    verify_jws_signature,
)
from vcbadge.verify.frame import Frame, Services
from vcbadge.verify.result import Check
from vcbadge.verify.steps import parse

__all__ = [
    "MAX_KEYS_TRIED",
    "OB2_ALGORITHMS",
    "Ob2Form",
    "is_ob2_assertion",
    "is_ob2_token",
    "recipient_matches",
    "verify_ob2",
]

Ob2Form = Literal["json", "jwt", "url"]
"""How an assertion was received: its JSON, a signed compact JWS, or the URL of a hosted one."""

MAX_KEYS_TRIED = 8
"""How many of the issuer's keys are tried (each may be fetched) for a signed assertion that
names no ``verification.creator``."""

OB2_ALGORITHMS = frozenset({"RS256"})
"""The JWS algorithms of OB 2.0 signed assertions (the spec names RS256 only)."""

_HOSTED = frozenset({"HostedBadge", "hosted", "https://w3id.org/openbadges#HostedBadge"})
_SIGNED = frozenset({"SignedBadge", "signed", "https://w3id.org/openbadges#SignedBadge"})
_VC_TYPE = "VerifiableCredential"


def is_ob2_assertion(document: Mapping[str, Any]) -> bool:
    """Whether a JSON object is an Open Badges 2.0 assertion: it names the OB 2.0 context, or
    is typed ``Assertion`` and is not a Verifiable Credential."""
    if is_ob2_context(document.get("@context")):
        return True
    types = as_list(document.get("type"))
    return "Assertion" in types and _VC_TYPE not in types


def is_ob2_token(received: object) -> bool:
    """Whether ``received`` is a compact JWS whose payload is an OB 2.0 assertion (a signed
    badge) rather than a VC-JWT. Only the shape and the payload are read; nothing is
    verified."""
    if not looks_like_compact_jws(received):
        return False
    try:
        token = parse_compact(received)  # type: ignore[arg-type]
    except VcbadgeError:
        return False
    return is_ob2_assertion(token.payload)


def recipient_matches(assertion: Mapping[str, Any], identity: str) -> bool:
    """Whether ``identity`` (an email address, URL or telephone number) is the recipient of an
    OB 2.0 ``assertion`` (its JSON): compared with the plain ``identity``, or hashed with the
    ``salt`` as ``sha256$``/``md5$`` + hex digest. An email is also tried lower-cased.
    Anything malformed is no match."""
    try:
        recipient = Ob2IdentityObject.from_json(assertion.get("recipient"))  # type: ignore[arg-type]
    except (ModelError, TypeError):
        return False
    return _identity_matches(recipient, identity)


def _identity_matches(recipient: Ob2IdentityObject, identity: str) -> bool:
    if recipient.hashed:
        return identity_matches(identity, recipient.identity, recipient.salt)
    candidates = {identity, identity.lower()} if recipient.type == "email" else {identity}
    held = recipient.identity.encode("utf-8")
    return any(hmac.compare_digest(held, value.encode("utf-8")) for value in candidates)


# -- the pipeline -----------------------------------------------------------------------------


def verify_ob2(
    received: Any,
    services: Services,
    frame: Frame,
    *,
    form: Ob2Form,
    recipient: str | None = None,
) -> tuple[list[Check], Any]:
    """Every check of an OB 2.0 assertion received as ``form`` (see the module docstring).
    Returns the checks and the assertion's JSON (None when there is none)."""
    checks: list[Check] = []
    run = _Run(services, frame, checks)
    assertion = run.assertion(received, form)
    if assertion is None:
        return checks, None
    document, model, token = assertion
    badge = run.badge_class(model)
    issuer = run.issuer(badge) if badge is not None else None
    if issuer is not None:
        if token is None:
            run.hosted_origin(model, issuer)
        else:
            run.signature(model, token, issuer)
    run.revocation(model, issuer, signed=token is not None)
    run.validity(model)
    if recipient is not None:
        checks.append(_recipient_check(model, recipient))
    return checks, document


class _Run:
    """One verification: the services, the moment judged, and the checks found so far."""

    def __init__(self, services: Services, frame: Frame, checks: list[Check]) -> None:
        self.services = services
        self.frame = frame
        self.checks = checks

    def invalid(self, name: str, *, code: str, message: str, path: str) -> None:
        """Record check ``name`` as INVALID."""
        self.checks.append(Check.invalid(name, code=code, message=message, path=path))

    def fetch(self, name: str, url: str, path: str) -> dict[str, Any] | None:
        """The document at ``url`` through the resolver (its ``id`` must be ``url``), or None
        after adding the check that says why not."""
        found = self.obtain(name, url, path)
        if isinstance(found, Check):
            self.checks.append(found)
            return None
        return found

    def obtain(self, name: str, url: str, path: str) -> dict[str, Any] | Check:
        """The document at ``url``, or the check that says why it could not be obtained."""
        try:
            return self.services.resolver.resolve(url)
        except VcbadgeError as error:
            return Check.from_error(name, error, path=path)
        except Exception as error:  # never VALID on a surprise
            return Check.indeterminate(
                name, code="internal_error", message=f"{type(error).__name__}: {error}", path=path
            )

    def model(self, name: str, cls: type[Any], data: Any, path: str) -> Any:
        """``data`` as ``cls``, or None after a check for each problem: a ``type`` that is not
        the class expected there (``ob2_wrong_type``), members missing or of the wrong JSON
        type (``ob2_malformed``)."""
        wrong = _wrong_type(data, cls, path, name)
        if wrong is not None:
            self.checks.append(wrong)
            return None
        try:
            return cls.from_json(data)
        except ModelError as error:
            for issue in error.issues or (error,):
                self.invalid(
                    name, code="ob2_malformed", message=issue.message, path=path + issue.path
                )
        return None

    # -- the assertion ------------------------------------------------------------------

    def assertion(
        self, received: Any, form: Ob2Form
    ) -> tuple[dict[str, Any], Ob2Assertion, CompactJws | None] | None:
        name = "ob2_assertion"
        token: CompactJws | None = None
        if form == "url":
            url = received.strip() if isinstance(received, str) else ""
            document = self.fetch(name, url, "")
            if document is None:
                return None
        elif form == "jwt":
            try:
                token = parse_compact(received, max_bytes=self.services.policy.max_bytes)
            except VcbadgeError as error:
                self.checks.append(Check.from_error("ob2_signature", error))
                return None
            document = token.payload
        else:
            parsed, parsed_document = parse(received, self.services.policy)
            self.checks.append(parsed)
            if parsed_document is None:
                return None
            document = parsed_document
        if not is_ob2_context(document.get("@context")):
            self.checks.append(
                Check.indeterminate(
                    name,
                    code="ob2_version_unsupported",
                    message="an Open Badges assertion that does not name the 2.0 context "
                    "(https://w3id.org/openbadges/v2); vcbadge verifies Open Badges 2.0 and 3.0",
                    path="/@context",
                )
            )
            return None
        embedded = document.get("badge")
        if isinstance(embedded, Mapping) and not self.badge_parts(embedded):
            return None
        model = self.model(name, Ob2Assertion, document, "")
        if model is None:
            return None
        kind = _verification_kind(model)
        if kind is None:
            self.invalid(
                name,
                code="ob2_verification_type",
                message="verification.type must be HostedBadge or SignedBadge",
                path="/verification/type",
            )
            return None
        if token is None and kind == "signed":
            self.invalid(
                name,
                code="ob2_signature_missing",
                message="a SignedBadge assertion is verified from its compact JWS; this "
                "is its payload alone, which nothing vouches for",
                path="/verification/type",
            )
            return None
        if token is not None and kind == "hosted":
            self.invalid(
                name,
                code="ob2_verification_type",
                message="a JWS-signed assertion must say verification.type SignedBadge",
                path="/verification/type",
            )
            return None
        if kind == "hosted" and form != "url":
            hosted = self.hosted_copy(document, model)
            if hosted is None:
                return None
            document, model = hosted
        how = "signed (compact JWS)" if token is not None else "hosted at its id"
        self.checks.append(Check.passed(name, f"Open Badges 2.0 assertion, {how}"))
        return document, model, token

    def hosted_copy(
        self, given: dict[str, Any], model: Ob2Assertion
    ) -> tuple[dict[str, Any], Ob2Assertion] | None:
        """A hosted assertion is what its issuer serves at its id: that copy is fetched and
        must be the one received. When it differs (``ob2_hosted_mismatch``) the served copy is
        checked on, so that what the issuer says now (``revoked``...) is reported too."""
        name = "ob2_hosted"
        if urlsplit(model.id).scheme not in ("https", "http"):
            self.invalid(
                name,
                code="ob2_hosted_id_not_url",
                message=f"a hosted assertion's id must be the HTTP(S) URL it is served at, "
                f"not {model.id!r}",
                path="/id",
            )
            return None
        fetched = self.fetch(name, model.id, "/id")
        if fetched is None:
            return None
        if fetched != given:
            self.invalid(
                name,
                code="ob2_hosted_mismatch",
                message=f"the assertion served at {model.id} differs from the one received; "
                "the served one is checked",
                path="",
            )
            served = self.model(name, Ob2Assertion, fetched, "")
            return None if served is None else (fetched, served)
        return fetched, model

    # -- badge class and issuer -------------------------------------------------------------

    def badge_class(self, assertion: Ob2Assertion) -> Ob2BadgeClass | None:
        name = "ob2_badge_class"
        base = "/badge"
        if isinstance(assertion.badge, str):
            data = self.fetch(name, assertion.badge, base)
            if data is None or not self.badge_parts(data):
                return None
        else:
            # Embedded: its image and criteria were looked at with the assertion.
            data = assertion.badge.to_json()
        badge = self.model(name, Ob2BadgeClass, data, base)
        if badge is not None:
            self.checks.append(Check.passed(name, f"badge class {badge.name!r} ({badge.id})"))
        return badge  # type: ignore[no-any-return]

    def badge_parts(self, data: Mapping[str, Any]) -> bool:
        """Whether the badge class has its image and criteria (a check for each missing)."""
        complete = True
        for member, code in (("image", "ob2_image_missing"), ("criteria", "ob2_criteria_missing")):
            if data.get(member) in (None, "", [], {}):
                complete = False
                self.invalid(
                    "ob2_badge_class",
                    code=code,
                    message=f"the badge class {data.get('id', '')} has no {member}",
                    path=f"/badge/{member}",
                )
        return complete

    def issuer(self, badge: Ob2BadgeClass) -> Ob2Profile | None:
        name = "ob2_issuer"
        data = self.fetch(name, badge.issuer_id, "/badge/issuer")
        if data is None:
            return None
        issuer = self.model(name, Ob2Profile, data, "/badge/issuer")
        if issuer is not None:
            shown = f"{issuer.name!r} " if issuer.name else ""
            self.checks.append(Check.passed(name, f"issuer {shown}({issuer.id})"))
        return issuer  # type: ignore[no-any-return]

    # -- hosted: origin rules ---------------------------------------------------------------

    def hosted_origin(self, assertion: Ob2Assertion, issuer: Ob2Profile) -> None:
        name = "ob2_hosted"
        policy = issuer.verification
        starts_with = as_list(policy.starts_with) if policy is not None else []
        allowed = as_list(policy.allowed_origins) if policy is not None else []
        if not allowed:
            issuer_host = urlsplit(issuer.id).netloc if issuer.id.startswith("http") else ""
            allowed = [issuer_host] if issuer_host else []
        host = urlsplit(assertion.id).netloc
        if starts_with and not any(assertion.id.startswith(prefix) for prefix in starts_with):
            self.invalid(
                name,
                code="ob2_hosted_origin",
                message=f"the assertion id {assertion.id} does not start with any prefix "
                f"the issuer allows (verification.startsWith: {', '.join(starts_with)})",
                path="/id",
            )
            return
        if host not in allowed:
            where = ", ".join(allowed) or "none: the issuer's id is not an HTTP(S) URL"
            self.invalid(
                name,
                code="ob2_hosted_origin",
                message=f"the assertion is hosted on {host or assertion.id}, not on an "
                f"origin the issuer allows ({where})",
                path="/id",
            )
            return
        self.checks.append(Check.passed(name, f"hosted at {assertion.id}, an origin of the issuer"))

    # -- signed: JWS, key, revocation list ----------------------------------------------------

    def signature(self, assertion: Ob2Assertion, token: CompactJws, issuer: Ob2Profile) -> None:
        name = "ob2_signature"
        allowed = self.services.policy.allowed_jwt_algorithms & OB2_ALGORITHMS
        try:
            alg = check_header(token.header, frozenset(allowed))
        except VcbadgeError as error:
            self.checks.append(Check.from_error(name, error))
            return
        authorised = issuer.public_key_ids
        creator = assertion.verification.creator
        if creator is not None and creator not in authorised:
            self.invalid(
                name,
                code="ob2_key_not_authorized",
                message=f"the signing key {creator} is not one the issuer {issuer.id} lists "
                "under publicKey",
                path="/verification/creator",
            )
            return
        candidates = [creator] if creator is not None else authorised
        if len(candidates) > MAX_KEYS_TRIED:
            self.invalid(
                name,
                code="ob2_too_many_keys",
                message=f"the assertion names no creator and the issuer lists "
                f"{len(candidates)} keys, more than the {MAX_KEYS_TRIED} vcbadge tries",
                path="/verification",
            )
            return
        if not candidates:
            self.invalid(
                name,
                code="ob2_key_not_authorized",
                message=f"the issuer {issuer.id} lists no publicKey to check signed "
                "assertions with",
                path="/verification",
            )
            return
        failures: list[Check] = []
        for key_id in candidates:
            key = self.key(key_id, issuer, failures)
            if key is None:
                continue
            try:
                verify_jws_signature(token, alg, key)
            except VcbadgeError as error:
                failures.append(Check.from_error(name, error))
                continue
            self.checks.append(Check.passed(name, f"RS256 signature by the issuer's key {key_id}"))
            return
        # Several keys (no creator named): the first failure speaks for all of them.
        self.checks.append(failures[0])

    def key(self, key_id: str, issuer: Ob2Profile, failures: list[Check]) -> RsaKey | None:
        """The RSA key ``key_id`` of ``issuer``: embedded in the issuer's published profile, or
        fetched by its id; None after adding to ``failures`` why it cannot be used."""
        name = "ob2_signature"
        path = "/verification/creator"
        listed: list[str | Ob2CryptographicKey] = as_list(issuer.public_key)
        embedded = [key for key in listed if not isinstance(key, str) and key.id == key_id]
        if embedded:
            data = embedded[0].to_json()
        else:
            fetched = self.obtain(name, key_id, path)
            if isinstance(fetched, Check):
                failures.append(fetched)
                return None
            data = fetched
        wrong = _wrong_type(data, Ob2CryptographicKey, path, name)
        if wrong is not None:
            failures.append(wrong)
            return None
        try:
            key_doc = Ob2CryptographicKey.from_json(data)
        except ModelError as error:
            failures.append(
                Check.invalid(name, code="ob2_key_invalid", message=error.message, path=path)
            )
            return None
        if key_doc.owner is not None and key_doc.owner != issuer.id:
            failures.append(
                Check.invalid(
                    name,
                    code="ob2_key_not_authorized",
                    message=f"the key {key_id} is owned by {key_doc.owner}, not by the issuer "
                    f"{issuer.id}",
                    path=path,
                )
            )
            return None
        try:
            return _rsa_key_from_pem(key_doc.public_key_pem)
        except (InputError, KeyFormatError) as error:
            failures.append(
                Check.invalid(
                    name,
                    code="ob2_key_invalid",
                    message=f"the key {key_id}: {error.message}",
                    path=path,
                )
            )
            return None

    def revocation(
        self, assertion: Ob2Assertion, issuer: Ob2Profile | None, *, signed: bool
    ) -> None:
        name = "ob2_revocation"
        if assertion.revoked:
            reason = f": {assertion.revocation_reason}" if assertion.revocation_reason else ""
            self.invalid(
                name,
                code="revoked",
                message=f"the issuer marked the assertion revoked{reason}",
                path="/revoked",
            )
            return
        if not signed or issuer is None or issuer.revocation_list is None:
            # A hosted assertion is revoked at its id (the copy just fetched); a signed one
            # whose issuer could not be read has that check failing already.
            if not signed or issuer is not None:
                self.checks.append(Check.passed(name, "not marked revoked"))
            return
        data = self.fetch(name, issuer.revocation_list, "/badge/issuer/revocationList")
        if data is None:
            return
        listing = self.model(name, Ob2RevocationList, data, "/badge/issuer/revocationList")
        if listing is None:
            return
        for entry in listing.revoked_assertions:
            entry_id: Any = entry if isinstance(entry, str) else entry.get("id")
            if entry_id == assertion.id:
                why = entry.get("revocationReason") if isinstance(entry, dict) else None
                shown = f": {why}" if isinstance(why, str) and why else ""
                self.invalid(
                    name,
                    code="revoked",
                    message=f"the assertion is in the issuer's revocation list {listing.id}{shown}",
                    path="/id",
                )
                return
        self.checks.append(Check.passed(name, f"not in the issuer's revocation list {listing.id}"))

    # -- dates ----------------------------------------------------------------------------------

    def validity(self, assertion: Ob2Assertion) -> None:
        name = "ob2_validity"
        now = self.frame.now
        issued = _moment(assertion.issued_on)
        if issued is None:
            self.invalid(
                name,
                code="ob2_malformed",
                message="issuedOn is not a date-time",
                path="/issuedOn",
            )
            return
        if issued > now:
            self.invalid(
                name,
                code="not_yet_valid",
                message=f"the assertion is issued on {assertion.issued_on}, in the future",
                path="/issuedOn",
            )
            return
        if assertion.expires is not None:
            expires = _moment(assertion.expires)
            if expires is None:
                self.invalid(
                    name,
                    code="ob2_malformed",
                    message="expires is not a date-time",
                    path="/expires",
                )
                return
            if expires < issued:
                self.invalid(
                    name,
                    code="ob2_expires_before_issued",
                    message=f"the assertion expires ({assertion.expires}) before it is "
                    f"issued ({assertion.issued_on})",
                    path="/expires",
                )
                return
            if expires < now:
                self.invalid(
                    name,
                    code="expired",
                    message=f"the assertion expired on {assertion.expires}",
                    path="/expires",
                )
                return
        self.checks.append(Check.passed(name, "issued, and not expired"))


# The class each model reads, by the names its ``type`` may use (short, compact or full IRI).
_EXPECTED_TYPES: dict[type[Any], tuple[str, ...]] = {
    Ob2Assertion: ("Assertion",),
    Ob2BadgeClass: ("BadgeClass",),
    Ob2Profile: ("Issuer", "Profile"),
    Ob2CryptographicKey: ("CryptographicKey",),
    Ob2RevocationList: ("RevocationList",),
}
_TYPE_IRIS = {
    "CryptographicKey": "https://w3id.org/security#Key",
}


def _type_names(name: str) -> set[str]:
    full = _TYPE_IRIS.get(name, f"https://w3id.org/openbadges#{name}")
    return {name, f"obi:{name}", full}


def _wrong_type(data: Any, cls: type[Any], path: str, check_name: str) -> Check | None:
    """An ``ob2_wrong_type`` check when ``data`` has a ``type`` that does not name the class
    expected there (a missing ``type`` is left to the model: ``ob2_malformed``)."""
    if not isinstance(data, Mapping) or "type" not in data:
        return None
    expected = _EXPECTED_TYPES.get(cls, ())
    accepted = set().union(*(_type_names(name) for name in expected)) if expected else set()
    found = [value for value in as_list(data["type"]) if isinstance(value, str)]
    if not accepted or accepted & set(found):
        return None
    return Check.invalid(
        check_name,
        code="ob2_wrong_type",
        message=f"{data.get('id', 'the document')} is typed {', '.join(found) or 'nothing'}; "
        f"expected here: {' or '.join(expected)}",
        path=f"{path}/type",
    )


def _verification_kind(assertion: Ob2Assertion) -> Literal["hosted", "signed"] | None:
    types = set(as_list(assertion.verification.type))
    if types & _HOSTED and not types & _SIGNED:
        return "hosted"
    if types & _SIGNED and not types & _HOSTED:
        return "signed"
    return None


def _recipient_check(assertion: Ob2Assertion, identity: str) -> Check:
    name = "ob2_recipient"
    recipient = assertion.recipient
    algorithm = recipient.identity.partition("$")[0].lower() if recipient.hashed else ""
    if recipient.hashed and algorithm not in IDENTITY_HASHES:
        return Check.invalid(
            name,
            code="ob2_recipient_hash_unsupported",
            message=f"the recipient is hashed with {algorithm!r}; OB 2.0 uses sha256 or md5",
            path="/recipient/identity",
        )
    if _identity_matches(recipient, identity):
        return Check.passed(name, f"awarded to the {recipient.type} given")
    return Check.invalid(
        name,
        code="ob2_recipient_mismatch",
        message=f"the assertion is not awarded to the {recipient.type} given",
        path="/recipient/identity",
    )


def _moment(value: Ob2DateTime) -> datetime | None:
    if isinstance(value, int):
        try:
            return datetime.fromtimestamp(value, tz=timezone.utc)
        except (OverflowError, OSError, ValueError):
            return None
    text = value[:-1] + "+00:00" if value.endswith("Z") else value
    # Python 3.10's fromisoformat needs the zone as +hh:mm; ISO 8601 also allows +hhmm.
    text = re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", text) if "T" in text else text
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    # OB 2.0 recommends a zone without requiring one: a date-time without one is taken as UTC.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=timezone.utc)


def _rsa_key_from_pem(pem: str | None) -> RsaKey:
    if not pem:
        raise KeyFormatError("the CryptographicKey has no publicKeyPem", code="ob2_key_invalid")
    try:
        public = load_pem_public_key(pem.encode("ascii"))
    except (ValueError, UnicodeEncodeError, TypeError) as exc:
        raise KeyFormatError(f"publicKeyPem is not a PEM public key: {exc}") from None
    if not isinstance(public, rsa.RSAPublicKey):
        raise KeyFormatError("publicKeyPem is not an RSA key; OB 2.0 signs with RS256")
    numbers = public.public_numbers()
    return RsaKey.from_jwk({"kty": "RSA", "n": _uint(numbers.n), "e": _uint(numbers.e)})


def _uint(value: int) -> str:
    return b64url_encode(value.to_bytes((value.bit_length() + 7) // 8, "big"))
