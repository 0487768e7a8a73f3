"""The MUST rules of the OB 3.0 / CLR 2.0 data model that JSON types alone do not express.

The rules read the JSON as received (not a model), so every problem is reported at the exact
JSON pointer of the input, whichever form (single value or array) the input used. Wrong JSON
types are the parser's business (``Class.from_json``); here a member of an unexpected shape is
skipped, not reported twice. :func:`validate_document` runs both.

Verification applies a subset of these rules (:func:`verification_issues`): those that say what
an Open Badge claims, about whom and by whom, which the 1EdTech JSON Schema for the credential
also requires. Each rule says here, once, whether verification applies it and with which code
(``ob_type_missing``, ``ob_member_missing``, ``ob_subject_unidentified``); ``validate`` reports
every rule as ``model_invalid``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from vcbadge._json import join_pointer, one_or_many_with_pointers
from vcbadge._time import parse_datetime
from vcbadge.errors import Issue
from vcbadge.model.vocabulary import (
    ACHIEVEMENT_TYPES,
    ALIGNMENT_TARGET_TYPES,
    ASSOCIATION_TYPES,
    CLR_CONTEXT,
    EXTENSION_TYPES,
    IDENTIFIER_TYPES,
    OB_EXTENSIONS_CONTEXT,
    RESULT_STATUSES,
    RESULT_TYPES,
    uses_extensions,
)
from vcbadge.vcdm import credential_problems, data_model_version, is_url, type_list

__all__ = [
    "CREDENTIAL_KINDS",
    "VERIFICATION_CODES",
    "check",
    "data_model_issues",
    "kind_of",
    "verification_issues",
    "verification_kind",
]

_EXT = re.compile(r"^ext:[A-Za-z0-9.\-_]+$")
_IDENTITY_HASH = re.compile(r"^(sha256\$[0-9a-fA-F]{64}|md5\$[0-9a-fA-F]{32})$")
_OB_CONTEXT = re.compile(
    r"^https://purl\.imsglobal\.org/spec/ob/v3p0/context(-3\.\d+\.\d+)?\.json$"
)
_CLR_CONTEXTS = (CLR_CONTEXT, "https://purl.imsglobal.org/spec/clr/v2p0/context.json")

CREDENTIAL_KINDS = {
    "AchievementCredential": ("AchievementCredential", "OpenBadgeCredential"),
    "OpenBadgeCredential": ("AchievementCredential", "OpenBadgeCredential"),
    "EndorsementCredential": ("EndorsementCredential",),
    "ClrCredential": ("ClrCredential",),
}


# The codes of the rules verification applies (see verification_issues).
_TYPE = "ob_type_missing"
_MEMBER = "ob_member_missing"
_UNIDENTIFIED = "ob_subject_unidentified"
VERIFICATION_CODES = (_TYPE, _MEMBER, _UNIDENTIFIED)
"""The codes :func:`verification_issues` gives, one per kind of rule."""

_Check = Callable[..., None]
"""A check of one JSON object: ``check(obj, path, *args)``."""


class _Rules:
    def __init__(self, *, nested_credentials: bool = True, verifying: bool = False) -> None:
        self.found: list[Issue] = []
        self.verified: list[Issue] = []
        """The problems with a rule verification applies, under that rule's own code."""
        # Verification checks an endorsement in its own run (nested_credential), not here.
        self.nested_credentials = nested_credentials
        # Verifying: only ``verified`` is read, so the rules only validation applies (and the
        # data model rules, the verifier's envelope step) are not worked out at all.
        self.verifying = verifying

    def add(
        self, path: str, message: str, code: str = "model_invalid", *, verify: str | None = None
    ) -> None:
        """Record a problem; ``verify`` is the code of a rule verification applies too."""
        if not self.verifying:
            self.found.append(Issue(path, message, code))
        if verify is not None:
            self.verified.append(Issue(path, message, verify))

    # -- helpers -----------------------------------------------------------------------

    # Every object of an OB 3.0 / CLR 2.0 class must say its class: verification applies the
    # type rules everywhere, as the 1EdTech validator's type probes do.

    def type_includes(self, obj: Mapping[str, Any], path: str, wanted: str) -> None:
        if "type" not in obj:
            self.add(
                join_pointer(path, "type"),
                f"type is required and must include {wanted!r}",
                verify=_TYPE,
            )
        elif wanted not in type_list(obj["type"]):
            self.add(join_pointer(path, "type"), f"type must include {wanted!r}", verify=_TYPE)

    def type_is(self, obj: Mapping[str, Any], path: str, wanted: str) -> None:
        if obj.get("type") != wanted:
            self.add(join_pointer(path, "type"), f"type must be {wanted!r}", verify=_TYPE)

    def required(
        self, obj: Mapping[str, Any], path: str, *members: str, verify: bool = False
    ) -> None:
        for member in members:
            if member not in obj:
                self.add(
                    join_pointer(path, member),
                    f"{member} is required",
                    verify=_MEMBER if verify else None,
                )

    def identified(self, subject: Mapping[str, Any], path: str) -> None:
        if "id" not in subject and "identifier" not in subject:
            self.add(path, "either id or at least one identifier is required", verify=_UNIDENTIFIED)

    def uri(self, obj: Mapping[str, Any], path: str, *members: str) -> None:
        if self.verifying:
            return  # validation only
        for member in members:
            value = obj.get(member)
            if isinstance(value, str) and not is_url(value):
                self.add(join_pointer(path, member), f"{member} must be an absolute URI")

    def vocabulary(
        self, obj: Mapping[str, Any], path: str, member: str, allowed: frozenset[str]
    ) -> None:
        value = obj.get(member)
        if self.verifying:
            return  # validation only
        if isinstance(value, str) and value not in allowed and not _EXT.match(value):
            self.add(
                join_pointer(path, member),
                f"{member} {value!r} is not in the vocabulary and not an 'ext:' extension",
            )

    def each(self, obj: Mapping[str, Any], path: str, member: str) -> Iterator[tuple[Any, str]]:
        value = obj.get(member)
        if value is None:
            return  # most optional members are absent: no pointer to build
        for item, item_path in one_or_many_with_pointers(value, join_pointer(path, member)):
            if isinstance(item, Mapping):
                yield item, item_path

    def check_each(
        self, obj: Mapping[str, Any], path: str, member: str, check: _Check, *args: Any
    ) -> None:
        """Run ``check(item, item_path, *args)`` on every object in ``obj[member]``."""
        for item, item_path in self.each(obj, path, member):
            check(item, item_path, *args)

    def check_one(
        self, obj: Mapping[str, Any], path: str, member: str, check: _Check, *args: Any
    ) -> None:
        """Run ``check(value, value_path, *args)`` on ``obj[member]`` when it is an object."""
        value = obj.get(member)
        if isinstance(value, Mapping):
            check(value, join_pointer(path, member), *args)

    def endorsements(self, obj: Mapping[str, Any], path: str, inherited: tuple[Any, ...]) -> None:
        """Check every ``endorsement`` of ``obj`` as an EndorsementCredential."""
        if not self.nested_credentials:
            return
        self.check_each(
            obj, path, "endorsement", self.credential, "EndorsementCredential", inherited
        )

    # -- classes -----------------------------------------------------------------------

    def credential(
        self, doc: Mapping[str, Any], path: str, kind: str, inherited: tuple[Any, ...] = ()
    ) -> None:
        # An embedded credential (an endorsement) is in the scope of the enclosing @context
        # too, as JSON-LD processes it.
        self.envelope(doc, path, kind, inherited)
        contexts = doc.get("@context")
        inherited = (*inherited, *(contexts if isinstance(contexts, list) else [contexts]))
        subject = doc.get("credentialSubject")
        subject_path = join_pointer(path, "credentialSubject")
        if isinstance(subject, Mapping):
            if kind in ("AchievementCredential", "OpenBadgeCredential"):
                self.achievement_subject(subject, subject_path, inherited)
            elif kind == "EndorsementCredential":
                self.type_includes(subject, subject_path, "EndorsementSubject")
                self.required(subject, subject_path, "id", verify=True)
            elif kind == "ClrCredential":
                self.clr_subject(subject, subject_path, inherited)
        elif "credentialSubject" in doc and not self.nested_credentials:
            # Verification only: validation's parser already refuses another JSON type.
            self.verified.append(
                Issue(subject_path, f"a {kind} has one credentialSubject object", _TYPE)
            )
        self.endorsements(doc, path, inherited)
        self.check_one(doc, path, "issuer", self.profile, inherited)
        self.check_one(doc, path, "image", self.image)
        for item, item_path in self.each(doc, path, "evidence"):
            # A missing type, or a bad id, is a data model problem, reported by vcdm.
            if "type" in item:
                self.type_includes(item, item_path, "Evidence")

    def envelope(
        self, doc: Mapping[str, Any], path: str, kind: str, inherited: tuple[Any, ...]
    ) -> None:
        # The VC data model's own rules are vcbadge.vcdm's, exactly as the verifier applies
        # them; what follows are only the rules OB 3.0 / CLR 2.0 add to the envelope.
        if not self.verifying:
            self.found.extend(data_model_issues(doc, path))
        version = data_model_version(doc)
        contexts = doc.get("@context")
        context_path = join_pointer(path, "@context")
        listed = contexts if isinstance(contexts, list) else [contexts]
        if version is not None:
            if not _lists_ob_context(listed):
                self.add(context_path, "@context must list an Open Badges 3.0 context")
            if kind == "ClrCredential" and not _lists_clr_context(listed):
                self.add(context_path, f"@context must list the CLR 2.0 context {CLR_CONTEXT}")
            in_scope = (*inherited, *listed)
            if uses_extensions(doc) and OB_EXTENSIONS_CONTEXT not in in_scope:
                used = ", ".join(
                    extension_type
                    for member, extension_type in EXTENSION_TYPES.items()
                    if uses_extensions({member: doc.get(member)})
                )
                self.add(
                    context_path,
                    f"{used} is defined only by {OB_EXTENSIONS_CONTEXT}, which @context must "
                    "list (a strict canonicalizer refuses the credential otherwise)",
                    "extensions_context_missing",
                )
        accepted = CREDENTIAL_KINDS.get(kind, (kind,))
        if "type" in doc and not any(name in type_list(doc["type"]) for name in accepted):
            self.add(
                join_pointer(path, "type"),
                f"type must include {' or '.join(map(repr, accepted))}",
                verify=_TYPE,
            )
        # VC 2.0 makes id and validFrom optional; OB 3.0 requires them (name is descriptive:
        # validation only).
        self.required(doc, path, "id", verify=True)
        self.required(doc, path, "name")
        if version == "2.0":
            self.required(doc, path, "validFrom", verify=True)
            self.check_each(doc, path, "refreshService", self.required, "id")
        awarded = doc.get("awardedDate")
        if isinstance(awarded, str):
            try:
                parse_datetime(awarded)
            except ValueError as exc:
                self.add(join_pointer(path, "awardedDate"), str(exc))

    def achievement_subject(
        self, subject: Mapping[str, Any], path: str, inherited: tuple[Any, ...] = ()
    ) -> None:
        self.type_includes(subject, path, "AchievementSubject")
        self.identified(subject, path)
        self.uri(subject, path, "id")
        achievement = subject.get("achievement")
        if isinstance(achievement, Mapping):
            self.achievement(achievement, join_pointer(path, "achievement"), inherited)
        elif "achievement" not in subject:
            self.add(join_pointer(path, "achievement"), "achievement is required", verify=_MEMBER)
        self.check_each(subject, path, "identifier", self.identity)
        for item, item_path in self.each(subject, path, "result"):
            self.type_includes(item, item_path, "Result")
            self.vocabulary(item, item_path, "status", RESULT_STATUSES)
            self.uri(item, item_path, "resultDescription", "achievedLevel")
            self.check_each(item, item_path, "alignment", self.alignment)
        self.check_one(subject, path, "source", self.profile, inherited)
        self.check_one(subject, path, "image", self.image)

    def achievement(
        self, achievement: Mapping[str, Any], path: str, inherited: tuple[Any, ...] = ()
    ) -> None:
        self.type_includes(achievement, path, "Achievement")
        self.required(achievement, path, "id", "name", "description", "criteria", verify=True)
        self.uri(achievement, path, "id")
        self.vocabulary(achievement, path, "achievementType", ACHIEVEMENT_TYPES)
        criteria = achievement.get("criteria")
        if isinstance(criteria, Mapping):
            if "id" not in criteria and "narrative" not in criteria:
                self.add(
                    join_pointer(path, "criteria"),
                    "criteria needs an id or a narrative",
                    verify=_MEMBER,
                )
            self.uri(criteria, join_pointer(path, "criteria"), "id")
        self.check_one(achievement, path, "creator", self.profile, inherited)
        self.check_one(achievement, path, "image", self.image)
        self.check_each(achievement, path, "alignment", self.alignment)
        for item, item_path in self.each(achievement, path, "related"):
            self.type_includes(item, item_path, "Related")
            self.uri(item, item_path, "id")
        self.check_each(achievement, path, "otherIdentifier", self.identifier_entry)
        self.check_each(achievement, path, "resultDescription", self.result_description)
        self.endorsements(achievement, path, inherited)

    def result_description(self, description: Mapping[str, Any], path: str) -> None:
        self.type_includes(description, path, "ResultDescription")
        self.vocabulary(description, path, "resultType", RESULT_TYPES)
        self.uri(description, path, "id", "requiredLevel")
        for item, item_path in self.each(description, path, "rubricCriterionLevel"):
            self.type_includes(item, item_path, "RubricCriterionLevel")
            self.uri(item, item_path, "id")
            self.check_each(item, item_path, "alignment", self.alignment)
        self.check_each(description, path, "alignment", self.alignment)

    def alignment(self, alignment: Mapping[str, Any], path: str) -> None:
        self.type_includes(alignment, path, "Alignment")
        self.uri(alignment, path, "targetUrl")
        self.vocabulary(alignment, path, "targetType", ALIGNMENT_TARGET_TYPES)

    def profile(
        self, profile: Mapping[str, Any], path: str, inherited: tuple[Any, ...] = ()
    ) -> None:
        self.type_includes(profile, path, "Profile")
        self.required(profile, path, "id", verify=True)
        self.uri(profile, path, "id", "url")
        self.check_each(profile, path, "otherIdentifier", self.identifier_entry)
        self.check_one(profile, path, "parentOrg", self.profile, inherited)
        self.check_one(profile, path, "image", self.image)
        self.check_one(profile, path, "address", self.address)
        self.endorsements(profile, path, inherited)

    def address(self, address: Mapping[str, Any], path: str) -> None:
        self.type_includes(address, path, "Address")
        self.check_one(address, path, "geo", self.type_is, "GeoCoordinates")

    def image(self, image: Mapping[str, Any], path: str) -> None:
        self.type_is(image, path, "Image")
        self.uri(image, path, "id")

    def identity(self, identity: Mapping[str, Any], path: str) -> None:
        self.type_is(identity, path, "IdentityObject")
        self.vocabulary(identity, path, "identityType", IDENTIFIER_TYPES)
        value = identity.get("identityHash")
        hashed = identity.get("hashed") is True
        if hashed and isinstance(value, str) and not _IDENTITY_HASH.match(value):
            self.add(
                join_pointer(path, "identityHash"),
                "a hashed identity must be 'sha256$' + 64 hex digits (or 'md5$' + 32)",
            )

    def identifier_entry(self, entry: Mapping[str, Any], path: str) -> None:
        self.type_is(entry, path, "IdentifierEntry")
        self.vocabulary(entry, path, "identifierType", IDENTIFIER_TYPES)

    def clr_subject(
        self, subject: Mapping[str, Any], path: str, inherited: tuple[Any, ...] = ()
    ) -> None:
        self.type_includes(subject, path, "ClrSubject")
        self.uri(subject, path, "id")
        self.identified(subject, path)
        self.check_each(subject, path, "identifier", self.identity)
        self.check_each(subject, path, "achievement", self.achievement, inherited)
        credentials = subject.get("verifiableCredential")
        if credentials is None or credentials == []:
            self.add(
                join_pointer(path, "verifiableCredential"),
                "a CLR must bundle at least one verifiableCredential",
                verify=_MEMBER,
            )
        for item, item_path in self.each(subject, path, "association"):
            self.type_is(item, item_path, "Association")
            self.vocabulary(item, item_path, "associationType", ASSOCIATION_TYPES)
            self.uri(item, item_path, "sourceId", "targetId")


def kind_of(document: Mapping[str, Any]) -> str | None:
    """The OB/CLR class a JSON object is, judged by its ``type`` (None if none applies)."""
    types = type_list(document.get("type"))
    for name in ("ClrCredential", "EndorsementCredential", "AchievementCredential"):
        if name in types:
            return name
    if "OpenBadgeCredential" in types:
        return "OpenBadgeCredential"
    for name in ("Achievement", "Profile"):
        if name in types:
            return name
    return None


def check(document: Mapping[str, Any], *, kind: str | None = None, path: str = "") -> list[Issue]:
    """The MUST-rule problems of ``document`` (a credential, Achievement or Profile as JSON).

    ``kind`` is the class name (``AchievementCredential``, ``EndorsementCredential``,
    ``ClrCredential``, ``Achievement``, ``Profile``); by default it is read from ``type``.
    Classes without rules of their own give no problems.
    """
    rules = _Rules()
    kind = kind or kind_of(document)
    if kind in CREDENTIAL_KINDS:
        rules.credential(document, path, kind)
    elif kind == "Achievement":
        rules.achievement(document, path)
    elif kind == "Profile":
        rules.profile(document, path)
    elif kind is None:
        rules.add(
            join_pointer(path, "type"),
            "not an Open Badges 3.0 or CLR 2.0 credential, Achievement or Profile",
        )
    return rules.found


def verification_kind(document: Mapping[str, Any]) -> str | None:
    """The OB 3.0 / CLR 2.0 credential class whose rules verification applies to ``document``,
    or None for a credential that is not one (no OB or CLR type, no OB or CLR context).

    A credential typed ``AchievementCredential``, ``OpenBadgeCredential``,
    ``EndorsementCredential`` or ``ClrCredential`` is that class; an untyped one that lists the
    CLR 2.0 context is taken for a ``ClrCredential``, and one that lists an Open Badges 3.0
    context for an ``OpenBadgeCredential`` (its ``type`` then fails the rules).
    """
    kind = kind_of(document)
    if kind in CREDENTIAL_KINDS:
        return kind
    contexts = document.get("@context")
    listed = contexts if isinstance(contexts, list) else [contexts]
    if _lists_clr_context(listed):
        return "ClrCredential"
    if _lists_ob_context(listed):
        return "OpenBadgeCredential"
    return None


def _lists_ob_context(listed: list[Any]) -> bool:
    return any(isinstance(url, str) and _OB_CONTEXT.match(url) for url in listed)


def _lists_clr_context(listed: list[Any]) -> bool:
    return any(url in _CLR_CONTEXTS for url in listed)


def verification_issues(document: Mapping[str, Any], kind: str) -> list[Issue]:
    """The problems of ``document`` (a credential of class ``kind``, see
    :func:`verification_kind`) with the rules verification applies, each under its rule's code
    (:data:`VERIFICATION_CODES`). Endorsements and bundled credentials are left to their own
    verification."""
    rules = _Rules(nested_credentials=False, verifying=True)
    rules.credential(document, "", kind)
    return rules.verified


def data_model_issues(document: Mapping[str, Any], path: str = "") -> list[Issue]:
    """The VC data model problems of a credential (:func:`vcbadge.vcdm.credential_problems`) as
    ``Issue`` records.

    The one place a data model problem becomes a model issue. Its code is kept
    (``envelope_context``, ``envelope_invalid``): the verifier's envelope step reports the same
    rule with the same code, so an issuer refusing a credential and a verifier rejecting it
    name the rule alike.
    """
    return [
        Issue(problem.path, problem.message, problem.code)
        for problem in credential_problems(document, path)
    ]
