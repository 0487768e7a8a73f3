"""Move an Open Badges 2.0 award to Open Badges 3.0: :func:`from_ob2` turns an OB 2.0 Assertion,
with its BadgeClass and issuer Profile, into an unsigned OB 3.0 ``OpenBadgeCredential`` that
the issuer signs with its 3.0 key (``Issuer.issue``, ``vcbadge issue``).

It follows 1EdTech's migration guidance (OB 3.0 implementation guide, "Migrating from OB 2.0"):
the 3.0 objects get their own ids and link back to the 2.0 ones, which keep being served as
they are:

- the credential id is ``urn:uuid:`` + the UUID v5 of the assertion id, and the assertion
  itself is linked as an ``evidence`` entry typed ``https://w3id.org/openbadges#Assertion``;
- the achievement id is ``urn:uuid:`` + the UUID v5 of the BadgeClass id, and the BadgeClass is
  linked as a ``related`` entry typed ``https://w3id.org/openbadges#BadgeClass``;
- the issuer profile keeps the 2.0 issuer id, or takes ``issuer_id`` (say, the did:key or
  did:web that signs from now on); the 2.0 id is then kept in ``otherIdentifier``
  (``identifierType`` ``identifier``).

Derived ids are stable: migrating the same assertion twice gives the same credential id, and
every assertion of one BadgeClass the same achievement id.

Nothing is silently lost: every member that has no OB 3.0 counterpart (the hosted/signed
``verification`` a proof replaces, the issuer's ``publicKey``, endorsements the endorser would
have to sign again, extensions...) is listed in :attr:`Migration.report` with its JSON pointer
and the reason. A revoked assertion is refused (``ob2_revoked``): re-issuing it would bring a
withdrawn badge back.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Literal, Protocol

from vcbadge._time import format_datetime
from vcbadge.errors import InputError
from vcbadge.model.envelope import required_contexts
from vcbadge.model.validation import validate_document

__all__ = [
    "OB2_ASSERTION_TYPE",
    "OB2_BADGE_CLASS_TYPE",
    "OB3_ACHIEVEMENT_CREDENTIAL_SCHEMA",
    "Migration",
    "ReportEntry",
    "from_ob2",
]

OB2_ASSERTION_TYPE = "https://w3id.org/openbadges#Assertion"
"""The full IRI of the OB 2.0 Assertion type (the OB 3.0 context does not define the term)."""
OB2_BADGE_CLASS_TYPE = "https://w3id.org/openbadges#BadgeClass"
"""The full IRI of the OB 2.0 BadgeClass type."""
OB3_ACHIEVEMENT_CREDENTIAL_SCHEMA = (
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
)
_OB2_VERSION = "Open Badges v2p0"

Document = Literal["assertion", "badge_class", "issuer"]

# OB 2.0 recipient types (Profile identifier properties) -> OB 3.0 identityType.
_IDENTITY_TYPES = {"email": "emailAddress", "url": "identifier", "telephone": "ext:telephone"}
_HASH = re.compile(r"^(sha256\$[0-9a-fA-F]{64}|md5\$[0-9a-fA-F]{32})$")
# ISO 8601 as OB 2.0 writes it: a date, or a date-time whose seconds and zone are optional.
_ISO_DATETIME = re.compile(
    r"^(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:T(?P<minutes>\d{2}:\d{2})(?P<seconds>:\d{2}(?:\.\d+)?)?(?P<zone>Z|[+-]\d{2}:?\d{2})?)?$"
)

# Members replaced by the OB 3.0 proof and the issuer's 3.0 key (DID or controller document).
_REPLACED_BY_PROOF = {
    "verification": (
        "the OB 2.0 hosted/signed verification is replaced by the proof the 3.0 issuer adds"
    ),
    "publicKey": "OB 3.0 keys are found through the issuer id (DID or controller document)",
    "revocationList": (
        "OB 3.0 revocation uses credentialStatus (a status list), added when the credential is "
        "issued with a status store"
    ),
}
_ENDORSEMENT = (
    "an OB 2.0 endorsement is the endorser's own signed or hosted assertion; in OB 3.0 it is "
    "an EndorsementCredential the endorser must sign again"
)
_NOT_A_STRING = "not a string, which OB 3.0 requires here"
_NO_EQUIVALENT = "no OB 3.0 counterpart (an extension needs its own 3.0 context and schema)"


@dataclass(frozen=True, kw_only=True)
class ReportEntry:
    """One OB 2.0 member that was not carried over: in which ``document``, where (``path``, a
    JSON pointer into that document), why (``reason``) and a stable ``code``."""

    document: Document
    path: str
    code: str
    reason: str

    def to_dict(self) -> dict[str, str]:
        """The entry as JSON."""
        return {
            "document": self.document,
            "path": self.path,
            "code": self.code,
            "reason": self.reason,
        }


@dataclass(frozen=True, kw_only=True)
class Migration:
    """The result of :func:`from_ob2`: the unsigned OB 3.0 ``credential`` (JSON) and the
    ``report`` of what could not be carried over (empty when nothing was lost)."""

    credential: Mapping[str, Any]
    report: tuple[ReportEntry, ...] = field(default_factory=tuple)

    def to_json(self) -> dict[str, Any]:
        """``{"credential": ..., "report": [...]}``."""
        return {
            "credential": dict(self.credential),
            "report": [entry.to_dict() for entry in self.report],
        }


class _JsonModel(Protocol):
    def to_json(self) -> Mapping[str, Any]: ...


Ob2Input = Mapping[str, Any] | _JsonModel


def _as_json(value: Ob2Input, what: str) -> Mapping[str, Any]:
    if isinstance(value, Mapping):
        return value
    to_json: Callable[[], Any] | None = getattr(value, "to_json", None)
    if to_json is not None:
        data = to_json()
        if isinstance(data, Mapping):
            return data
    raise InputError(f"the OB 2.0 {what} must be a JSON object", code="ob2_not_an_object")


def _pointer(*parts: str | int) -> str:
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in parts)


def _types(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


_Place = tuple[Document, str]
"""Where a logical document's members are: the document given, and a JSON pointer prefix."""
_HUMAN_NAMES = {"assertion": "assertion", "badge_class": "BadgeClass", "issuer": "issuer Profile"}


def _placed(error: InputError, place: _Place) -> InputError:
    """``error`` (raised with a path into a logical document) located where that document is."""
    document, prefix = place
    located = error.under(prefix) if prefix else error
    if document != "assertion":
        located = located.noted(f"(in the {_HUMAN_NAMES[document]} given)")
    return located


class _Migrator:
    """One migration: reads the three documents, collects the report."""

    def __init__(self, placement: Mapping[Document, _Place]) -> None:
        self.placement = placement
        self.report: list[ReportEntry] = []

    def lost(self, document: Document, path: str, code: str, reason: str) -> None:
        # An embedded BadgeClass or issuer is reported where it is: inside the assertion.
        actual, prefix = self.placement[document]
        self.report.append(
            ReportEntry(document=actual, path=prefix + path, code=code, reason=reason)
        )

    # -- shared small objects ----------------------------------------------------------------

    def strings(
        self, node: Mapping[str, Any], members: tuple[str, ...], document: Document, path: str
    ) -> dict[str, str]:
        """The ``members`` of ``node`` that are strings; one of another type is reported."""
        copied = {}
        for member in members:
            value = node.get(member)
            if isinstance(value, str):
                copied[member] = value
            elif value is not None:
                self.lost(document, path + _pointer(member), "not_migrated", _NOT_A_STRING)
        return copied

    def image(self, value: Any, document: Document, path: str) -> dict[str, Any]:
        if isinstance(value, str):
            return {"id": value, "type": "Image"}
        if not isinstance(value, Mapping) or not isinstance(value.get("id"), str):
            raise InputError(
                "an OB 2.0 image is an IRI or an Image object with an id",
                code="ob2_member_invalid",
                path=path,
            )
        image: dict[str, Any] = {"id": value["id"], "type": "Image"}
        image.update(self.strings(value, ("caption",), document, path))
        self.leftovers(value, {"id", "type", "caption", "@context"}, document, path)
        return image

    def leftovers(
        self, node: Mapping[str, Any], handled: set[str], document: Document, path: str = ""
    ) -> None:
        for member in node:
            if member in handled:
                continue
            where = path + _pointer(member)
            if member in _REPLACED_BY_PROOF:
                self.lost(document, where, "replaced_by_proof", _REPLACED_BY_PROOF[member])
            elif member == "endorsement":
                self.lost(document, where, "endorsement_not_migrated", _ENDORSEMENT)
            else:
                self.lost(document, where, "not_migrated", _NO_EQUIVALENT)

    def date(self, value: Any, document: Document, path: str) -> str:
        """An OB 2.0 DateTime (ISO 8601, zone optional, or a Unix timestamp) as an OB 3.0
        dateTimeStamp in UTC; a value without a zone is read as UTC and reported."""
        if isinstance(value, int) and not isinstance(value, bool):
            try:
                return format_datetime(datetime.fromtimestamp(value, timezone.utc))
            except (OverflowError, OSError, ValueError):
                raise InputError(
                    f"{value} is not a usable Unix timestamp", code="ob2_date_invalid", path=path
                ) from None
        match = _ISO_DATETIME.match(value) if isinstance(value, str) else None
        if match is None:
            raise InputError(
                f"{value!r} is not an ISO 8601 date-time or a Unix timestamp",
                code="ob2_date_invalid",
                path=path,
            )
        # OB 3.0 dates here are whole seconds (format_datetime): the fraction is not needed.
        seconds = (match["seconds"] or ":00")[:3]
        zone = match["zone"]
        offset = "+00:00" if zone in (None, "Z") else f"{zone[:3]}:{zone[-2:]}"
        try:
            moment = datetime.fromisoformat(
                f"{match['date']}T{match['minutes'] or '00:00'}{seconds}{offset}"
            )
        except ValueError:
            raise InputError(
                f"{value!r} is not a valid date-time", code="ob2_date_invalid", path=path
            ) from None
        if zone is None:
            self.lost(
                document,
                path,
                "timezone_assumed",
                f"{value!r} has no time zone; OB 3.0 needs one, so it was read as UTC",
            )
        return format_datetime(moment)

    # -- the three documents -----------------------------------------------------------------

    def recipient(self, assertion: Mapping[str, Any]) -> dict[str, Any]:
        recipient = assertion.get("recipient")
        if not isinstance(recipient, Mapping):
            raise InputError(
                "the OB 2.0 assertion has no recipient IdentityObject",
                code="ob2_recipient_invalid",
                path="/recipient",
            )
        kind = recipient.get("type")
        identity = recipient.get("identity")
        hashed = recipient.get("hashed")
        if kind not in _IDENTITY_TYPES:
            raise InputError(
                f"recipient type {kind!r} is not email, url or telephone",
                code="ob2_recipient_invalid",
                path="/recipient/type",
            )
        if not isinstance(identity, str) or not identity:
            raise InputError(
                "the recipient identity must be a non-empty string",
                code="ob2_recipient_invalid",
                path="/recipient/identity",
            )
        if not isinstance(hashed, bool):
            raise InputError(
                "recipient hashed must be true or false",
                code="ob2_recipient_invalid",
                path="/recipient/hashed",
            )
        subject: dict[str, Any] = {"type": ["AchievementSubject"]}
        entry: dict[str, Any] = {"type": "IdentityObject", "hashed": hashed}
        if hashed:
            if not _HASH.match(identity):
                raise InputError(
                    "a hashed identity must be 'sha256$' + 64 or 'md5$' + 32 hex digits",
                    code="ob2_recipient_invalid",
                    path="/recipient/identity",
                )
            algorithm, digest = identity.split("$", 1)
            # Hex case carries no meaning; OB 3.0 writes the digest in lower case.
            entry["identityHash"] = f"{algorithm}${digest.lower()}"
            salt = recipient.get("salt")
            if salt is not None:
                if not isinstance(salt, str):
                    raise InputError(
                        "recipient salt must be a string",
                        code="ob2_recipient_invalid",
                        path="/recipient/salt",
                    )
                entry["salt"] = salt
        else:
            entry["identityHash"] = identity
            if kind == "url":
                subject["id"] = identity
        entry["identityType"] = _IDENTITY_TYPES[kind]
        subject["identifier"] = [entry]
        self.leftovers(
            recipient, {"type", "identity", "hashed", "salt", "@context"}, "assertion", "/recipient"
        )
        return subject

    def criteria(self, badge: Mapping[str, Any]) -> dict[str, Any]:
        value = badge.get("criteria")
        if isinstance(value, str):
            return {"id": value}
        if isinstance(value, Mapping):
            criteria = self.strings(value, ("id", "narrative"), "badge_class", "/criteria")
            if criteria:
                self.leftovers(
                    value, {"id", "narrative", "type", "@context"}, "badge_class", "/criteria"
                )
                return criteria
        raise InputError(
            "the BadgeClass criteria must be a URL or a Criteria with id or narrative",
            code="ob2_member_invalid",
            path="/criteria",
        )

    def alignments(self, value: Any) -> list[dict[str, Any]]:
        found = []
        members = ("targetName", "targetUrl", "targetDescription", "targetFramework", "targetCode")
        for index, item in enumerate(_types(value)):
            path = _pointer("alignment", index) if isinstance(value, list) else "/alignment"
            if not isinstance(item, Mapping) or not all(
                isinstance(item.get(member), str) for member in ("targetName", "targetUrl")
            ):
                self.lost(
                    "badge_class",
                    path,
                    "not_migrated",
                    "an OB 3.0 Alignment needs targetName and targetUrl",
                )
                continue
            alignment: dict[str, Any] = {"type": ["Alignment"]}
            alignment.update(self.strings(item, members, "badge_class", path))
            found.append(alignment)
            self.leftovers(item, {*members, "type", "@context"}, "badge_class", path)
        return found

    def related(self, value: Any) -> list[dict[str, Any]]:
        found = []
        for index, item in enumerate(_types(value)):
            path = _pointer("related", index) if isinstance(value, list) else "/related"
            if isinstance(item, str):
                item = {"id": item}
            if not isinstance(item, Mapping) or not isinstance(item.get("id"), str):
                self.lost("badge_class", path, "not_migrated", "a related entry needs an id")
                continue
            entry: dict[str, Any] = {"id": item["id"], "type": ["Related"]}
            entry.update(self.strings(item, ("version",), "badge_class", path))
            language = self.strings(item, ("@language",), "badge_class", path)
            if language:
                entry["inLanguage"] = language["@language"]
            found.append(entry)
            self.leftovers(item, {"id", "type", "version", "@language"}, "badge_class", path)
        return found

    def evidence(self, value: Any) -> list[dict[str, Any]]:
        found = []
        members = ("id", "narrative", "name", "description", "genre", "audience")
        for index, item in enumerate(_types(value)):
            path = _pointer("evidence", index) if isinstance(value, list) else "/evidence"
            if isinstance(item, str):
                item = {"id": item}
            if not isinstance(item, Mapping):
                raise InputError(
                    "OB 2.0 evidence is an IRI or an Evidence object",
                    code="ob2_member_invalid",
                    path=path,
                )
            entry: dict[str, Any] = {"type": ["Evidence"]}
            entry.update(self.strings(item, members, "assertion", path))
            found.append(entry)
            self.leftovers(item, {*members, "type", "@context"}, "assertion", path)
        return found

    def achievement(self, badge: Mapping[str, Any], badge_id: str) -> dict[str, Any]:
        achievement: dict[str, Any] = {
            "id": f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, badge_id)}",
            "type": ["Achievement"],
        }
        for member in ("name", "description"):
            if not isinstance(badge.get(member), str):
                raise InputError(
                    f"the BadgeClass has no {member} (a string)",
                    code="ob2_member_invalid",
                    path=_pointer(member),
                )
            achievement[member] = badge[member]
        achievement["criteria"] = self.criteria(badge)
        if "image" in badge:
            achievement["image"] = self.image(badge["image"], "badge_class", "/image")
        if "alignment" in badge:
            alignments = self.alignments(badge["alignment"])
            if alignments:
                achievement["alignment"] = alignments
        tags = badge.get("tags")
        if tags is not None:
            if isinstance(tags, str):
                tags = [tags]
            if not isinstance(tags, list) or not all(isinstance(tag, str) for tag in tags):
                raise InputError(
                    "BadgeClass tags must be strings", code="ob2_member_invalid", path="/tags"
                )
            achievement["tag"] = list(tags)
        achievement.update(self.strings(badge, ("version",), "badge_class", ""))
        language = self.strings(badge, ("@language",), "badge_class", "")
        if language:
            achievement["inLanguage"] = language["@language"]
        achievement["related"] = [
            {"id": badge_id, "type": ["Related", OB2_BADGE_CLASS_TYPE], "version": _OB2_VERSION},
            *self.related(badge.get("related", [])),
        ]
        handled = {"@context", "id", "type", "name", "description", "criteria", "image"}
        handled |= {"alignment", "tags", "version", "@language", "related", "issuer"}
        self.leftovers(badge, handled, "badge_class")
        return achievement

    def profile(
        self, issuer: Mapping[str, Any], issuer_2_id: str, issuer_id: str | None
    ) -> dict[str, Any]:
        profile: dict[str, Any] = {"id": issuer_id or issuer_2_id, "type": ["Profile"]}
        if issuer_id is not None and issuer_id != issuer_2_id:
            profile["otherIdentifier"] = [
                {
                    "type": "IdentifierEntry",
                    "identifier": issuer_2_id,
                    "identifierType": "identifier",
                }
            ]
        renamed = {"name": "name", "url": "url", "email": "email", "description": "description"}
        renamed["telephone"] = "phone"
        for old, new in renamed.items():
            value = issuer.get(old)
            if value is None:
                continue
            if not isinstance(value, str):
                raise InputError(
                    f"the issuer {old} must be a string",
                    code="ob2_member_invalid",
                    path=_pointer(old),
                )
            profile[new] = value
        if "image" in issuer:
            profile["image"] = self.image(issuer["image"], "issuer", "/image")
        self.leftovers(issuer, {"@context", "id", "type", "image", *renamed}, "issuer")
        return profile


def _linked(
    parent: Mapping[str, Any],
    member: str,
    given: Ob2Input | None,
    what: str,
    parameter: str,
    parent_document: Document,
) -> tuple[Mapping[str, Any], str, bool]:
    """The object ``parent[member]`` names: embedded in ``parent`` or ``given`` separately (its
    id must then be the one ``parent`` names). Returns the object, its id and whether it is
    embedded."""
    reference = parent.get(member)
    if isinstance(reference, Mapping):
        embedded_id = reference.get("id")
        if not isinstance(embedded_id, str):
            raise InputError(
                f"the embedded {what} has no id", code="ob2_member_invalid", path=f"/{member}/id"
            )
        return reference, embedded_id, True
    if not isinstance(reference, str):
        raise InputError(
            f"the {parent_document.replace('_', ' ')} names no {what} (a URL or an object)",
            code="ob2_member_invalid",
            path=_pointer(member),
        )
    if given is None:
        raise InputError(
            f"the {what} {reference} is not embedded; pass it as {parameter}",
            code="ob2_document_missing",
            path=_pointer(member),
        )
    document = _as_json(given, what)
    if document.get("id") != reference:
        raise InputError(
            f"the {what} given has id {document.get('id')!r}, the "
            f"{parent_document.replace('_', ' ')} names {reference}",
            code="ob2_id_mismatch",
            path=_pointer(member),
        )
    return document, reference, False


def from_ob2(
    assertion: Ob2Input,
    badge_class: Ob2Input | None = None,
    issuer: Ob2Input | None = None,
    *,
    issuer_id: str | None = None,
) -> Migration:
    """Turn an OB 2.0 Assertion (with its BadgeClass and issuer Profile) into an unsigned OB 3.0
    OpenBadgeCredential and the report of what could not be carried over.

    ``badge_class`` and ``issuer`` are needed only when the assertion (or the BadgeClass)
    names them by URL rather than embedding them; their ``id`` must be the URL named. Each
    document is JSON (a mapping) or a typed model with ``to_json()``. ``issuer_id`` is the id
    of the OB 3.0 issuer profile, which must be the controller of the key that signs (e.g. a
    did:key or did:web); by default the 2.0 issuer id is kept, and when replaced it stays in
    the profile's ``otherIdentifier``.

    Raises ``InputError`` (codes ``ob2_not_an_object``, ``ob2_not_an_assertion``,
    ``ob2_document_missing``, ``ob2_id_mismatch``, ``ob2_member_invalid``,
    ``ob2_recipient_invalid``, ``ob2_date_invalid``, ``ob2_revoked``) or ``ModelError`` when
    the result would not be a valid OB 3.0 credential (e.g. an image that is not a URI).
    """
    source = _as_json(assertion, "assertion")
    if "Assertion" not in _types(source.get("type")) and OB2_ASSERTION_TYPE not in _types(
        source.get("type")
    ):
        raise InputError(
            "not an OB 2.0 Assertion (type must include 'Assertion')",
            code="ob2_not_an_assertion",
            path="/type",
        )
    assertion_id = source.get("id")
    if not isinstance(assertion_id, str) or not assertion_id:
        raise InputError("the assertion has no id", code="ob2_member_invalid", path="/id")
    if source.get("revoked") is True:
        raise InputError(
            "the OB 2.0 assertion is revoked: migrating it would re-issue a withdrawn badge",
            code="ob2_revoked",
            path="/revoked",
        )
    badge, badge_id, badge_embedded = _linked(
        source, "badge", badge_class, "BadgeClass", "badge_class", "assertion"
    )
    badge_at: _Place = ("assertion", "/badge") if badge_embedded else ("badge_class", "")
    try:
        profile_2, issuer_2_id, issuer_embedded = _linked(
            badge, "issuer", issuer, "issuer Profile", "issuer", "badge_class"
        )
    except InputError as error:
        raise _placed(error, badge_at) from error
    issuer_at: _Place = (
        (badge_at[0], badge_at[1] + "/issuer") if issuer_embedded else ("issuer", "")
    )
    migrator = _Migrator(
        {"assertion": ("assertion", ""), "badge_class": badge_at, "issuer": issuer_at}
    )
    subject = migrator.recipient(source)
    try:
        subject["achievement"] = migrator.achievement(badge, badge_id)
    except InputError as error:
        raise _placed(error, badge_at) from error
    if "narrative" in source:
        if not isinstance(source["narrative"], str):
            raise InputError(
                "the assertion narrative must be a string",
                code="ob2_member_invalid",
                path="/narrative",
            )
        subject["narrative"] = source["narrative"]
    if "image" in source:
        subject["image"] = migrator.image(source["image"], "assertion", "/image")
    if "issuedOn" not in source:
        raise InputError(
            "the assertion has no issuedOn", code="ob2_member_invalid", path="/issuedOn"
        )
    issued = migrator.date(source["issuedOn"], "assertion", "/issuedOn")

    try:
        issuer_profile = migrator.profile(profile_2, issuer_2_id, issuer_id)
    except InputError as error:
        raise _placed(error, issuer_at) from error
    credential: dict[str, Any] = {
        "id": f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, assertion_id)}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": subject["achievement"]["name"],
        "issuer": issuer_profile,
        "validFrom": issued,
        "awardedDate": issued,
    }
    if "expires" in source:
        credential["validUntil"] = migrator.date(source["expires"], "assertion", "/expires")
    credential["credentialSubject"] = subject
    credential["evidence"] = [
        {
            "id": assertion_id,
            "type": ["Evidence", OB2_ASSERTION_TYPE],
            "name": "Original Open Badges 2.0 assertion",
            "description": "This credential was first issued as this Open Badges 2.0 assertion.",
        },
        *migrator.evidence(source.get("evidence", [])),
    ]
    credential["credentialSchema"] = [
        {"id": OB3_ACHIEVEMENT_CREDENTIAL_SCHEMA, "type": "1EdTechJsonSchemaValidator2019"}
    ]
    handled = {"@context", "id", "type", "recipient", "badge", "issuedOn", "expires", "image"}
    handled |= {"narrative", "evidence", "revoked"}
    migrator.leftovers(source, handled, "assertion")

    credential = {"@context": required_contexts(credential), **credential}
    problems = validate_document(credential)
    if problems:
        first = problems[0]
        raise InputError(
            f"the migrated credential is not valid OB 3.0: {first.message}",
            code="ob2_not_migratable",
            path=first.path,
        )
    # Listed document by document (assertion, BadgeClass, issuer), by path within each: the
    # same report whatever order the members came in.
    order: tuple[Document, ...] = ("assertion", "badge_class", "issuer")
    report = sorted(migrator.report, key=lambda entry: (order.index(entry.document), entry.path))
    return Migration(credential=credential, report=tuple(report))
