"""What is recognised: Achievement, its Criteria, and how results are described
(ResultDescription with RubricCriterionLevel)."""

from __future__ import annotations

from vcbadge.model.base import URI, Number, OBModel, OneOrMany, types_default
from vcbadge.model.common import Alignment, IdentifierEntry, Image, Related
from vcbadge.model.envelope import EndorsementCredential, Profile
from vcbadge.model.vocabulary import ACHIEVEMENT_TYPES, RESULT_TYPES

__all__ = [
    "ACHIEVEMENT_TYPES",
    "RESULT_TYPES",
    "Achievement",
    "Criteria",
    "ResultDescription",
    "RubricCriterionLevel",
]


class Criteria(OBModel):
    """How the achievement is earned: a URL and/or a narrative (Markdown allowed)."""

    id: URI | None = None
    narrative: str | None = None


class RubricCriterionLevel(OBModel):
    """One level of a rubric criterion (e.g. "Proficient", 3 points)."""

    id: URI
    type: OneOrMany[str] = types_default("RubricCriterionLevel")
    name: str
    alignment: OneOrMany[Alignment] | None = None
    description: str | None = None
    level: str | None = None
    points: str | None = None


class ResultDescription(OBModel):
    """What kind of result an achievement records: a score, a grade, a rubric, a status."""

    id: URI
    type: OneOrMany[str] = types_default("ResultDescription")
    name: str
    result_type: str
    alignment: OneOrMany[Alignment] | None = None
    allowed_value: OneOrMany[str] | None = None
    required_level: URI | None = None
    required_value: str | None = None
    rubric_criterion_level: OneOrMany[RubricCriterionLevel] | None = None
    value_max: str | None = None
    value_min: str | None = None


class Achievement(OBModel):
    """What is recognised: a course completion, a skill, a certification..."""

    id: URI
    type: OneOrMany[str] = types_default("Achievement")
    name: str
    description: str
    criteria: Criteria
    image: Image | None = None
    achievement_type: str | None = None
    alignment: OneOrMany[Alignment] | None = None
    creator: Profile | None = None
    credits_available: Number | None = None
    endorsement: OneOrMany[EndorsementCredential] | None = None
    endorsement_jwt: OneOrMany[str] | None = None
    field_of_study: str | None = None
    human_code: str | None = None
    in_language: str | None = None
    other_identifier: OneOrMany[IdentifierEntry] | None = None
    related: OneOrMany[Related] | None = None
    result_description: OneOrMany[ResultDescription] | None = None
    specialization: str | None = None
    tag: OneOrMany[str] | None = None
    version: str | None = None
