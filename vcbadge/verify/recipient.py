"""The ``recipient`` check: was this Open Badges 3.0 / CLR 2.0 credential awarded to the
person the caller names (an email address, a DID or URL, a student id...)?

The subject names its recipient by ``id`` (a DID or URL; ``mailto:`` for an email address)
and/or by ``identifier`` IdentityObjects, plain or hashed (``sha256$``/``md5$`` + hex digest
of the value followed by the ``salt``). The value given is compared with each: a match
passes; none matching is INVALID ``recipient_mismatch``; a credential that names no recipient
in a form vcbadge can compare (no ``id`` nor ``identifier``, or only hashes of another
algorithm) is INDETERMINATE ``recipient_unknown``. Messages never repeat the value given or
the credential's identities (they are personal data).
"""

from __future__ import annotations

import hmac
from collections.abc import Iterator, Mapping
from typing import Any

from vcbadge._json import join_pointer, one_or_many_with_pointers
from vcbadge.model.identity import IDENTITY_HASHES, identity_matches
from vcbadge.verify.result import Check

__all__ = ["RECIPIENT_CHECK", "recipient_check"]

RECIPIENT_CHECK = "recipient"

_EMAIL_TYPE = "emailAddress"


def recipient_check(document: Any, recipient: str) -> Check:
    """One ``recipient`` check of ``document`` (a credential's JSON) against ``recipient``."""
    if not isinstance(document, Mapping):
        return Check.indeterminate(
            RECIPIENT_CHECK,
            code="recipient_unknown",
            message="there is no credential to compare the recipient with",
        )
    compared = False
    uncomparable = False
    for subject, path in one_or_many_with_pointers(
        document.get("credentialSubject"), "/credentialSubject"
    ):
        if not isinstance(subject, Mapping):
            continue
        for verdict, where in _subject_identities(subject, path, recipient):
            if verdict is True:
                return Check.passed(RECIPIENT_CHECK, "awarded to the recipient given", path=where)
            if verdict is None:
                uncomparable = True
            else:
                compared = True
    if uncomparable or not compared:
        return Check.indeterminate(
            RECIPIENT_CHECK,
            code="recipient_unknown",
            message="the credential names its recipient in no form vcbadge can compare "
            "(no credentialSubject id nor identifier, or a hash of an algorithm other than "
            f"{' or '.join(sorted(IDENTITY_HASHES))}), so whether it was awarded to the "
            "recipient given is unknown",
            path="/credentialSubject",
        )
    return Check.invalid(
        RECIPIENT_CHECK,
        code="recipient_mismatch",
        message="the credential was not awarded to the recipient given: neither its "
        "subject id nor any of its identifiers is that recipient",
        path="/credentialSubject",
    )


def _subject_identities(
    subject: Mapping[str, Any], path: str, recipient: str
) -> Iterator[tuple[bool | None, str]]:
    """``(matches, path)`` for each identity of one subject; ``matches`` is None for an
    identity that cannot be compared."""
    subject_id = subject.get("id")
    if isinstance(subject_id, str):
        yield _same_id(subject_id, recipient), join_pointer(path, "id")
    identifiers = subject.get("identifier")
    if identifiers is None:
        return
    for identity, where in one_or_many_with_pointers(identifiers, join_pointer(path, "identifier")):
        if not isinstance(identity, Mapping) or not isinstance(identity.get("identityHash"), str):
            continue
        value: str = identity["identityHash"]
        salt = identity.get("salt")
        if identity.get("hashed") is True:
            algorithm = value.partition("$")[0].lower()
            if algorithm not in IDENTITY_HASHES:
                yield None, where
                continue
            yield identity_matches(recipient, value, salt if isinstance(salt, str) else None), where
        else:
            yield _same_plain(value, recipient, identity.get("identityType")), where


def _same_id(subject_id: str, recipient: str) -> bool:
    """A subject ``id`` is the recipient: the same DID or URL, or ``mailto:`` + the email
    address given (compared without case, as email addresses are in practice)."""
    if hmac.compare_digest(subject_id, recipient):
        return True
    if subject_id.lower().startswith("mailto:") and "@" in recipient:
        given = (
            recipient[len("mailto:") :] if recipient.lower().startswith("mailto:") else recipient
        )
        return hmac.compare_digest(subject_id[len("mailto:") :].lower(), given.lower())
    return False


def _same_plain(value: str, recipient: str, identity_type: Any) -> bool:
    if identity_type == _EMAIL_TYPE:
        return hmac.compare_digest(value.lower(), recipient.lower())
    return hmac.compare_digest(value, recipient)
