"""The W3C Verifiable Credentials data model, once: its facts and rules (VC 2.0, and VC 1.1 for
older badges).

Every module that needs a data-model fact (a base context URL, the data-model version, the first
``@context``, the issuer id) takes it from here; ``vcbadge.model`` and ``vcbadge.verify`` both
build on these rules.

Pure functions over the JSON as received: every problem names the JSON pointer of the member at
fault, so a caller can point at the exact byte range. The rules are the data model's structural
MUSTs; what only a JSON-LD processor can decide (a type that expands to no URL, a protected term
redefined) is left to canonicalization, and whether a context may be loaded to the ``contexts``
step. The verification pipeline's envelope step, the presentation pipeline and every issuer
apply exactly these rules.

Codes: ``envelope_context`` for the ``@context`` list (and an enveloped credential's),
``envelope_invalid`` for every other rule.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeGuard

from vcbadge._json import join_pointer, one_or_many_with_pointers
from vcbadge._time import parse_datetime

__all__ = [
    "ENVELOPED_CREDENTIAL",
    "PROBLEM_CODES",
    "VC_V1",
    "VC_V2",
    "Problem",
    "credential_problems",
    "data_model_version",
    "first_context",
    "is_url",
    "issuer_id",
    "party_id",
    "presentation_problems",
    "type_list",
]

#: The base context of VC Data Model 1.1.
VC_V1 = "https://www.w3.org/2018/credentials/v1"
#: The base context of VC Data Model 2.0.
VC_V2 = "https://www.w3.org/ns/credentials/v2"

# An absolute URL (RFC 3986 scheme, then no whitespace): DIDs and URNs are URLs here, as the
# VC data model says; "https ://x" (a space in the scheme) is not.
_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:\S*$")
_LANGUAGE_KEYS = frozenset(["@value", "@language", "@direction"])
ENVELOPED_CREDENTIAL = "EnvelopedVerifiableCredential"
#: Every code a :class:`Problem` has.
PROBLEM_CODES = frozenset({"envelope_context", "envelope_invalid"})


@dataclass(frozen=True)
class Problem:
    """One broken rule: a stable ``code``, a message naming the rule, and where."""

    code: str
    message: str
    path: str


def first_context(document: Mapping[str, Any]) -> Any:
    """The first ``@context`` entry (the member itself when it is not a list; None if absent)."""
    entries = document.get("@context")
    return entries[0] if isinstance(entries, list) and entries else entries


def data_model_version(document: Mapping[str, Any]) -> str | None:
    """``"2.0"`` or ``"1.1"`` as the first ``@context`` says, None when it is neither."""
    first = first_context(document)
    return {VC_V2: "2.0", VC_V1: "1.1"}.get(first) if isinstance(first, str) else None


def party_id(document: Mapping[str, Any], member: str) -> str | None:
    """The id of ``issuer`` or ``holder``: the member itself when it is a string, else its
    ``id``; None when there is no string id."""
    value = document.get(member)
    found = value.get("id") if isinstance(value, Mapping) else value
    return found if isinstance(found, str) else None


def issuer_id(document: Mapping[str, Any]) -> str | None:
    """The credential's issuer id (``issuer`` or ``issuer.id``), None when it has none."""
    return party_id(document, "issuer")


def type_list(value: Any) -> list[Any]:
    """A one-or-many ``type`` member as a list."""
    return value if isinstance(value, list) else [value]


def is_url(value: Any) -> TypeGuard[str]:
    """Whether ``value`` is an absolute URL string (as the data model means it)."""
    return isinstance(value, str) and _URL.match(value) is not None


def credential_problems(document: Mapping[str, Any], path: str = "") -> list[Problem]:
    """Every data model problem of a credential; empty when the envelope is valid.

    A wrong ``@context`` list is the only problem reported for it: the version, and so every
    other rule, depends on the first context.
    """
    rules = _Rules()
    version = rules.contexts(document, path)
    if version is None:
        return rules.found
    rules.identifier(document, path, "id")
    rules.types(document, path, "VerifiableCredential")
    rules.issuer(document, path)
    rules.subjects(document, path)
    rules.dates(document, path, version)
    rules.language_values(document, path)
    # VC 1.1 required an id for status entries; VC 2.0 made it optional.
    rules.typed_objects(document, path, "credentialStatus", id_required=version == "1.1")
    rules.typed_objects(document, path, "credentialSchema", id_required=True)
    rules.typed_objects(document, path, "refreshService", id_required=version == "1.1")
    rules.typed_objects(document, path, "termsOfUse")
    rules.typed_objects(document, path, "evidence")
    rules.typed_objects(document, path, "proof")
    rules.related_resources(document, path)
    return rules.found


def presentation_problems(document: Mapping[str, Any], path: str = "") -> list[Problem]:
    """Every data model problem of a presentation (the credentials it carries are checked by
    their own pipeline; here only that each is a credential object)."""
    rules = _Rules()
    version = rules.contexts(document, path)
    if version is None:
        return rules.found
    rules.identifier(document, path, "id")
    rules.types(document, path, "VerifiablePresentation")
    if "holder" in document:
        rules.party(document, path, "holder")
    rules.presented_credentials(document, path, version)
    rules.typed_objects(document, path, "termsOfUse")
    rules.typed_objects(document, path, "proof")
    return rules.found


class _Rules:
    def __init__(self) -> None:
        self.found: list[Problem] = []

    def add(self, path: str, message: str, code: str = "envelope_invalid") -> None:
        self.found.append(Problem(code, message, path))

    def contexts(self, document: Mapping[str, Any], path: str) -> str | None:
        context_path = join_pointer(path, "@context")
        if "@context" not in document:
            # vcbadge never injects a base context: the signer and the verifier would then
            # disagree on what the terms mean.
            self.add(
                context_path,
                f"@context is required and must start with {VC_V2}",
                code="envelope_context",
            )
            return None
        version = data_model_version(document)
        if version is None:
            self.add(
                join_pointer(context_path, 0),
                f"the first @context must be {VC_V2} (or {VC_V1})",
                code="envelope_context",
            )
            return None
        entries = document["@context"]
        for item, item_path in one_or_many_with_pointers(entries, context_path):
            if not (is_url(item) or isinstance(item, Mapping)):
                self.add(
                    item_path,
                    "each @context entry must be a URL or a context object",
                    code="envelope_context",
                )
        return version

    def identifier(self, obj: Mapping[str, Any], path: str, member: str) -> None:
        if member in obj and not is_url(obj[member]):
            self.add(join_pointer(path, member), f"{member} must be a single URL")

    def types(self, obj: Mapping[str, Any], path: str, required: str) -> None:
        type_path = join_pointer(path, "type")
        if "type" not in obj:
            self.add(type_path, f"type is required and must include {required}")
            return
        self.type_values(obj["type"], type_path)
        if required not in type_list(obj["type"]):
            self.add(type_path, f"type must include {required}")

    def type_values(self, value: Any, path: str) -> None:
        for item, item_path in one_or_many_with_pointers(value, path):
            if not isinstance(item, str) or not item:
                self.add(item_path, "each type must be a term or a URL (a non-empty string)")

    def party(self, obj: Mapping[str, Any], path: str, member: str) -> None:
        """``issuer`` / ``holder``: a URL, or an object whose ``id`` is a URL."""
        value = obj.get(member)
        member_path = join_pointer(path, member)
        if isinstance(value, Mapping):
            if not is_url(value.get("id")):
                self.add(join_pointer(member_path, "id"), f"the {member} object's id must be a URL")
        elif not is_url(value):
            self.add(member_path, f"{member} must be a URL or an object with a URL id")

    def issuer(self, document: Mapping[str, Any], path: str) -> None:
        if "issuer" not in document:
            self.add(join_pointer(path, "issuer"), "issuer is required")
            return
        self.party(document, path, "issuer")
        issuer = document["issuer"]
        if isinstance(issuer, Mapping):
            self.language_values(issuer, join_pointer(path, "issuer"))

    def subjects(self, document: Mapping[str, Any], path: str) -> None:
        subject_path = join_pointer(path, "credentialSubject")
        value = document.get("credentialSubject")
        if value is None or value == []:
            self.add(subject_path, "credentialSubject is required (one or more objects)")
            return
        for item, item_path in one_or_many_with_pointers(value, subject_path):
            if not isinstance(item, Mapping):
                self.add(item_path, "credentialSubject must be an object")
            elif not item:
                # An empty subject states no claim at all: nothing would be attested.
                self.add(item_path, "a credentialSubject must make at least one claim")
            else:
                self.identifier(item, item_path, "id")

    def dates(self, document: Mapping[str, Any], path: str, version: str) -> None:
        start, end = (
            ("validFrom", "validUntil") if version == "2.0" else ("issuanceDate", "expirationDate")
        )
        if version == "1.1" and start not in document:
            self.add(join_pointer(path, start), "a VC 1.1 credential must have issuanceDate")
        moments: dict[str, datetime] = {}
        for member in (start, end):
            if member not in document:
                continue
            value = document[member]
            member_path = join_pointer(path, member)
            if not isinstance(value, str):
                self.add(member_path, f"{member} must be a dateTimeStamp string")
                continue
            try:
                moments[member] = parse_datetime(value)
            except ValueError as exc:
                self.add(member_path, str(exc))
        ordered = start in moments and end in moments and moments[end] < moments[start]
        if version == "2.0" and ordered:
            self.add(
                join_pointer(path, end),
                f"validUntil ({document[end]}) is earlier than validFrom ({document[start]})",
            )

    def language_values(self, obj: Mapping[str, Any], path: str) -> None:
        """``name`` / ``description``: strings, or language value objects, or a set of them."""
        for member in ("name", "description"):
            if member not in obj:
                continue
            for item, item_path in one_or_many_with_pointers(
                obj[member], join_pointer(path, member)
            ):
                if isinstance(item, str):
                    continue
                if not isinstance(item, Mapping):
                    self.add(item_path, f"{member} must be a string or a language value object")
                    continue
                extra = sorted(set(item) - _LANGUAGE_KEYS)
                if extra:
                    self.add(
                        item_path,
                        f"a {member} language value object may only have @value, @language "
                        f"and @direction, not {', '.join(extra)}",
                    )
                if not isinstance(item.get("@value"), str):
                    self.add(join_pointer(item_path, "@value"), "@value must be a string")
                if "@language" in item and not isinstance(item["@language"], str):
                    self.add(join_pointer(item_path, "@language"), "@language must be a string")
                if "@direction" in item and item["@direction"] not in ("ltr", "rtl"):
                    self.add(join_pointer(item_path, "@direction"), "@direction is ltr or rtl")

    def typed_objects(
        self, obj: Mapping[str, Any], path: str, member: str, *, id_required: bool = False
    ) -> None:
        """One or more objects that each name their ``type`` and, where given, a URL ``id``."""
        if member not in obj:
            return
        for item, item_path in one_or_many_with_pointers(obj[member], join_pointer(path, member)):
            if not isinstance(item, Mapping):
                self.add(item_path, f"each {member} must be an object")
                continue
            if "type" in item:
                self.type_values(item["type"], join_pointer(item_path, "type"))
            else:
                self.add(join_pointer(item_path, "type"), f"each {member} must have a type")
            if "id" in item:
                self.identifier(item, item_path, "id")
            elif id_required:
                self.add(join_pointer(item_path, "id"), f"each {member} must have an id URL")

    def related_resources(self, document: Mapping[str, Any], path: str) -> None:
        if "relatedResource" not in document:
            return
        seen: set[str] = set()
        base = join_pointer(path, "relatedResource")
        for item, item_path in one_or_many_with_pointers(document["relatedResource"], base):
            if not isinstance(item, Mapping):
                self.add(item_path, "each relatedResource must be an object")
                continue
            identifier = item.get("id")
            if not is_url(identifier):
                self.add(join_pointer(item_path, "id"), "a relatedResource must have an id URL")
            elif identifier in seen:
                self.add(join_pointer(item_path, "id"), f"relatedResource {identifier} repeats")
            else:
                seen.add(identifier)
            digests = [name for name in ("digestSRI", "digestMultibase") if name in item]
            if not digests:
                self.add(item_path, "a relatedResource needs digestSRI or digestMultibase")
            for name in digests:
                if not isinstance(item[name], str):
                    self.add(join_pointer(item_path, name), f"{name} must be a string")

    def presented_credentials(self, document: Mapping[str, Any], path: str, version: str) -> None:
        if "verifiableCredential" not in document:
            return
        base = join_pointer(path, "verifiableCredential")
        value = document["verifiableCredential"]
        if value == []:
            self.add(base, "verifiableCredential, when present, holds one or more credentials")
        for item, item_path in one_or_many_with_pointers(value, base):
            if isinstance(item, str) and version == "1.1":
                continue  # VC 1.1 presentations carry VC-JWTs as plain strings
            if not isinstance(item, Mapping):
                self.add(
                    item_path,
                    "a VC 2.0 presentation carries credential objects (a JWT goes in an "
                    f"{ENVELOPED_CREDENTIAL}), never strings, numbers or URLs",
                )
                continue
            types = type_list(item.get("type"))
            type_path = join_pointer(item_path, "type")
            if ENVELOPED_CREDENTIAL in types:
                self.enveloped(item, item_path)
            elif "VerifiableCredential" not in types:
                self.add(
                    type_path,
                    f"a presented credential's type must include VerifiableCredential "
                    f"(or be {ENVELOPED_CREDENTIAL})",
                )

    def enveloped(self, item: Mapping[str, Any], path: str) -> None:
        if data_model_version(item) != "2.0":
            self.add(
                join_pointer(path, "@context"),
                f"an {ENVELOPED_CREDENTIAL} must have the @context {VC_V2}",
                code="envelope_context",
            )
        identifier = item.get("id")
        if not (isinstance(identifier, str) and identifier.startswith("data:")):
            self.add(
                join_pointer(path, "id"),
                f"an {ENVELOPED_CREDENTIAL} id must be a data: URL holding the credential",
            )
