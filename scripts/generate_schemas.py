#!/usr/bin/env python3
"""Generate vcbadge's bundled JSON Schemas (``schemas/``) from a compact class description.

Usage::

    python scripts/generate_schemas.py          # (re)write schemas/*.json and manifest.json
    python scripts/generate_schemas.py --check  # exit 1 when a checked-in file is stale

Open Badges 3.0 and CLR 2.0 credentials name a JSON Schema in ``credentialSchema`` by its
published URL. vcbadge validates them offline with documents of its own: this script holds
the data model as a short table (for each class: its properties, each property's value kind
and cardinality, the required properties, whether other properties are allowed) and builds one
JSON Schema (draft 2019-09) per published URL from it. The published 1EdTech files are not
copied, modified or redistributed; ``tests/schema/test_bundled_schemas.py`` checks, against the
shared reference corpus, that every generated schema gives the same verdict (valid or invalid)
as the published schema for the corpus examples and for many generated variants of them.

The "JSON-LD adaptation" the published OB 3.0 / CLR 2.0 files follow is reproduced: a single
value is accepted wherever an array is, and a string may be given as a language map
(``{"en": "...", "fr-CA": "..."}``). The W3C VC 2.0 credential and presentation schemas
(draft 2020-12) are described by hand at the end, in the same spirit.

The ``/schema/json-ld/`` URLs that later OB 3.0 releases name are served with the same
document as the matching ``/schema/json/`` URL (listed as ``aliases`` in the manifest): no
published copy of them was available to compare with, and the class model they describe is the
same.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCHEMAS = Path(__file__).resolve().parents[1] / "schemas"
MANIFEST = "manifest.json"

DRAFT_2019_09 = "https://json-schema.org/draft/2019-09/schema"
DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema"
VC2_CONTEXT = "https://www.w3.org/ns/credentials/v2"

OB = "https://purl.imsglobal.org/spec/ob/v3p0/schema/"
CLR = "https://purl.imsglobal.org/spec/clr/v2p0/schema/"
W3C = "https://www.w3.org/2022/credentials/v2/"

# Regular expressions (Python ``re`` semantics, applied with search like every JSON Schema
# validator does). Each states a rule of the data model.
LANGUAGE_MAP_KEY = r"^[a-z]{2}(?:-[A-Z]{2})?$"
LANGUAGE_CODE = r"^[a-z]{2,4}(?:-[A-Z][a-z]{3})?(?:-(?:[A-Z]{2}|[0-9]{3}))?$"
COMPACT_JWS = r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+$"
# Extension terms of an open vocabulary: "ext:" followed by a letter, digit, '.', '_' or '|'
# somewhere in the value (the published rule is not anchored).
EXTENSION_TERM = r"ext:[A-Za-z0-9._|]"
OB_CONTEXT = r"^https://purl\.imsglobal\.org/spec/ob/v3p0/context(?:-3\.\d\.\d)*\.json$"
CLR_CONTEXT = r"^https://purl\.imsglobal\.org/spec/clr/v2p0/context(?:-2\.\d\.\d)*\.json$"
# An XML Schema dateTime somewhere in the string (VC 2.0 schemas; not anchored either).
_YEAR = r"-?(?:[1-9][0-9]{3,}|0[0-9]{3})"
_DAY = r"(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])"
_TIME = r"(?:(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]+)?|24:00:00(?:\.0+)?)"
_ZONE = r"(?:Z|[+-](?:(?:0[0-9]|1[0-3]):[0-5][0-9]|14:00))"
DATE_TIME = f"{_YEAR}-{_DAY}T{_TIME}{_ZONE}"

# Open vocabularies: any listed term, or an extension term.
VOCABULARIES: dict[str, tuple[str, ...]] = {
    "AchievementType": (
        "Achievement", "ApprenticeshipCertificate", "Assessment", "Assignment",
        "AssociateDegree", "Award", "Badge", "BachelorDegree", "Certificate",
        "CertificateOfCompletion", "Certification", "CommunityService", "Competency", "Course",
        "CoCurricular", "Degree", "Diploma", "DoctoralDegree", "Fieldwork",
        "GeneralEducationDevelopment", "JourneymanCertificate", "LearningProgram", "License",
        "Membership", "ProfessionalDoctorate", "QualityAssuranceCredential", "MasterCertificate",
        "MasterDegree", "MicroCredential", "ResearchDoctorate", "SecondarySchoolDiploma",
    ),
    "IdentifierType": (
        "name", "sourcedId", "systemId", "productId", "userName", "accountId", "emailAddress",
        "nationalIdentityNumber", "isbn", "issn", "lisSourcedId", "oneRosterSourcedId",
        "sisSourcedId", "ltiContextId", "ltiDeploymentId", "ltiToolId", "ltiPlatformId",
        "ltiUserId", "identifier",
    ),
    "AlignmentTargetType": (
        "ceasn:Competency", "ceterms:Credential", "CFItem", "CFRubric", "CFRubricCriterion",
        "CFRubricCriterionLevel", "CTDL",
    ),
    "ResultType": (
        "GradePointAverage", "LetterGrade", "Percent", "PerformanceLevel", "PredictedScore",
        "RawScore", "Result", "RubricCriterion", "RubricCriterionLevel", "RubricScore",
        "ScaledScore", "Status",
    ),
}  # fmt: skip

# Closed enumerations: exactly one of the listed strings.
ENUMERATIONS: dict[str, tuple[str, ...]] = {
    "ResultStatus": (
        "Completed", "Enrolled", "Failed", "InProgress", "OnHold", "Provisional", "Withdrew",
    ),
    "AssociationType": (
        "exactMatchOf", "isChildOf", "isParentOf", "isPartOf", "isPeerOf", "isRelatedTo",
        "precedes", "replacedBy",
    ),
    "CodeMajor": ("failure", "processing", "success", "unsupported"),
    "Severity": ("error", "status", "warning"),
    "CodeMinor": (
        "forbidden", "fullsuccess", "internal_server_error", "invalid_data",
        "invalid_query_parameter", "misdirected_request", "not_acceptable", "not_allowed",
        "not_found", "not_modified", "server_busy", "unauthorizedrequest", "unknown",
    ),
}  # fmt: skip

# ``@context`` rules: the fixed leading entries of the array form.
CONTEXT_PREFIXES: dict[str, tuple[dict[str, Any], ...]] = {
    "ob": ({"const": VC2_CONTEXT}, {"type": "string", "pattern": OB_CONTEXT}),
    "clr": (
        {"const": VC2_CONTEXT},
        {"type": "string", "pattern": CLR_CONTEXT},
        {"type": "string", "pattern": OB_CONTEXT},
    ),
    "vc": ({"const": VC2_CONTEXT},),
}


@dataclass(frozen=True)
class Cls:
    """One class of the model.

    ``props`` is one ``name kind`` line per property. A kind is one of ``text`` (a string or a
    language map), ``datetime``, ``date``, ``number``, ``boolean``, ``jws`` (compact JWS),
    ``language`` (a BCP 47 code), ``vocab:NAME`` / ``enum:NAME`` (see the tables above),
    ``types:A,B|C`` (a string, or an array containing A and one of B or C), ``marker:X`` (the
    string X, possibly as a language map), ``context:KIND`` or a class name. A trailing ``*``
    also accepts an array of such values, ``+`` a non-empty array.
    """

    props: str
    required: str = ""
    closed: bool = False


_CREDENTIAL_TAIL = """
    issuer ProfileRef
    validFrom datetime
    validUntil datetime
    awardedDate datetime
    proof Proof*
    credentialSchema CredentialSchema*
    credentialStatus CredentialStatus
    refreshService RefreshService
    termsOfUse TermsOfUse*
    evidence Evidence*
"""

CLASSES: dict[str, Cls] = {
    "AchievementCredential": Cls(
        """
        @context context:ob
        id text
        type types:VerifiableCredential,AchievementCredential|OpenBadgeCredential
        name text
        description text
        image Image
        credentialSubject AchievementSubject
        endorsement EndorsementCredential*
        endorsementJwt jws*
        """
        + _CREDENTIAL_TAIL,
        "@context id type credentialSubject issuer validFrom",
    ),
    "EndorsementCredential": Cls(
        """
        @context context:ob
        id text
        type types:VerifiableCredential,EndorsementCredential
        name text
        description text
        credentialSubject EndorsementSubject
        """
        + _CREDENTIAL_TAIL,
        "@context id type name credentialSubject issuer validFrom",
    ),
    "ClrCredential": Cls(
        """
        @context context:clr
        id text
        type types:VerifiableCredential,ClrCredential
        name text
        description text
        image Image
        partial boolean
        credentialSubject ClrSubject
        endorsement EndorsementCredential*
        endorsementJwt jws*
        """
        + _CREDENTIAL_TAIL,
        "@context id type name credentialSubject issuer validFrom",
    ),
    # Any credential embedded in a CLR (the CLR schemas' generic credential).
    "VerifiableCredential": Cls(
        """
        @context context:vc
        id text
        type types:VerifiableCredential
        credentialSubject CredentialSubject
        issuer ProfileRef
        validFrom datetime
        validUntil datetime
        proof Proof*
        credentialSchema CredentialSchema*
        credentialStatus CredentialStatus
        refreshService RefreshService
        termsOfUse TermsOfUse*
        evidence Evidence*
        """,
        "@context type issuer validFrom credentialSubject",
    ),
    "CredentialSubject": Cls("id text"),
    "AchievementSubject": Cls(
        """
        id text
        type types:AchievementSubject
        achievement Achievement
        identifier IdentityObject*
        result Result*
        activityStartDate datetime
        activityEndDate datetime
        creditsEarned number
        licenseNumber text
        narrative text
        role text
        term text
        image Image
        source Profile
        """,
        "type achievement",
    ),
    "ClrSubject": Cls(
        """
        id text
        type types:ClrSubject
        identifier IdentityObject*
        achievement Achievement*
        verifiableCredential VerifiableCredential+
        association Association*
        """,
        "type verifiableCredential",
    ),
    "EndorsementSubject": Cls(
        """
        id text
        type types:EndorsementSubject
        endorsementComment text
        """,
        "id type",
    ),
    "Achievement": Cls(
        """
        id text
        type types:Achievement
        name text
        description text
        criteria Criteria
        achievementType vocab:AchievementType
        alignment Alignment*
        creator Profile
        creditsAvailable number
        endorsement EndorsementCredential*
        endorsementJwt jws*
        fieldOfStudy text
        humanCode text
        image Image
        inLanguage language
        otherIdentifier IdentifierEntry*
        related Related*
        resultDescription ResultDescription*
        specialization text
        tag text*
        version text
        """,
        "id type criteria description name",
    ),
    "Criteria": Cls("id text\nnarrative text"),
    "Alignment": Cls(
        """
        type types:Alignment
        targetName text
        targetUrl text
        targetCode text
        targetDescription text
        targetFramework text
        targetType vocab:AlignmentTargetType
        """,
        "type targetName targetUrl",
    ),
    "Related": Cls(
        """
        id text
        type types:Related
        inLanguage language
        version text
        """,
        "id type",
    ),
    "ResultDescription": Cls(
        """
        id text
        type types:ResultDescription
        name text
        resultType vocab:ResultType
        alignment Alignment*
        allowedValue text*
        requiredLevel text
        requiredValue text
        rubricCriterionLevel RubricCriterionLevel*
        valueMax text
        valueMin text
        """,
        "id type name resultType",
    ),
    "RubricCriterionLevel": Cls(
        """
        id text
        type types:RubricCriterionLevel
        name text
        description text
        alignment Alignment*
        level text
        points text
        """,
        "id type name",
    ),
    "Result": Cls(
        """
        type types:Result
        achievedLevel text
        alignment Alignment*
        resultDescription text
        status enum:ResultStatus
        value text
        """,
        "type",
    ),
    "IdentityObject": Cls(
        """
        type marker:IdentityObject
        hashed boolean
        identityHash text
        identityType vocab:IdentifierType
        salt text
        """,
        "type hashed identityHash identityType",
        closed=True,
    ),
    "IdentifierEntry": Cls(
        """
        type marker:IdentifierEntry
        identifier text
        identifierType vocab:IdentifierType
        """,
        "type identifier identifierType",
        closed=True,
    ),
    "Association": Cls(
        """
        type marker:Association
        associationType enum:AssociationType
        sourceId text
        targetId text
        """,
        "type associationType sourceId targetId",
        closed=True,
    ),
    "Image": Cls("id text\ntype marker:Image\ncaption text", "id type", closed=True),
    "Profile": Cls(
        """
        id text
        type types:Profile
        name text
        description text
        url text
        phone text
        email text
        image Image
        address Address
        official text
        parentOrg Profile
        otherIdentifier IdentifierEntry*
        endorsement EndorsementCredential*
        endorsementJwt jws*
        givenName text
        familyName text
        additionalName text
        patronymicName text
        familyNamePrefix text
        honorificPrefix text
        honorificSuffix text
        dateOfBirth date
        """,
        "id type",
    ),
    "Address": Cls(
        """
        type types:Address
        addressCountry text
        addressCountryCode text
        addressRegion text
        addressLocality text
        streetAddress text
        postOfficeBoxNumber text
        postalCode text
        geo GeoCoordinates
        """,
        "type",
    ),
    "GeoCoordinates": Cls(
        "type marker:GeoCoordinates\nlatitude number\nlongitude number",
        "type latitude longitude",
    ),
    "Proof": Cls(
        """
        type text
        created datetime
        cryptosuite text
        verificationMethod text
        proofPurpose text
        proofValue text
        challenge text
        domain text
        nonce text
        """,
        "type",
    ),
    "CredentialSchema": Cls("id text\ntype text", "id type"),
    "CredentialStatus": Cls("id text\ntype text", "type"),
    "RefreshService": Cls("id text\ntype text", "id type"),
    "TermsOfUse": Cls("id text\ntype text", "type"),
    "Evidence": Cls(
        """
        id text
        type types:Evidence
        name text
        description text
        narrative text
        genre text
        audience text
        """,
        "type",
    ),
    "GetOpenBadgeCredentialsResponse": Cls(
        "credential AchievementCredential*\ncompactJwsString jws*", closed=True
    ),
    "GetClrCredentialsResponse": Cls(
        "credential ClrCredential*\ncompactJwsString jws*", closed=True
    ),
    "Imsx_StatusInfo": Cls(
        """
        imsx_codeMajor enum:CodeMajor
        imsx_severity enum:Severity
        imsx_description text
        imsx_codeMinor Imsx_CodeMinor
        """,
        "imsx_codeMajor imsx_severity",
        closed=True,
    ),
    "Imsx_CodeMinor": Cls(
        "imsx_codeMinorField Imsx_CodeMinorField+", "imsx_codeMinorField", closed=True
    ),
    "Imsx_CodeMinorField": Cls(
        "imsx_codeMinorFieldName text\nimsx_codeMinorFieldValue enum:CodeMinor",
        "imsx_codeMinorFieldName imsx_codeMinorFieldValue",
        closed=True,
    ),
}

# Definitions that are not classes: building blocks every generated schema may refer to.
_BUILDING_BLOCKS: dict[str, dict[str, Any]] = {
    "LanguageMapKey": {"type": "string", "pattern": LANGUAGE_MAP_KEY},
    "LanguageMap": {
        "type": "object",
        "propertyNames": {"$ref": "#/$defs/LanguageMapKey"},
        "additionalProperties": {"type": "string"},
    },
    "Text": {"anyOf": [{"type": "string"}, {"$ref": "#/$defs/LanguageMap"}]},
    "ContextEntry": {"type": ["string", "object"]},
    "ProfileRef": {"anyOf": [{"$ref": "#/$defs/Profile"}, {"$ref": "#/$defs/Text"}]},
}


def _text_or_map(value: dict[str, Any]) -> dict[str, Any]:
    """``value``, or a language map whose every entry is ``value``."""
    language_map = {
        "type": "object",
        "propertyNames": {"$ref": "#/$defs/LanguageMapKey"},
        "additionalProperties": value,
    }
    return {"anyOf": [value, language_map]}


def _kind(kind: str) -> dict[str, Any]:
    """The schema of one value of ``kind`` (no cardinality suffix)."""
    head, _, argument = kind.partition(":")
    if kind == "text":
        return {"$ref": "#/$defs/Text"}
    if kind in ("datetime", "date"):
        return {"type": "string", "format": "date-time" if kind == "datetime" else "date"}
    if kind in ("number", "boolean"):
        return {"type": kind}
    if kind == "jws":
        return _text_or_map({"type": "string", "pattern": COMPACT_JWS})
    if kind == "language":
        return _text_or_map({"type": "string", "pattern": LANGUAGE_CODE})
    if head == "vocab":
        extension = {"type": "string", "pattern": EXTENSION_TERM}
        return {"anyOf": [{"enum": list(VOCABULARIES[argument])}, extension]}
    if head == "enum":
        return {"enum": list(ENUMERATIONS[argument])}
    if head == "marker":
        return _text_or_map({"const": argument})
    if head == "types":
        groups = [names.split("|") for names in argument.split(",")]
        wanted = [
            {"contains": {"const": names[0]} if len(names) == 1 else {"enum": names}}
            for names in groups
        ]
        array: dict[str, Any] = {"type": "array", "items": {"$ref": "#/$defs/Text"}}
        if len(wanted) == 1:
            array.update(wanted[0])
        else:
            array["allOf"] = wanted
        return {"anyOf": [{"$ref": "#/$defs/Text"}, array]}
    if head == "context":
        prefix = CONTEXT_PREFIXES[argument]
        listed = {
            "type": "array",
            "minItems": len(prefix),
            "items": list(prefix),
            "additionalItems": {"$ref": "#/$defs/ContextEntry"},
        }
        return {"anyOf": [{"$ref": "#/$defs/ContextEntry"}, listed]}
    if kind in CLASSES or kind in _BUILDING_BLOCKS:
        return {"$ref": f"#/$defs/{kind}"}
    raise ValueError(f"unknown value kind {kind!r}")


def _property(kind: str) -> dict[str, Any]:
    if kind.endswith(("*", "+")):
        single = _kind(kind[:-1])
        array: dict[str, Any] = {"type": "array", "items": single}
        if kind.endswith("+"):
            array["minItems"] = 1
        return {"anyOf": [single, array]}
    return _kind(kind)


def _properties(cls: Cls) -> Iterator[tuple[str, str]]:
    for line in cls.props.splitlines():
        if line.strip():
            name, kind = line.split()
            yield name, kind


def class_schema(name: str) -> dict[str, Any]:
    """The JSON Schema of class ``name`` (its references point into ``#/$defs``)."""
    cls = CLASSES[name]
    schema: dict[str, Any] = {"type": "object"}
    if cls.required:
        schema["required"] = cls.required.split()
    schema["properties"] = {prop: _property(kind) for prop, kind in _properties(cls)}
    if cls.closed:
        schema["additionalProperties"] = False
    return schema


def _references(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            yield ref.removeprefix("#/$defs/")
        for value in node.values():
            yield from _references(value)
    elif isinstance(node, list):
        for value in node:
            yield from _references(value)


def _definitions(root: str) -> dict[str, Any]:
    """Every definition reachable from class ``root``, sorted by name."""
    found: dict[str, Any] = {}
    pending = [root]
    while pending:
        name = pending.pop()
        if name in found:
            continue
        found[name] = class_schema(name) if name in CLASSES else _BUILDING_BLOCKS[name]
        pending.extend(_references(found[name]))
    return dict(sorted(found.items()))


@dataclass(frozen=True)
class Target:
    """One bundled schema: its file, the URL it is served for, and what it describes."""

    file: str
    url: str
    root: str
    spec: str
    aliases: tuple[str, ...] = ()


def _targets() -> list[Target]:
    targets = []
    for name, root in (
        ("achievementcredential", "AchievementCredential"),
        ("endorsementcredential", "EndorsementCredential"),
        ("profile", "Profile"),
        ("getopenbadgecredentialsresponse", "GetOpenBadgeCredentialsResponse"),
        ("imsx_statusinfo", "Imsx_StatusInfo"),
    ):
        file = f"ob_v3p0_{name}_schema.json"
        alias = f"{OB}json-ld/{file}"
        targets.append(Target(file, f"{OB}json/{file}", root, "Open Badges 3.0", (alias,)))
    for name, root in (
        ("clrcredential", "ClrCredential"),
        ("achievementcredential", "AchievementCredential"),
        ("endorsementcredential", "EndorsementCredential"),
        ("profile", "Profile"),
        ("getclrcredentialsresponse", "GetClrCredentialsResponse"),
        ("imsx_statusinfo", "Imsx_StatusInfo"),
    ):
        file = f"clr_v2p0_{name}_schema.json"
        targets.append(Target(file, f"{CLR}json/{file}", root, "CLR 2.0"))
    return targets


def model_schema(target: Target) -> dict[str, Any]:
    """The generated OB 3.0 / CLR 2.0 schema for ``target``."""
    return {
        "$schema": DRAFT_2019_09,
        "$id": target.url,
        "title": f"{target.root} ({target.spec}), generated by vcbadge",
        "$comment": (
            "Written by the vcbadge project (scripts/generate_schemas.py) from its own "
            "description of the data model; not the document published at this URL. It accepts "
            "and rejects the same documents (checked against the published schema in vcbadge's "
            "tests)."
        ),
        "$ref": f"#/$defs/{target.root}",
        "$defs": _definitions(target.root),
    }


def _vc_shared() -> dict[str, Any]:
    """Building blocks of the two W3C VC 2.0 schemas."""
    type_value = {"anyOf": [{"type": "string"}, {"type": "array", "minItems": 1}]}
    method = {
        "type": "object",
        "required": ["id", "type", "controller"],
        "properties": {key: {"type": "string"} for key in ("id", "type", "controller")},
    }
    return {
        "TypeValue": type_value,
        "DateTimeText": {"type": "string", "pattern": DATE_TIME},
        "VerificationMethod": {
            "anyOf": [
                {"type": "string"},
                {"type": "array", "minItems": 1, "items": method},
            ]
        },
    }


def _one_or_more(ref: str) -> dict[str, Any]:
    single = {"$ref": ref}
    return {"anyOf": [single, {"type": "array", "minItems": 1, "items": single}]}


def _typed_object(required: list[str]) -> dict[str, Any]:
    return {
        "type": "object",
        "required": required,
        "properties": {"id": {"type": "string"}, "type": {"$ref": "#/$defs/TypeValue"}},
    }


def _vc_proof(*, created_required: bool) -> dict[str, Any]:
    strings = {key: {"type": "string"} for key in ("proofPurpose", "domain", "challenge")}
    required = ["type", "proofPurpose", "verificationMethod"]
    if created_required:
        required.append("created")
    return {
        "type": "object",
        "required": required,
        "properties": {
            "type": {"$ref": "#/$defs/TypeValue"},
            "verificationMethod": {"$ref": "#/$defs/VerificationMethod"},
            "created": (
                {"$ref": "#/$defs/DateTimeText"} if created_required else {"type": "string"}
            ),
            "proofValue": {"type": "string"},
            **strings,
        },
    }


def vc_credential_schema() -> dict[str, Any]:
    """vcbadge's schema for the W3C VC 2.0 credential schema URL (draft 2020-12)."""
    context_entry = {
        "anyOf": [
            {"type": "string", "minLength": 1},
            {
                "type": "object",
                "minProperties": 1,
                "propertyNames": {"minLength": 1},
            },
        ]
    }
    defs = _vc_shared()
    defs.update(
        {
            "Subject": {
                "type": "object",
                "minProperties": 1,
                "properties": {"id": {"type": "string"}},
            },
            "Schema": _typed_object(["id", "type"]),
            "Status": _typed_object(["type"]),
            "Refresh": _typed_object(["id", "type"]),
            "Terms": _typed_object(["type"]),
            "Evidence": _typed_object(["type"]),
            "Proof": _vc_proof(created_required=False),
        }
    )
    return {
        "$schema": DRAFT_2020_12,
        "$id": f"{W3C}verifiable-credential-schema.json",
        "title": "Verifiable Credential (W3C VC Data Model 2.0), generated by vcbadge",
        "$comment": (
            "Written by the vcbadge project (scripts/generate_schemas.py); not the W3C document. "
            "It accepts and rejects the same documents."
        ),
        "type": "object",
        "required": ["@context", "type", "issuer", "credentialSubject"],
        "properties": {
            "@context": {
                "type": "array",
                "minItems": 1,
                "prefixItems": [{"const": VC2_CONTEXT}],
                "items": context_entry,
                "uniqueItems": True,
            },
            "id": {"type": "string"},
            "type": {
                "anyOf": [
                    {"const": "VerifiableCredential"},
                    {"type": "array", "contains": {"const": "VerifiableCredential"}},
                ]
            },
            "issuer": {
                "anyOf": [
                    {"type": "string"},
                    {
                        "type": "object",
                        "required": ["id"],
                        "properties": {"id": {"type": "string"}},
                    },
                ]
            },
            "validFrom": {"$ref": "#/$defs/DateTimeText"},
            "validUntil": {"$ref": "#/$defs/DateTimeText"},
            "credentialSubject": _one_or_more("#/$defs/Subject"),
            "credentialStatus": _one_or_more("#/$defs/Status"),
            "credentialSchema": _one_or_more("#/$defs/Schema"),
            "refreshService": _one_or_more("#/$defs/Refresh"),
            "termsOfUse": _one_or_more("#/$defs/Terms"),
            "evidence": _one_or_more("#/$defs/Evidence"),
            "proof": _one_or_more("#/$defs/Proof"),
        },
        "$defs": defs,
    }


def vc_presentation_schema() -> dict[str, Any]:
    """vcbadge's schema for the W3C VC 2.0 presentation schema URL (draft 2020-12)."""
    credential = f"{W3C}verifiable-credential-schema.json"
    defs = _vc_shared()
    defs["Proof"] = _vc_proof(created_required=True)
    return {
        "$schema": DRAFT_2020_12,
        "$id": f"{W3C}verifiable-presentation-schema.json",
        "title": "Verifiable Presentation (W3C VC Data Model 2.0), generated by vcbadge",
        "$comment": (
            "Written by the vcbadge project (scripts/generate_schemas.py); not the W3C document. "
            "It accepts and rejects the same documents."
        ),
        "type": "object",
        "required": ["@context", "type"],
        "properties": {
            "@context": {"type": "array", "contains": {"const": VC2_CONTEXT}},
            "id": {"type": "string"},
            "type": {
                "anyOf": [
                    {"const": "VerifiablePresentation"},
                    {"type": "array", "contains": {"const": "VerifiablePresentation"}},
                ]
            },
            "verifiableCredential": _one_or_more(credential),
            "proof": _one_or_more("#/$defs/Proof"),
            "proofChain": {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/Proof"}},
        },
        "$defs": defs,
    }


def _dump(document: Mapping[str, Any]) -> bytes:
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def build() -> dict[str, bytes]:
    """Every file of ``schemas/`` (the manifest included) as it should be, by file name."""
    files: dict[str, bytes] = {}
    entries: list[dict[str, Any]] = []

    def add(file: str, url: str, document: Mapping[str, Any], aliases: tuple[str, ...]) -> None:
        data = _dump(document)
        files[file] = data
        entry: dict[str, Any] = {
            "url": url,
            "file": file,
            "sha256": hashlib.sha256(data).hexdigest(),
        }
        if aliases:
            entry["aliases"] = list(aliases)
        entries.append(entry)

    for target in _targets():
        add(target.file, target.url, model_schema(target), target.aliases)
    add(
        "w3c_vc2_verifiable-credential-schema.json",
        f"{W3C}verifiable-credential-schema.json",
        vc_credential_schema(),
        (),
    )
    add(
        "w3c_vc2_verifiable-presentation-schema.json",
        f"{W3C}verifiable-presentation-schema.json",
        vc_presentation_schema(),
        (),
    )
    manifest = {
        "description": (
            "JSON Schemas bundled with vcbadge, one entry per published schema URL. 'file' is "
            "relative to this folder and 'sha256' is the SHA-256 of its bytes (checked when "
            "vcbadge loads it). Every file is generated by scripts/generate_schemas.py from "
            "the project's own description of the data model; none is a copy of the published "
            "document. 'aliases' are further URLs served with the same document (the OB 3.0 "
            "/schema/json-ld/ URLs of later releases)."
        ),
        "generator": "scripts/generate_schemas.py",
        "schemas": entries,
    }
    files[MANIFEST] = _dump(manifest)
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only report stale files")
    args = parser.parse_args(argv)
    wanted = build()
    stale = sorted(
        name
        for name, data in wanted.items()
        if not (SCHEMAS / name).is_file() or (SCHEMAS / name).read_bytes() != data
    )
    extra = (
        sorted(path.name for path in SCHEMAS.glob("*.json") if path.name not in wanted)
        if SCHEMAS.is_dir()
        else []
    )
    if args.check:
        for name in stale:
            print(f"stale: schemas/{name}", file=sys.stderr)
        for name in extra:
            print(f"not generated: schemas/{name}", file=sys.stderr)
        return 1 if stale or extra else 0
    SCHEMAS.mkdir(exist_ok=True)
    for name in stale:
        (SCHEMAS / name).write_bytes(wanted[name])
        print(f"wrote schemas/{name}")
    for name in extra:
        (SCHEMAS / name).unlink()
        print(f"removed schemas/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
