"""Why a badge is not valid: the mapping from each failed check to the banner's reason, per
code, and the banner of real revoked, expired, not-yet-valid and forged badges."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from badge_images import signed_credential

from vcbadge import FixedClock, Verifier
from vcbadge.display import render_badge_html
from vcbadge.display.reasons import FORGERY_CODES, ReasonKind, reason_for, reason_kind, reasons
from vcbadge.verify import Check, VerificationResult


def invalid(code: str, message: str = "m", path: str = "", name: str = "proof") -> Check:
    return Check.invalid(name, code=code, message=message, path=path)


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("revoked", ReasonKind.REVOKED),
        ("suspended", ReasonKind.SUSPENDED),
        ("expired", ReasonKind.EXPIRED),
        ("not_yet_valid", ReasonKind.NOT_YET_VALID),
        ("issuer_not_trusted", ReasonKind.UNTRUSTED),
        *((code, ReasonKind.FORGED) for code in sorted(FORGERY_CODES)),
        ("schema_invalid", ReasonKind.FAILED),
        ("proof_missing", ReasonKind.FAILED),
    ],
)
def test_each_invalid_code_has_its_kind(code, kind):
    assert reason_kind(invalid(code)) is kind


def test_an_indeterminate_check_is_indeterminate_whatever_its_code():
    check = Check.indeterminate("status", code="status_list_unavailable", message="offline")
    assert reason_kind(check) is ReasonKind.INDETERMINATE


@pytest.mark.parametrize("code", ["ok", "invalid_signature", "revoked", "status_unchecked"])
def test_a_failed_nested_credential_is_nested_whatever_its_code(code):
    check = Check.invalid("nested_credential", code=code, message="m", path="/endorsement/0")
    assert reason_kind(check) is ReasonKind.NESTED


@pytest.mark.parametrize(
    ("message", "stated"),
    [
        ("revoked (https://example.edu/status/1 index 7): left the course", "left the course"),
        ("revoked (https://example.edu/status/1 index 7)", None),
        ("revoked (https://example.edu/revocations): Awarded by mistake", "Awarded by mistake"),
        ("the issuer marked the assertion revoked: Awarded by mistake", "Awarded by mistake"),
        ("the assertion is in the issuer's revocation list https://x.example/r", None),
        ("the assertion is in the issuer's revocation list https://x.example/r: typo", "typo"),
    ],
)
def test_a_revocation_reason_comes_from_the_status_message(message, stated):
    reason = reason_for(invalid("revoked", message, name="status"))
    assert (reason.kind, reason.stated, reason.when) == (ReasonKind.REVOKED, stated, None)


def test_a_suspension_reason_too():
    reason = reason_for(invalid("suspended", "suspended (https://l index 3): under review"))
    assert (reason.kind, reason.stated) == (ReasonKind.SUSPENDED, "under review")


@pytest.mark.parametrize(
    ("code", "path", "member", "kind"),
    [
        ("expired", "/validUntil", "validUntil", ReasonKind.EXPIRED),
        ("expired", "/expirationDate", "expirationDate", ReasonKind.EXPIRED),
        ("expired", "/expires", "expires", ReasonKind.EXPIRED),
        ("not_yet_valid", "/validFrom", "validFrom", ReasonKind.NOT_YET_VALID),
        ("not_yet_valid", "/issuanceDate", "issuanceDate", ReasonKind.NOT_YET_VALID),
    ],
)
def test_the_date_comes_from_the_member_the_check_points_at(code, path, member, kind):
    document = {member: "2024-06-30T00:00:00Z", "other": "x"}
    reason = reason_for(invalid(code, path=path, name="validity_period"), document)
    assert (reason.kind, reason.when) == (kind, "2024-06-30T00:00:00Z")


def test_no_date_when_the_document_has_none_there():
    assert reason_for(invalid("expired", path="/validUntil"), {}).when is None
    assert reason_for(invalid("expired", path="/a/b"), {"a": {"b": "x"}}).when is None
    assert reason_for(invalid("expired", path="/validUntil"), None).when is None


def test_reasons_put_invalid_before_indeterminate_and_by_kind():
    result = VerificationResult.of(
        [
            Check.passed("parse", "fine"),
            Check.indeterminate("status", code="status_list_unavailable", message="offline"),
            invalid("schema_invalid", name="schema"),
            invalid("invalid_signature"),
            invalid("revoked", name="status"),
        ]
    )
    assert [r.check.code for r in reasons(result)] == [
        "revoked",
        "invalid_signature",
        "schema_invalid",
        "status_list_unavailable",
    ]
    assert reasons(VerificationResult.of([Check.passed("parse", "fine")])) == ()


def banner(page: str) -> str:
    start = page.index('role="status"')
    return page[start : page.index("</div>", start)]


def test_a_revoked_badge_says_so_with_the_issuers_reason(showcase):
    page = showcase.showcase_pages()["revoked"]
    shown = banner(page)
    assert "✗ INVALID" in shown
    assert "Revoked by its issuer — reason given: Awarded by mistake" in shown


def test_an_expired_badge_says_when(showcase):
    draft = showcase.rich_draft()
    draft["validUntil"] = "2026-01-31T12:00:00Z"
    expired = showcase.university().issue(draft)
    later = datetime(2031, 1, 1, tzinfo=timezone.utc)
    result = Verifier.offline(clock=FixedClock(later)).verify(expired)
    shown = banner(render_badge_html(expired, result=result))
    assert (
        'Expired on <time datetime="2026-01-31T12:00:00Z" title="2026-01-31T12:00:00Z">'
        "31 January 2026, 12:00 UTC</time>"
    ) in shown


def test_a_badge_not_yet_valid_says_from_when():
    credential = signed_credential()
    result = Verifier.offline(clock=FixedClock(datetime(2024, 1, 1, tzinfo=timezone.utc))).verify(
        credential
    )
    shown = banner(render_badge_html(credential, result=result))
    assert "Not yet valid: valid only from <time" in shown
    assert "31 January 2025, 12:00 UTC" in shown


def test_a_forged_badge_names_the_check():
    credential = signed_credential()
    credential["credentialSubject"]["achievement"]["name"] = "Python 901"
    result = Verifier.offline().verify(credential)
    shown = banner(render_badge_html(credential, result=result))
    assert "Forged or altered: check proof <code>invalid_signature</code>" in shown


def test_an_indeterminate_badge_says_why():
    result = VerificationResult.of(
        [
            Check.indeterminate(
                "status",
                code="status_list_unavailable",
                message="the status list could not be fetched (offline)",
            )
        ]
    )
    shown = banner(render_badge_html(signed_credential(), result=result))
    assert (
        "Could not be checked: the status list could not be fetched (offline) "
        "<code>status_list_unavailable</code>"
    ) in shown


def test_a_valid_badge_has_no_reasons():
    credential = signed_credential()
    result = Verifier.offline().verify(credential)
    assert "<ul" not in banner(render_badge_html(credential, result=result))
