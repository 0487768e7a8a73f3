"""docs/how-to/verify-badges-in-an-upload-form.md runs: its Flask form says VALID for a baked
badge, INVALID with the reason for a forged one, refuses what is not a badge by its bytes (not
its name), answers 413 over the cap, and keeps uploads in memory; its Django view does the same
when Django is installed."""

from __future__ import annotations

import io
import json
import os
import tempfile
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from badge_images import chunk, make_png
from test_docs import ROOT, Block, fenced_blocks

from vcbadge import Achievement, AchievementCredential, Criteria, FixedClock, Issuer, Profile
from vcbadge.bake import bake
from vcbadge.keys import Ed25519Key

DOC = ROOT / "docs" / "how-to" / "verify-badges-in-an-upload-form.md"
CLOCK = FixedClock(datetime(2025, 3, 1, tzinfo=timezone.utc))


def is_django(block: Block) -> bool:
    return "django" in block.text.lower() and block.kind == "python"


def not_django(block: Block) -> bool:
    return not is_django(block)


@pytest.fixture
def page(run_doc: Any) -> dict[str, Any]:
    """The namespace after the page's framework-neutral, Flask and try-it blocks."""
    run = run_doc(DOC, keep=not_django)
    assert run.printed.splitlines()[1:] == ["200", "415"]  # the forged copy, the photo
    assert run.printed.startswith("200 <!DOCTYPE html>")
    return run.namespace


@pytest.fixture(scope="module")
def credential() -> dict[str, Any]:
    key = Ed25519Key.generate()
    issuer = Issuer(Profile(id=key.did, name="Test School"), key=key, clock=CLOCK)
    achievement = Achievement(
        id="https://badges.example.edu/achievements/test",
        name="Testing 101",
        description="Wrote tests.",
        criteria=Criteria(narrative="Pass."),
    )
    return issuer.issue(AchievementCredential.award(achievement, recipient="did:example:ada"))


@pytest.fixture
def client(page: dict[str, Any]) -> Iterator[Any]:
    with page["app"].test_client() as test_client:
        yield test_client


def multipart(data: bytes, filename: str, content_type: str = "application/octet-stream") -> bytes:
    """A form with one file field ``badge``, encoded here: Werkzeug's test client would spool a
    large form to a temporary file of its own."""
    return (
        b'--XyZ\r\nContent-Disposition: form-data; name="badge"; filename="'
        + filename.encode()
        + b'"\r\nContent-Type: '
        + content_type.encode()
        + b"\r\n\r\n"
        + data
        + b"\r\n--XyZ--\r\n"
    )


FORM_TYPE = "multipart/form-data; boundary=XyZ"


def post(client: Any, data: bytes, filename: str, content_type: str = "image/png") -> Any:
    return client.post(
        "/verify", data=multipart(data, filename, content_type), content_type=FORM_TYPE
    )


def python_blocks() -> list[Block]:
    return [block for block in fenced_blocks(DOC) if block.kind == "python"]


def test_the_page_has_the_neutral_flask_try_and_django_blocks() -> None:
    python = python_blocks()
    assert "def check_upload" in python[0].text
    assert "from flask import" in python[1].text
    assert "test_client()" in python[2].text
    assert [block for block in python if is_django(block)] == python[3:]
    assert len(python) == 5


def test_a_baked_png_is_valid_whatever_its_name_and_declared_type(
    client: Any, credential: dict[str, Any]
) -> None:
    image = bake(make_png(8, 8), credential)
    response = post(client, image, "notes.txt", "text/plain")
    assert response.status_code == 200
    assert "<h1>VALID</h1>" in response.text
    assert "This badge is valid" in response.text
    assert "anyone can make one and claim any name" in response.text  # the issuer line
    for header in ("Content-Security-Policy", "X-Content-Type-Options", "Cache-Control"):
        assert header in response.headers
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]


def test_a_credential_as_json_and_as_svg_are_valid(client: Any, credential: dict[str, Any]) -> None:
    assert "<h1>VALID</h1>" in post(client, json.dumps(credential).encode(), "b.json").text
    svg = bake(b'<svg xmlns="http://www.w3.org/2000/svg"/>', credential)
    assert "<h1>VALID</h1>" in post(client, svg, "b.svg").text


def test_a_tampered_baked_badge_is_invalid_with_its_reason(
    client: Any, credential: dict[str, Any]
) -> None:
    forged = json.loads(json.dumps(credential))
    forged["credentialSubject"]["achievement"]["name"] = "Testing 901"
    response = post(client, bake(make_png(8, 8), forged), "badge.png")
    assert response.status_code == 200
    assert "<h1>INVALID</h1>" in response.text
    assert "This badge is not valid" in response.text
    assert "<li>Forged or altered: " in response.text
    assert "<code>invalid_signature</code>" in response.text


def test_a_broken_baked_image_is_invalid_with_the_image_code(
    client: Any, credential: dict[str, Any]
) -> None:
    image = bytearray(bake(make_png(8, 8), credential))
    image[-20] ^= 0x01  # inside the credential chunk: its CRC no longer matches
    response = post(client, bytes(image), "badge.png")
    assert "<h1>INVALID</h1>" in response.text
    assert "<li>Failed a check: " in response.text
    assert "<code>png_bad_crc</code>" in response.text


def test_an_expired_badge_says_expired_and_when(client: Any) -> None:
    key = Ed25519Key.generate()
    issuer = Issuer(Profile(id=key.did, name="Test School"), key=key, clock=CLOCK)
    achievement = Achievement(
        id="https://badges.example.edu/achievements/t",
        name="T",
        description="T.",
        criteria=Criteria(narrative="T."),
    )
    award = AchievementCredential.award(
        achievement,
        recipient="did:example:ada",
        valid_until=datetime(2025, 6, 1, tzinfo=timezone.utc),
    )
    response = post(client, json.dumps(issuer.issue(award)).encode(), "b.json")
    assert "<h1>INVALID</h1>" in response.text
    assert "<li>Expired: " in response.text
    assert "<code>expired</code>" in response.text


def test_a_did_web_badge_offline_could_not_be_checked(client: Any) -> None:
    """What the page's last section says: INDETERMINATE, with the reason and its code."""
    key = Ed25519Key.generate(controller="did:web:badges.example.edu", key_id="#key-1")
    profile = Profile(id="did:web:badges.example.edu", name="Test School")
    achievement = Achievement(
        id="https://badges.example.edu/achievements/t",
        name="T",
        description="T.",
        criteria=Criteria(narrative="T."),
    )
    credential = Issuer(profile, key=key, clock=CLOCK).issue(
        AchievementCredential.award(achievement, recipient="did:example:ada")
    )
    response = post(client, bake(make_png(8, 8), credential), "badge.png")
    assert response.status_code == 200
    assert "<h1>INDETERMINATE</h1>" in response.text
    assert "<li>Could not be checked: " in response.text
    assert "<code>unsupported_did_method</code>" in response.text


@pytest.mark.parametrize(
    ("data", "filename"),
    [
        (b"\xff\xd8\xff\xe0 a photo", "badge.png"),  # a JPEG named like a badge
        (b"GIF89a....", "badge.svg"),
        (b"%PDF-1.7 a certificate", "badge.json"),
        (b"just some notes", "badge.jwt"),
        (b"\x80\x81 not utf-8", "badge.json"),
        (b"https://example.org/assertions/1", "badge.json"),  # a URL is not a badge file
        (make_png(4, 4)[:30], "badge.png"),  # not even a whole PNG: still a PNG, verified
    ],
    ids=["jpeg", "gif", "pdf", "text", "binary", "url", "truncated-png"],
)
def test_what_is_not_a_badge_gets_a_clear_message(client: Any, data: bytes, filename: str) -> None:
    response = post(client, data, filename, "image/png")
    if data.startswith(b"\x89PNG"):
        # A PNG is a badge image by its bytes; a broken one is INVALID with the image's code.
        assert response.status_code == 200
        assert "<h1>INVALID</h1>" in response.text
        assert "<code>png_truncated</code>" in response.text
        return
    assert response.status_code == 415
    assert "This file is not a badge. Upload the badge image (PNG or SVG)" in response.text
    assert "<h1>" not in response.text


def test_no_file_is_a_400_asking_for_one(client: Any) -> None:
    response = client.post("/verify", data={}, content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Choose a badge file" in response.text
    response = post(client, b"", "")  # the browser's part for "no file chosen"
    assert response.status_code == 400


def test_the_form_page_is_served_with_the_headers(client: Any) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in response.text
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_an_upload_over_the_cap_is_413_before_it_is_verified(
    client: Any, page: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("an upload over the cap reached the verifier")

    monkeypatch.setattr(page["verifier"], "verify", refuse)
    size = page["MAX_REQUEST_BYTES"] + 1
    response = post(client, b"\0" * size, "big.png")
    assert response.status_code == 413
    assert "larger than any badge" in response.text
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]


def test_a_body_without_a_declared_length_is_capped_too(
    client: Any, page: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A chunked body (no Content-Length) is cut at the cap while it is read."""
    page["app"].config["MAX_CONTENT_LENGTH"] = 64 * 1024
    body = multipart(b"\0" * 100_000, "b.png")
    response = client.post(
        "/verify",
        input_stream=io.BytesIO(body),
        content_type=FORM_TYPE,
        environ_overrides={"wsgi.input_terminated": True},
        headers={"Transfer-Encoding": "chunked"},
    )
    assert response.status_code == 413


def test_a_form_with_many_parts_is_refused(client: Any) -> None:
    fields = {f"field{n}": "x" for n in range(10)}
    response = client.post("/verify", data=fields, content_type="multipart/form-data")
    assert response.status_code == 413


def test_a_large_upload_stays_in_memory(
    client: Any, credential: dict[str, Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    filler = chunk(b"tEXt", b"Comment\0" + b"x" * (2 * 1024 * 1024))
    image = bake(make_png(8, 8, before_idat=[filler]), credential)
    private_temp = tmp_path / "private-tmp"
    private_temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private_temp))

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the upload was about to be written to a temporary file")

    for name in ("TemporaryFile", "NamedTemporaryFile", "SpooledTemporaryFile", "mkstemp"):
        monkeypatch.setattr(tempfile, name, refuse)
    response = post(client, image, "large.png")
    assert response.status_code == 200
    assert "<h1>VALID</h1>" in response.text
    assert os.listdir(private_temp) == []


def test_what_the_badge_says_is_escaped(client: Any) -> None:
    """The issuer line quotes the name the credential claims: it cannot put markup in the
    page."""
    key = Ed25519Key.generate()
    profile = Profile(id=key.did, name="<script>alert(1)</script> University")
    achievement = Achievement(
        id="https://badges.example.edu/achievements/t",
        name="T",
        description="T.",
        criteria=Criteria(narrative="T."),
    )
    credential = Issuer(profile, key=key, clock=CLOCK).issue(
        AchievementCredential.award(achievement, recipient="did:example:ada")
    )
    response = post(client, json.dumps(credential).encode(), "b.json")
    assert "<h1>VALID</h1>" in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; University" in response.text
    assert "<script>" not in response.text


# Django: the same function behind a Django view, when Django is installed.


@pytest.fixture(scope="module")
def django_settings() -> Any:
    django = pytest.importorskip(
        "django", reason="Django is not installed (it is not in the dev extra yet)"
    )
    from django.conf import settings

    if not settings.configured:
        settings.configure(
            DEBUG=False,
            ALLOWED_HOSTS=["testserver"],
            DEFAULT_CHARSET="utf-8",
            USE_TZ=True,
        )
        django.setup()
    return settings


@pytest.fixture
def django_view(
    run_doc: Any, django_settings: Any, monkeypatch: pytest.MonkeyPatch
) -> dict[str, Any]:
    def neutral_or_django(block: Block) -> bool:
        return block.kind == "python" and ("def check_upload" in block.text or is_django(block))

    settings_block = [b for b in python_blocks() if "FILE_UPLOAD_HANDLERS" in b.text]
    assert len(settings_block) == 1
    declared: dict[str, Any] = {}
    exec(settings_block[0].text, declared)
    for name, value in declared.items():
        if name.isupper():
            monkeypatch.setattr(django_settings, name, value, raising=False)
    namespace: dict[str, Any] = run_doc(DOC, keep=neutral_or_django).namespace
    # settings.py spells the cap out: it must be the cap the view refuses above.
    assert declared["FILE_UPLOAD_MAX_MEMORY_SIZE"] == namespace["MAX_REQUEST_BYTES"]
    return namespace


def django_post(view: Any, data: bytes, filename: str) -> tuple[Any, Any]:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import RequestFactory

    request = RequestFactory().post(
        "/verify", {"badge": SimpleUploadedFile(filename, data, "image/png")}
    )
    return request, view(request)


def test_the_django_view_verifies_and_keeps_the_upload_in_memory(
    django_view: dict[str, Any], credential: dict[str, Any]
) -> None:
    from django.core.files.uploadedfile import InMemoryUploadedFile

    view = django_view["verify_badge"]
    # Over Django's default 2.5 MB in-memory limit, under the page's cap.
    filler = chunk(b"tEXt", b"Comment\0" + b"x" * (3 * 1024 * 1024))
    image = bake(make_png(8, 8, before_idat=[filler]), credential)
    request, response = django_post(view, image, "x.txt")
    assert response.status_code == 200
    assert b"<h1>VALID</h1>" in response.content
    assert isinstance(request.FILES["badge"], InMemoryUploadedFile)
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]

    forged = json.loads(json.dumps(credential))
    forged["credentialSubject"]["achievement"]["name"] = "Testing 901"
    _, response = django_post(view, json.dumps(forged).encode(), "b.json")
    assert b"<h1>INVALID</h1>" in response.content
    assert b"<code>invalid_signature</code>" in response.content

    _, response = django_post(view, b"\xff\xd8\xff\xe0 a photo", "badge.png")
    assert response.status_code == 415
    assert b"This file is not a badge." in response.content


def test_the_django_view_refuses_an_upload_over_the_cap(
    django_view: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("an upload over the cap reached the verifier")

    monkeypatch.setattr(django_view["verifier"], "verify", refuse)
    request, response = django_post(
        django_view["verify_badge"], b"\0" * (django_view["MAX_REQUEST_BYTES"] + 1), "big.png"
    )
    assert response.status_code == 413
    assert b"larger than any badge" in response.content
    # Left unread: had Django parsed the form, its stream would now be empty.
    assert len(request.read()) > django_view["MAX_REQUEST_BYTES"]


def test_the_django_view_answers_only_post(django_view: dict[str, Any]) -> None:
    from django.test import RequestFactory

    response = django_view["verify_badge"](RequestFactory().get("/verify"))
    assert response.status_code == 405
