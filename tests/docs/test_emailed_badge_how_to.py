"""docs/how-to/verify-a-badge-someone-emails-you.md runs against a real email: an .eml written
with email.message.EmailMessage, carrying badges vcbadge issued (with a fixed clock) and baked,
a file that is not a badge, and an attachment whose name is a path."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from badge_images import make_png
from test_docs import ROOT

from vcbadge import (
    Achievement,
    AchievementCredential,
    Criteria,
    FixedClock,
    Issuer,
    Outcome,
    Profile,
    Verifier,
)
from vcbadge.bake import bake
from vcbadge.keys import Ed25519Key, controller_document

DOC = ROOT / "docs" / "how-to" / "verify-a-badge-someone-emails-you.md"
CLOCK = FixedClock(datetime(2025, 3, 1, tzinfo=timezone.utc))
WEB_ISSUER = "did:web:badges.example.edu"


def achievement(name: str) -> Achievement:
    slug = name.lower().replace(" ", "-")
    return Achievement(
        id=f"https://badges.example.edu/achievements/{slug}",
        name=name,
        description=f"Passed {name}.",
        criteria=Criteria(narrative="Pass the final project."),
    )


class Mailbox:
    """The badges of the email, the did:web issuer's key, and the email itself."""

    def __init__(self) -> None:
        key = Ed25519Key.generate()  # did:key: the key is in the issuer's id
        school = Issuer(Profile(id=key.did, name="Example University"), key=key, clock=CLOCK)
        self.web_key = Ed25519Key.generate(controller=WEB_ISSUER, key_id="#key-1")
        web_school = Issuer(
            Profile(id=WEB_ISSUER, name="Example University"), key=self.web_key, clock=CLOCK
        )
        python101 = achievement("Python 101")
        self.adas = school.issue(
            AchievementCredential.award(python101, recipient_email="ada@example.org")
        )
        self.graces = school.issue(
            AchievementCredential.award(python101, recipient_email="grace@example.org")
        )
        self.web = web_school.issue(
            AchievementCredential.award(achievement("Data 201"), recipient_email="ada@example.org")
        )

    def email(self, *, sender: str = "Ada Lovelace <Ada@Example.org>") -> EmailMessage:
        message = EmailMessage()
        message["From"] = sender
        message["To"] = "admissions@example.edu"
        message["Subject"] = "My badges"
        message.set_content("Hello,\n\nmy badges and my CV are attached.\n\nAda\n")
        message.add_attachment(
            bake(make_png(16, 16), self.adas),
            maintype="image",
            subtype="png",
            filename="python-101.png",
        )
        message.add_attachment(
            json.dumps(self.graces, indent=2).encode(),
            maintype="application",
            subtype="json",
            filename="python-101.json",
        )
        message.add_attachment(
            bake(make_png(16, 16), self.web),
            maintype="image",
            subtype="png",
            filename="data-201.png",
        )
        message.add_attachment(
            b"%PDF-1.7 Ada's CV", maintype="application", subtype="pdf", filename="cv.pdf"
        )
        return message

    def online_verifier(self, **options: Any) -> Verifier:
        """What Verifier.online() finds on the issuer's site, served without the network."""
        return Verifier.offline(documents={WEB_ISSUER: controller_document(self.web_key)})


@pytest.fixture(scope="module")
def mailbox() -> Mailbox:
    return Mailbox()


@pytest.fixture
def online(mailbox: Mailbox, monkeypatch: pytest.MonkeyPatch) -> None:
    # The page's Verifier.online() would fetch https://badges.example.edu/.well-known/did.json;
    # tests have no network, so the same document is served from memory.
    monkeypatch.setattr(Verifier, "online", staticmethod(mailbox.online_verifier))


def write(message: EmailMessage, path: Path) -> None:
    path.write_bytes(message.as_bytes())


def test_the_page_runs_on_a_real_email(
    run_doc: Any,
    mailbox: Mailbox,
    online: None,
    tmp_path: Path,
) -> None:
    write(mailbox.email(), tmp_path / "received.eml")
    run = run_doc(DOC)
    namespace, shown = run.namespace, run.printed
    assert "skipped 'cv.pdf': not a badge" in shown
    assert "python-101.png VALID []" in shown
    assert "python-101.json INVALID ['recipient_mismatch']" in shown
    assert "data-201.png INDETERMINATE ['unsupported_did_method']" in shown
    assert "data-201.png VALID" in shown  # online, in step 4
    results = namespace["results"]
    assert [(name, result.outcome) for name, result in results.items()] == [
        ("python-101.png", Outcome.VALID),
        ("python-101.json", Outcome.INVALID),
        ("data-201.png", Outcome.VALID),
    ]
    assert namespace["sender"] == "Ada@Example.org"
    assert sorted(path.name for path in tmp_path.glob("attachment-*")) == [
        "attachment-1.png",
        "attachment-2.json",
        "attachment-3.png",
    ]


def test_a_badge_for_another_address_is_a_recipient_mismatch(
    run_doc: Any, mailbox: Mailbox, tmp_path: Path
) -> None:
    """Grace sends Ada's badge and her own: Ada's genuine badge is INVALID for her address."""
    write(mailbox.email(sender="Grace <GRACE@example.org>"), tmp_path / "received.eml")
    shown = run_doc(DOC, keep=first_python_blocks(2)).printed
    assert "python-101.png INVALID ['recipient_mismatch']" in shown
    assert "python-101.json VALID []" in shown


def test_an_attachment_named_like_a_path_is_saved_under_a_name_of_ours(
    run_doc: Any,
    mailbox: Mailbox,
    online: None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    message = mailbox.email()
    badge = bake(make_png(8, 8), mailbox.adas)
    message.add_attachment(badge, maintype="image", subtype="png", filename="../escaped.png")
    write(message, inbox / "received.eml")
    monkeypatch.chdir(inbox)  # run_doc works in tmp_path; this page's email is one folder down
    run = run_doc(DOC)
    assert run.namespace["results"]["../escaped.png"].outcome is Outcome.VALID
    assert (inbox / "attachment-4.png").read_bytes() == badge
    assert not (tmp_path / "escaped.png").exists()


def first_python_blocks(count: int) -> Any:
    """A ``keep`` for run_doc: the page's first ``count`` python blocks."""
    seen: list[Any] = []

    def keep(block: Any) -> bool:
        if block.kind == "python":
            seen.append(block)
            return len(seen) <= count
        return False

    return keep


def namespace_of_step_1(run_doc: Any, tmp_path: Path, message: EmailMessage) -> dict[str, Any]:
    write(message, tmp_path / "received.eml")
    return run_doc(DOC, keep=first_python_blocks(1)).namespace


def test_the_file_name_and_declared_type_of_an_attachment_are_not_trusted(
    run_doc: Any, mailbox: Mailbox, tmp_path: Path
) -> None:
    message = mailbox.email()
    badge = bake(make_png(8, 8), mailbox.adas)
    # A badge sent as text/plain under a path-like name, and a photo named like a badge.
    message.add_attachment(badge, maintype="text", subtype="plain", filename="../../evil.txt")
    message.add_attachment(
        b"\xff\xd8\xff\xe0 a photo", maintype="image", subtype="png", filename="badge.png"
    )
    namespace = namespace_of_step_1(run_doc, tmp_path, message)
    found = namespace["badge_attachments"](namespace["message"])
    assert [(name, kind) for name, kind, _ in found][-1] == ("../../evil.txt", "png")
    assert found[-1][2] == badge
    assert "badge.png" not in [name for name, _, _ in found]


def test_a_forwarded_email_and_an_inline_image_are_read(
    run_doc: Any, mailbox: Mailbox, tmp_path: Path
) -> None:
    inner = mailbox.email()
    outer = EmailMessage()
    outer["From"] = "Ada Lovelace <ada@example.org>"
    outer["Subject"] = "Fwd: My badges"
    outer.set_content("Forwarding my badges.")
    outer.add_alternative("<p>My badge: <img src='cid:badge'></p>", subtype="html")
    html = outer.get_payload()[1]
    html.add_related(
        bake(make_png(8, 8), mailbox.adas),
        maintype="image",
        subtype="png",
        cid="<badge>",
        filename="inline.png",
    )
    outer.add_attachment(inner)
    namespace = namespace_of_step_1(run_doc, tmp_path, outer)
    names = [name for name, _, _ in namespace["badge_attachments"](namespace["message"])]
    assert names == ["inline.png", "python-101.png", "python-101.json", "data-201.png"]


def test_an_email_over_the_cap_is_refused_before_it_is_parsed(
    run_doc: Any, mailbox: Mailbox, tmp_path: Path
) -> None:
    namespace = namespace_of_step_1(run_doc, tmp_path, mailbox.email())
    namespace["MAX_EMAIL_BYTES"] = 1000
    with pytest.raises(ValueError, match="larger than 1000 bytes"):
        namespace["read_email"]("received.eml")


@pytest.mark.parametrize(
    "sender", ["ada@example.org, grace@example.org", None], ids=["two-senders", "no-sender"]
)
def test_an_email_without_exactly_one_sender_is_refused(
    run_doc: Any, mailbox: Mailbox, tmp_path: Path, sender: str | None
) -> None:
    message = mailbox.email(sender=sender or "ada@example.org")
    if sender is None:
        del message["From"]
    with pytest.raises(ValueError, match="exactly one sender"):
        namespace_of_step_1(run_doc, tmp_path, message)
