"""Whole-document validation: pick the model class a JSON object is, parse it, and apply the
spec's MUST rules (``vcbadge.model.rules``), so every problem comes back in one list."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from vcbadge._json import one_or_many_with_pointers
from vcbadge.errors import Issue, ModelError
from vcbadge.model.achievement import Achievement
from vcbadge.model.base import OBModel
from vcbadge.model.clr import ClrCredential
from vcbadge.model.credential import AchievementCredential, EndorsementCredential
from vcbadge.model.profile import Profile
from vcbadge.model.rules import check, kind_of

__all__ = ["model_class_for", "validate_document"]

_CLASSES: Mapping[str, type[OBModel]] = {
    "ClrCredential": ClrCredential,
    "EndorsementCredential": EndorsementCredential,
    "AchievementCredential": AchievementCredential,
    "OpenBadgeCredential": AchievementCredential,
    "Achievement": Achievement,
    "Profile": Profile,
}


def model_class_for(document: Mapping[str, Any]) -> type[OBModel] | None:
    """The model class for a JSON object, judged by its ``type``."""
    kind = kind_of(document)
    return _CLASSES.get(kind) if kind else None


def validate_document(document: Mapping[str, Any], *, kind: str | None = None) -> list[Issue]:
    """Every problem of ``document``: JSON types, required members and formats (the model
    parser) and the spec's MUST rules, each with its JSON pointer; empty when it is valid.

    The nested credentials of a CLR are checked too (they are carried unchanged, so the
    parser does not look inside them).
    """
    found: list[Issue] = []
    cls = model_class_for({"type": kind}) if kind else model_class_for(document)
    if cls is not None:
        try:
            cls.from_json(document)
        except ModelError as error:
            found.extend(error.issues)
    found.extend(check(document, kind=kind))
    subject = document.get("credentialSubject")
    if (kind or kind_of(document)) == "ClrCredential" and isinstance(subject, Mapping):
        base = "/credentialSubject/verifiableCredential"
        for item, item_path in one_or_many_with_pointers(subject.get("verifiableCredential"), base):
            if isinstance(item, Mapping):
                found.extend(
                    Issue(item_path + issue.path, issue.message, issue.code)
                    for issue in validate_document(item)
                )
    unique: dict[tuple[str, str], Issue] = {}
    for issue in found:
        unique.setdefault((issue.path, issue.message), issue)
    return list(unique.values())
