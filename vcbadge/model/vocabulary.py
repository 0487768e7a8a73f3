"""The Open Badges 3.0 / CLR 2.0 vocabularies and context URLs, as plain data.

A leaf of ``vcbadge.model``: the model classes and the MUST rules (``vcbadge.model.rules``) both
read these, so neither has to import the other.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from vcbadge.vcdm import VC_V1, VC_V2, type_list

__all__ = [
    "ACHIEVEMENT_TYPES",
    "ALIGNMENT_TARGET_TYPES",
    "ASSOCIATION_TYPES",
    "CLR_CONTEXT",
    "EXTENSION_TYPES",
    "IDENTIFIER_TYPES",
    "OB_CONTEXT",
    "OB_EXTENSIONS_CONTEXT",
    "RESULT_STATUSES",
    "RESULT_TYPES",
    "VC_V1_CONTEXT",
    "VC_V2_CONTEXT",
    "uses_extensions",
]

# The model's names of the VC base contexts (the facts are vcbadge.vcdm's).
VC_V2_CONTEXT = VC_V2
VC_V1_CONTEXT = VC_V1
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB_EXTENSIONS_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"
CLR_CONTEXT = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"

EXTENSION_TYPES: Mapping[str, str] = {
    "credentialSchema": "1EdTechJsonSchemaValidator2019",
    "credentialStatus": "1EdTechRevocationList",
    "refreshService": "1EdTechCredentialRefresh",
}
"""Member → the type value of it that only the OB extensions context defines."""

ACHIEVEMENT_TYPES = frozenset(
    [
        "Achievement",
        "ApprenticeshipCertificate",
        "Assessment",
        "Assignment",
        "AssociateDegree",
        "Award",
        "Badge",
        "BachelorDegree",
        "Certificate",
        "CertificateOfCompletion",
        "Certification",
        "CommunityService",
        "Competency",
        "Course",
        "CoCurricular",
        "Degree",
        "Diploma",
        "DoctoralDegree",
        "Fieldwork",
        "GeneralEducationDevelopment",
        "JourneymanCertificate",
        "LearningProgram",
        "License",
        "Membership",
        "ProfessionalDoctorate",
        "QualityAssuranceCredential",
        "MasterCertificate",
        "MasterDegree",
        "MicroCredential",
        "ResearchDoctorate",
        "SecondarySchoolDiploma",
    ]
)
"""The AchievementType vocabulary; other values must be ``ext:`` extensions."""

RESULT_TYPES = frozenset(
    [
        "GradePointAverage",
        "LetterGrade",
        "Percent",
        "PerformanceLevel",
        "PredictedScore",
        "RawScore",
        "Result",
        "RubricCriterion",
        "RubricCriterionLevel",
        "RubricScore",
        "ScaledScore",
        "Status",
    ]
)
"""The ResultType vocabulary; other values must be ``ext:`` extensions."""

ASSOCIATION_TYPES = frozenset(
    [
        "exactMatchOf",
        "isChildOf",
        "isParentOf",
        "isPartOf",
        "isPeerOf",
        "isRelatedTo",
        "precedes",
        "replacedBy",
    ]
)
"""The AssociationType vocabulary."""

RESULT_STATUSES = frozenset(
    {"Completed", "Enrolled", "Failed", "InProgress", "OnHold", "Provisional", "Withdrew"}
)
"""The ResultStatusType vocabulary (``Result.status``)."""

IDENTIFIER_TYPES = frozenset(
    [
        "name",
        "sourcedId",
        "systemId",
        "productId",
        "userName",
        "accountId",
        "emailAddress",
        "nationalIdentityNumber",
        "isbn",
        "issn",
        "lisSourcedId",
        "oneRosterSourcedId",
        "sisSourcedId",
        "ltiContextId",
        "ltiDeploymentId",
        "ltiToolId",
        "ltiPlatformId",
        "ltiUserId",
        "identifier",
    ]
)
ALIGNMENT_TARGET_TYPES = frozenset(
    [
        "ceasn:Competency",
        "ceterms:Credential",
        "CFItem",
        "CFRubric",
        "CFRubricCriterion",
        "CFRubricCriterionLevel",
        "CTDL",
    ]
)


def uses_extensions(document: Mapping[str, Any]) -> bool:
    """Whether the credential uses a type only the OB extensions context defines."""
    for member, extension_type in EXTENSION_TYPES.items():
        for entry in type_list(document.get(member)):
            if isinstance(entry, Mapping) and extension_type in type_list(entry.get("type")):
                return True
    return False
