"""``vcbadge check``: everything an issuer should know about a credential it produced.

The findings come from vcbadge's own validators, never re-implemented here: the verification
pipeline (envelope, contexts, schemas named by ``credentialSchema``, the OB 3.0 rules
verification applies, proofs, dates, status, baked images), every data-model MUST rule
(:func:`vcbadge.model.validate_document`), and the official JSON Schemas of the credential's
family (OB 3.0 / CLR 2.0, and W3C VC 2.0) whether or not the credential names them. On top
come the lints that broke real badges in wallets (:data:`LINTS`).

Each :class:`Finding` has a level (``error``: a verifier or a wallet will refuse it;
``warning``: it works with vcbadge but is fragile elsewhere, or could not be decided offline),
a stable code, a JSON pointer, the specification section, and how to fix it. The codes are
listed in docs/check-findings.md.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Literal

from vcbadge._json import loads_strict
from vcbadge.errors import InputError, Issue
from vcbadge.jsonld.contexts import bundled_contexts
from vcbadge.model import validate_document
from vcbadge.model.rules import kind_of
from vcbadge.schema import SchemaValidator
from vcbadge.vcdm import VC_V1, VC_V2, data_model_version, is_url, type_list
from vcbadge.verify import Outcome, VerificationResult, Verifier

__all__ = ["LINTS", "Finding", "Level", "check_credential", "check_file", "exit_status"]

Level = Literal["error", "warning"]

_VC2 = "https://www.w3.org/TR/vc-data-model-2.0/"
_OB3 = "https://www.imsglobal.org/spec/ob/v3p0/"
_OB2_CONTEXT = "https://w3id.org/openbadges/v2"
_OB_EXTENSIONS = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"
_OB_CURRENT_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
_EXTENSION_TYPES = frozenset(
    {"1EdTechCredentialRefresh", "1EdTechJsonSchemaValidator2019", "1EdTechRevocationList"}
)
_OB_TYPES = frozenset({"OpenBadgeCredential", "AchievementCredential", "EndorsementCredential"})

# The official schema of each credential family, checked whether or not credentialSchema names
# it (an issuer that omits credentialSchema is still judged against the spec's schema).
_FAMILY_SCHEMAS = {
    "AchievementCredential": (
        "schema_ob",
        "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json",
        _OB3 + "#achievementcredential",
    ),
    "OpenBadgeCredential": (
        "schema_ob",
        "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json",
        _OB3 + "#achievementcredential",
    ),
    "EndorsementCredential": (
        "schema_ob",
        "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_endorsementcredential_schema.json",
        _OB3 + "#endorsementcredential",
    ),
    "ClrCredential": (
        "schema_clr",
        "https://purl.imsglobal.org/spec/clr/v2p0/schema/json/clr_v2p0_clrcredential_schema.json",
        "https://www.imsglobal.org/spec/clr/v2p0/#clrcredential",
    ),
}
_VC2_SCHEMA = "https://www.w3.org/2022/credentials/v2/verifiable-credential-schema.json"

# The verification step a check belongs to -> (spec section, how to fix).
_STEPS: dict[str, tuple[str, str]] = {
    "image": (_OB3 + "#baking", "bake the credential again with a conforming baker (vcbadge bake)"),
    "parse": ("https://www.rfc-editor.org/rfc/rfc8259", "write strict JSON: no duplicate keys"),
    "envelope": (_VC2 + "#credentials", "add or correct the member the message names"),
    "contexts": (_VC2 + "#contexts", "list only the published contexts, VC base context first"),
    "related_resource": (
        _VC2 + "#integrity-of-related-resources",
        "recompute the digest of the resource",
    ),
    "schema": (_VC2 + "#data-schemas", "make the credential satisfy the schema it names"),
    "ob_conformance": (_OB3 + "#achievementcredential", "apply the OB 3.0 rule the message names"),
    "proof": (
        "https://www.w3.org/TR/vc-data-integrity/#verify-proof",
        "sign the final document again with a key its issuer's DID document lists for "
        "assertionMethod",
    ),
    "validity_period": (_VC2 + "#validity-period", "correct validFrom / validUntil"),
    "status": (
        "https://www.w3.org/TR/vc-bitstring-status-list/#bitstringstatuslistentry",
        "publish the status list and give complete credentialStatus entries",
    ),
    "issuer_trust": (_VC2 + "#issuer", "sign with the issuer the verifier trusts"),
    "nested_credential": (_OB3 + "#endorsementcredential", "fix the nested credential"),
    "jwt_header": (_OB3 + "#jwt-proof-format", "use the header OB 3.0 section 8.2 requires"),
    "jwt_claims": (_OB3 + "#jwt-proof-format", "map the credential to the JWT claims"),
    "jwt_key": (_OB3 + "#jwt-proof-format", "name a key the issuer controls in kid"),
    "jwt_signature": (_OB3 + "#jwt-proof-format", "sign the token again"),
    "challenge": ("https://www.w3.org/TR/vc-data-integrity/#proofs", "sign with the challenge"),
    "domain": ("https://www.w3.org/TR/vc-data-integrity/#proofs", "sign with the domain"),
}
_DEFAULT_STEP = (_VC2, "see the message")

#: The lints beyond verification, code -> (level, spec section). docs/check-findings.md lists
#: them with the verification, model and schema findings.
LINTS: dict[str, tuple[Level, str]] = {
    "model_rule": ("error", _OB3 + "#data-model"),
    "schema_ob": ("error", _OB3 + "#achievementcredential"),
    "schema_clr": ("error", "https://www.imsglobal.org/spec/clr/v2p0/#clrcredential"),
    "schema_vc": ("error", _VC2 + "#json-schema"),
    "context_not_bundled": ("error", _VC2 + "#contexts"),
    "context_ob_missing": ("error", _OB3 + "#jsonld-context"),
    "context_ob_order": ("error", _OB3 + "#jsonld-context"),
    "context_ob_outdated": ("warning", _OB3 + "#jsonld-context"),
    "context_extensions_missing": ("error", _OB3 + "#jsonld-context"),
    "vc_version_mixed": ("error", _VC2 + "#validity-period"),
    "vc_v1_credential": ("warning", _OB3 + "#jsonld-context"),
    "id_not_uri": ("error", _VC2 + "#identifiers"),
    "identity_hash_form": ("error", _OB3 + "#identityobject"),
    "identity_plaintext": ("warning", _OB3 + "#identityobject"),
    "image_data_uri": ("error", _OB3 + "#image"),
    "image_data_base64url": ("error", "https://www.rfc-editor.org/rfc/rfc2397"),
    "proof_single_array": ("warning", _VC2 + "#securing-mechanisms"),
    "credential_schema_missing": ("warning", _OB3 + "#achievementcredential"),
    "not_a_credential": ("error", _VC2 + "#credentials"),
    "openbadges_2": ("warning", "https://www.imsglobal.org/spec/ob/v3p0/#introduction"),
}

_SHA256_IDENTITY = re.compile(r"^sha256\$[0-9a-f]{64}$")
_DATA_URI = re.compile(r"^data:([^;,]*)((?:;[^;,]*)*),(.*)$", re.DOTALL)


@dataclass(frozen=True, kw_only=True)
class Finding:
    """One thing ``vcbadge check`` found: its level, stable code, JSON pointer, message, the
    specification section, and how to fix it."""

    level: Level
    code: str
    path: str
    message: str
    spec: str
    fix: str

    def to_dict(self) -> dict[str, str]:
        return {
            "level": self.level,
            "code": self.code,
            "path": self.path,
            "message": self.message,
            "spec": self.spec,
            "fix": self.fix,
        }


def exit_status(findings: Sequence[Finding], *, strict: bool = False) -> int:
    """0 clean (warnings allowed unless ``strict``), 1 when a finding counts as a failure."""
    if any(finding.level == "error" for finding in findings):
        return 1
    return 1 if strict and findings else 0


def check_file(
    data: bytes,
    *,
    verifier: Verifier | None = None,
    documents: Mapping[str, Mapping[str, Any]] | None = None,
    at: datetime | None = None,
    challenge: str | None = None,
    domain: str | Sequence[str] | None = None,
    verify: bool = True,
) -> list[Finding]:
    """The findings for the bytes of a file: JSON, a compact JWS, or a baked PNG/SVG image."""
    return check_credential(
        data,
        verifier=verifier,
        documents=documents,
        at=at,
        challenge=challenge,
        domain=domain,
        verify=verify,
    )


def check_credential(
    credential: Mapping[str, Any] | str | bytes,
    *,
    verifier: Verifier | None = None,
    documents: Mapping[str, Mapping[str, Any]] | None = None,
    at: datetime | None = None,
    challenge: str | None = None,
    domain: str | Sequence[str] | None = None,
    verify: bool = True,
) -> list[Finding]:
    """Every finding for ``credential`` (parsed JSON, JSON text, a compact JWS, or image
    bytes), or for a presentation when ``challenge`` is given (each credential it carries is
    checked too).

    ``verifier`` defaults to ``Verifier.offline(documents=documents)``: nothing is fetched, so
    a did:web key or a status list that is not in ``documents`` is a warning (undecided), not
    an error. Pass ``Verifier.online()`` to check them over the network.

    ``verify=False`` checks a credential before it is signed: everything but verification
    (``credential`` must then be JSON: a mapping, or its text or bytes).
    """
    if not verify:
        return _unique(_unsigned_findings(credential))
    verifier = verifier or Verifier.offline(documents=documents)
    if challenge is not None:
        result = verifier.verify_presentation(credential, challenge=challenge, domain=domain, at=at)
    else:
        result = verifier.verify(credential, at=at)
    findings = list(_verification_findings(result))
    # A rule both verification and the model apply is reported once, under the verifier's code.
    verified = {(check.path, check.message) for check in result.failed}
    document = result.document
    if isinstance(document, Mapping):
        if "VerifiablePresentation" in type_list(document.get("type")):
            carried = document.get("verifiableCredential")
            for index, item in enumerate(carried if isinstance(carried, list) else [carried]):
                if isinstance(item, Mapping):
                    findings += _document_findings(item, f"/verifiableCredential/{index}", verified)
        else:
            findings += _document_findings(document, "", verified)
    return _unique(findings)


def _unsigned_findings(credential: Mapping[str, Any] | str | bytes) -> list[Finding]:
    if isinstance(credential, Mapping):
        return _document_findings(credential, "")
    try:
        document = loads_strict(credential)
    except InputError as error:
        spec, fix = _STEPS["parse"]
        return [
            Finding(
                level="error",
                code=error.code,
                path=error.path,
                message=f"parse: {error.message}",
                spec=spec,
                fix=fix,
            )
        ]
    if not isinstance(document, Mapping):
        return [
            _lint(
                "not_a_credential",
                "",
                "an unsigned credential is a JSON object",
                "give the credential as a JSON object",
            )
        ]
    return _document_findings(document, "")


def _unique(findings: list[Finding]) -> list[Finding]:
    seen: set[tuple[str, str, str]] = set()
    kept = []
    for finding in findings:
        key = (finding.code, finding.path, finding.message)
        if key not in seen:
            seen.add(key)
            kept.append(finding)
    return kept


def _verification_findings(result: VerificationResult) -> Iterator[Finding]:
    for check in result.failed:
        spec, fix = _STEPS.get(check.name, _DEFAULT_STEP)
        yield Finding(
            level="error" if check.outcome is Outcome.INVALID else "warning",
            code=check.code,
            path=check.path,
            message=f"{check.name}: {check.message}",
            spec=spec,
            fix=fix
            if check.outcome is Outcome.INVALID
            else "check it online, or give the verifier the document it needs",
        )


def _lint(code: str, path: str, message: str, fix: str) -> Finding:
    level, spec = LINTS[code]
    return Finding(level=level, code=code, path=path, message=message, spec=spec, fix=fix)


def _document_findings(
    document: Mapping[str, Any],
    prefix: str,
    verified: Collection[tuple[str, str]] = (),
) -> list[Finding]:
    if document.get("@context") == _OB2_CONTEXT or "Assertion" in type_list(document.get("type")):
        return [
            _lint(
                "openbadges_2",
                prefix,
                "an Open Badges 2.0 assertion: verified as such, but the Open Badges 3.0 rules, "
                "schemas and lints do not apply to it",
                "issue new badges as Open Badges 3.0 credentials",
            )
        ]
    if not isinstance(document.get("type"), (str, list)) or "VerifiableCredential" not in type_list(
        document.get("type")
    ):
        return [
            _lint(
                "not_a_credential",
                prefix + "/type",
                "the document is not a VerifiableCredential",
                "give the signed credential, typed VerifiableCredential",
            )
        ]
    findings: list[Finding] = []
    findings += _model_findings(document, prefix, verified)
    findings += _schema_findings(document, prefix)
    findings += _context_findings(document, prefix)
    findings += _version_findings(document, prefix)
    findings += _identifier_findings(document, prefix)
    findings += _identity_findings(document, prefix)
    findings += _image_findings(document, prefix)
    findings += _proof_findings(document, prefix)
    return findings


def _issue_finding(code: str, issue: Issue, prefix: str, what: str) -> Finding:
    level, spec = LINTS[code]
    return Finding(
        level=level,
        code=code,
        path=prefix + issue.path,
        message=f"{what}: {issue.message} [{issue.code}]",
        spec=spec,
        fix="correct the member at this path as the message says",
    )


def _model_findings(
    document: Mapping[str, Any], prefix: str, verified: Collection[tuple[str, str]]
) -> list[Finding]:
    if kind_of(document) is None:
        return []
    return [
        _issue_finding("model_rule", issue, prefix, "data model")
        for issue in validate_document(document)
        if (prefix + issue.path, issue.message) not in verified
    ]


def _schema_findings(document: Mapping[str, Any], prefix: str) -> list[Finding]:
    validator = SchemaValidator.bundled()
    findings = []
    family = _FAMILY_SCHEMAS.get(kind_of(document) or "")
    # The published OB 3.0 / CLR 2.0 schemas describe VC 2.0 credentials; a VC 1.1 one gets
    # the vc_v1_credential warning instead of a schema error on every VC 1.1 member.
    if family is not None and data_model_version(document) == "2.0":
        code, url, section = family
        findings += [
            replace(_issue_finding(code, issue, prefix, url.rsplit("/", 1)[-1]), spec=section)
            for issue in validator.validate(document, url)
        ]
    if data_model_version(document) == "2.0":
        findings += [
            _issue_finding("schema_vc", issue, prefix, "W3C VC 2.0 schema")
            for issue in validator.validate(document, _VC2_SCHEMA)
        ]
    if family is not None and "credentialSchema" not in document:
        findings.append(
            _lint(
                "credential_schema_missing",
                prefix + "/credentialSchema",
                "no credentialSchema: validators that only apply the schemas a credential "
                "names will not check it against the OB 3.0 schema",
                f"add credentialSchema: {{'id': '{family[1]}', "
                "'type': '1EdTechJsonSchemaValidator2019'}, and the OB 3.0 extensions context "
                f"that defines its type ({_OB_EXTENSIONS})",
            )
        )
    return findings


def _context_findings(document: Mapping[str, Any], prefix: str) -> list[Finding]:
    contexts = document.get("@context")
    listed = contexts if isinstance(contexts, list) else [contexts]
    path = prefix + "/@context"
    findings = []
    known = bundled_contexts()
    for index, url in enumerate(listed):
        if isinstance(url, str) and url not in known:
            findings.append(
                _lint(
                    "context_not_bundled",
                    f"{path}/{index}",
                    f"{url} is not a published context verifiers preload; most refuse to fetch it",
                    "use the published contexts only (VC base, OB 3.0, extensions)",
                )
            )
    ob_positions = [
        index
        for index, url in enumerate(listed)
        if isinstance(url, str)
        and url.startswith("https://purl.imsglobal.org/spec/ob/v3p0/context")
    ]
    if _OB_TYPES & set(type_list(document.get("type"))):
        if not ob_positions:
            findings.append(
                _lint(
                    "context_ob_missing",
                    path,
                    "an Open Badges credential must list the OB 3.0 context",
                    f"add {_OB_CURRENT_CONTEXT} after the VC base context",
                )
            )
        elif ob_positions[0] != 1:
            findings.append(
                _lint(
                    "context_ob_order",
                    f"{path}/{ob_positions[0]}",
                    "the OB 3.0 context must come right after the VC base context",
                    "list the VC base context first, the OB 3.0 context second",
                )
            )
    for index in ob_positions:
        if listed[index] != _OB_CURRENT_CONTEXT:
            findings.append(
                _lint(
                    "context_ob_outdated",
                    f"{path}/{index}",
                    f"{listed[index]} is an older OB 3.0 context",
                    f"use {_OB_CURRENT_CONTEXT}",
                )
            )
    used = sorted(_EXTENSION_TYPES & set(_all_types(document)))
    if used and _OB_EXTENSIONS not in listed:
        findings.append(
            _lint(
                "context_extensions_missing",
                path,
                f"{', '.join(used)} is defined by the OB 3.0 extensions context, which is not "
                "listed: the type is a relative IRI, dropped from what is signed",
                f"add {_OB_EXTENSIONS} to @context",
            )
        )
    return findings


def _all_types(value: Any) -> Iterator[str]:
    if isinstance(value, Mapping):
        for item in type_list(value.get("type")):
            if isinstance(item, str):
                yield item
        for member, item in value.items():
            if member != "type":
                yield from _all_types(item)
    elif isinstance(value, list):
        for item in value:
            yield from _all_types(item)


def _version_findings(document: Mapping[str, Any], prefix: str) -> list[Finding]:
    version = data_model_version(document)
    findings = []
    wrong = {"2.0": ("issuanceDate", "expirationDate"), "1.1": ("validFrom", "validUntil")}
    for member in wrong.get(version or "", ()):
        if member in document:
            base = VC_V2 if version == "2.0" else VC_V1
            findings.append(
                _lint(
                    "vc_version_mixed",
                    f"{prefix}/{member}",
                    f"{member} belongs to the other VC data model than {base}",
                    "use validFrom/validUntil with VC 2.0, issuanceDate/expirationDate with VC 1.1",
                )
            )
    if version == "1.1" and _OB_TYPES & set(type_list(document.get("type"))):
        findings.append(
            _lint(
                "vc_v1_credential",
                prefix + "/@context/0",
                "an OB 3.0 credential on the VC 1.1 data model: current OB 3.0 uses VC 2.0",
                f"issue with {VC_V2}",
            )
        )
    return findings


def _ids(value: Any, path: str) -> Iterator[tuple[str, Any]]:
    if isinstance(value, Mapping):
        for member, item in value.items():
            where = f"{path}/{_escape(member)}"
            # The members of a context or a proof value are not node ids.
            if member in ("@context", "proofValue", "jws"):
                continue
            if member == "id":
                yield where, item
            else:
                yield from _ids(item, where)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _ids(item, f"{path}/{index}")


def _escape(member: str) -> str:
    return member.replace("~", "~0").replace("/", "~1")


def _identifier_findings(document: Mapping[str, Any], prefix: str) -> list[Finding]:
    return [
        _lint(
            "id_not_uri",
            where,
            f"id {value!r} is not an absolute URI: wallets and JSON-LD processors drop or "
            "rebase it",
            "use an absolute URI: https://..., urn:uuid:..., or a DID",
        )
        for where, value in _ids(document, prefix)
        if not is_url(value)
    ]


def _subjects(document: Mapping[str, Any], prefix: str) -> Iterator[tuple[Mapping[str, Any], str]]:
    subjects = document.get("credentialSubject")
    if isinstance(subjects, list):
        for index, subject in enumerate(subjects):
            if isinstance(subject, Mapping):
                yield subject, f"{prefix}/credentialSubject/{index}"
    elif isinstance(subjects, Mapping):
        yield subjects, f"{prefix}/credentialSubject"


def _identity_findings(document: Mapping[str, Any], prefix: str) -> list[Finding]:
    findings = []
    for subject, path in _subjects(document, prefix):
        identifiers = subject.get("identifier")
        entries = identifiers if isinstance(identifiers, list) else [identifiers]
        for index, entry in enumerate(entries):
            if not isinstance(entry, Mapping):
                continue
            where = (
                f"{path}/identifier/{index}"
                if isinstance(identifiers, list)
                else (f"{path}/identifier")
            )
            value = entry.get("identityHash")
            if entry.get("hashed") is True and not (
                isinstance(value, str) and _SHA256_IDENTITY.match(value)
            ):
                findings.append(
                    _lint(
                        "identity_hash_form",
                        f"{where}/identityHash",
                        "a hashed identity must be 'sha256$' followed by 64 lower-case hex digits",
                        "hash with vcbadge.model.hash_identity(value, salt)",
                    )
                )
            if entry.get("hashed") is False and entry.get("identityType") == "emailAddress":
                findings.append(
                    _lint(
                        "identity_plaintext",
                        f"{where}/identityHash",
                        "the recipient's email address is in clear text in a credential "
                        "that is shared",
                        "hash it with a salt (hashed: true) unless the learner wants it shown",
                    )
                )
    return findings


def _image_findings(document: Mapping[str, Any], prefix: str) -> list[Finding]:
    findings = []
    for path, image in _images(document, prefix):
        url = image.get("id") if isinstance(image, Mapping) else image
        if not isinstance(url, str) or not url.startswith("data:"):
            continue
        match = _DATA_URI.match(url)
        media, parameters, payload = match.groups() if match else ("", "", "")
        if not match or media not in ("image/png", "image/svg+xml"):
            findings.append(
                _lint(
                    "image_data_uri",
                    path,
                    f"an image data: URI must be image/png or image/svg+xml, not {media!r}",
                    "embed a PNG or SVG image, or link it with an https URL",
                )
            )
            continue
        if ";base64" not in parameters:
            continue
        if re.search(r"[-_]", payload):
            findings.append(
                _lint(
                    "image_data_base64url",
                    path,
                    "the data: URI uses base64url characters ('-', '_'): data: URIs are base64",
                    "encode the image with standard base64 (+, /, = padding)",
                )
            )
            continue
        try:
            base64.b64decode(payload, validate=True)
        except (binascii.Error, ValueError):
            findings.append(
                _lint(
                    "image_data_uri",
                    path,
                    "the data: URI's base64 payload does not decode",
                    "encode the image with standard base64, padded",
                )
            )
    return findings


def _images(value: Any, path: str) -> Iterator[tuple[str, Any]]:
    if isinstance(value, Mapping):
        for member, item in value.items():
            where = f"{path}/{_escape(member)}"
            if member == "image":
                yield where + ("/id" if isinstance(item, Mapping) else ""), item
            elif member != "@context":
                yield from _images(item, where)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _images(item, f"{path}/{index}")


def _proof_findings(document: Mapping[str, Any], prefix: str) -> list[Finding]:
    proof = document.get("proof")
    if isinstance(proof, list) and len(proof) == 1:
        return [
            _lint(
                "proof_single_array",
                prefix + "/proof",
                "a single proof in an array: the OB 3.0 and VC 2.0 schemas accept it, but "
                "wallets written against the VC 1.1 examples read proof as one object",
                "write a single proof as an object",
            )
        ]
    return []
