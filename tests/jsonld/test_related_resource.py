"""relatedResource digests (VC Data Model 2.0 §5.3) against the published context documents.

Digests are written here with hashlib, base64 and multiformats, independently of the parsing in
``vcbadge.jsonld.related_resource``. Tests that hash the published documents themselves need the
shared reference corpus and skip without it; the others use the manifest's recorded facts.
"""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from multiformats import multibase, varint
from reference_corpus import reference_root, requires_reference

from vcbadge.errors import (
    ModelError,
    ResolutionError,
    UnsupportedError,
    VerificationError,
)
from vcbadge.jsonld import related_resource as module
from vcbadge.jsonld.contexts import bundled_contexts
from vcbadge.jsonld.related_resource import (
    DIGEST_MALFORMED,
    DIGEST_MISMATCH,
    DIGEST_OK,
    DIGEST_UNKNOWN,
    NOT_HELD,
    RESOURCE_MALFORMED,
    RelatedResourceResult,
    check_related_resources,
    published_digest,
    triage_related_resources,
)

V2 = "https://www.w3.org/ns/credentials/v2"
OB_ALIAS = "https://purl.imsglobal.org/spec/ob/v3p0/context/ob_v3p0.jsonld"
IMAGE = "https://badges.example.edu/images/py101.png"
ALGORITHMS = ("sha256", "sha384", "sha512")
MULTIHASH_CODES = {"sha256": 0x12, "sha384": 0x20, "sha512": 0x13}


def sri(algorithm: str, digest: bytes) -> str:
    return f"{algorithm}-{base64.b64encode(digest).decode('ascii')}"


def multihash(algorithm: str, digest: bytes) -> bytes:
    return (
        bytes(varint.encode(MULTIHASH_CODES[algorithm]))
        + bytes(varint.encode(len(digest)))
        + digest
    )


def multibase_digest(algorithm: str, digest: bytes, base: str) -> str:
    encoded: str = multibase.encode(multihash(algorithm, digest), base)
    return encoded


def credential(*resources: dict[str, Any]) -> dict[str, Any]:
    return {"@context": [V2], "type": ["VerifiableCredential"], "relatedResource": list(resources)}


def known(url: str, algorithm: str) -> bytes:
    digest = published_digest(url, algorithm)
    assert digest is not None, (url, algorithm)
    return digest


def flip_bit(digest: bytes) -> bytes:
    return bytes([digest[0] ^ 0x01]) + digest[1:]


def codes(results: tuple[RelatedResourceResult, ...]) -> list[tuple[str, str]]:
    return [(result.code, result.path) for result in results]


# --- against the published bytes in the reference corpus -------------------------------------


def _published_bytes() -> dict[str, bytes]:
    root = reference_root()
    assert root is not None
    index = json.loads((root / "contexts" / "index.json").read_text(encoding="utf-8"))
    return {
        url: Path(root / "contexts" / entry["file"]).read_bytes()
        for url, entry in index["contexts"].items()
    }


def _published(url: str) -> bytes:
    published = _published_bytes()
    if url not in published:
        # The OB 2.0 context: vcbadge holds its own version of it, but no published copy is in
        # the corpus, so no published digest could be recorded (see the test below).
        pytest.skip(f"the reference corpus has no published copy of {url}")
    return published[url]


@requires_reference
def test_held_contexts_without_a_published_copy_have_no_published_digest() -> None:
    """A digest is recorded only from published bytes: a context whose published copy is not in
    the corpus has none, so a relatedResource digest of it cannot be confirmed (never passed)."""
    published = _published_bytes()
    missing = sorted(url for url in bundled_contexts() if url not in published)
    assert missing == [
        "https://openbadgespec.org/v2/context.json",
        "https://w3id.org/openbadges/v2",
    ]
    for url in missing:
        for algorithm in ALGORITHMS:
            assert published_digest(url, algorithm) is None


@requires_reference
@pytest.mark.parametrize("url", sorted(bundled_contexts()))
def test_published_digests_recorded_for_every_held_context(url: str) -> None:
    data = _published(url)
    for algorithm in ALGORITHMS:
        assert published_digest(url, algorithm) == hashlib.new(algorithm, data).digest()


@requires_reference
@pytest.mark.parametrize("url", sorted(bundled_contexts()))
def test_correct_digests_of_every_held_context_pass(url: str) -> None:
    data = _published(url)
    resources = []
    for algorithm in ALGORITHMS:
        digest = hashlib.new(algorithm, data).digest()
        resources.append({"id": url, "digestSRI": sri(algorithm, digest)})
        for base in ("base64url", "base58btc"):
            resources.append(
                {"id": url, "digestMultibase": multibase_digest(algorithm, digest, base)}
            )
    results = check_related_resources(credential(*resources))
    assert len(results) == len(resources)
    assert all(result.ok for result in results), [r.message for r in results if not r.ok]
    assert {result.algorithm for result in results} == set(ALGORITHMS)


@requires_reference
def test_digest_of_vcbadges_own_file_is_a_mismatch() -> None:
    # The issuer's digest is over the published bytes; vcbadge's rewritten file differs.
    from vcbadge.jsonld.contexts import contexts_directory

    own = (contexts_directory() / bundled_contexts()[V2].file).read_bytes()
    assert own != _published_bytes()[V2]
    digest = hashlib.sha384(own).digest()
    results = check_related_resources(credential({"id": V2, "digestSRI": sri("sha384", digest)}))
    assert codes(results) == [(DIGEST_MISMATCH, "/relatedResource/0/digestSRI")]


# --- from the recorded facts (no corpus needed) ------------------------------------------------


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_sri_and_multibase_forms_match(algorithm: str) -> None:
    digest = known(V2, algorithm)
    results = check_related_resources(
        credential(
            {
                "id": V2,
                "digestSRI": sri(algorithm, digest),
                "digestMultibase": multibase_digest(algorithm, digest, "base58btc"),
            },
            {"id": V2, "digestMultibase": multibase_digest(algorithm, digest, "base64url")},
        )
    )
    assert codes(results) == [
        (DIGEST_OK, "/relatedResource/0/digestSRI"),
        (DIGEST_OK, "/relatedResource/0/digestMultibase"),
        (DIGEST_OK, "/relatedResource/1/digestMultibase"),
    ]
    assert all(result.url == V2 and result.algorithm == algorithm for result in results)
    assert all(result.error() is None for result in results)


def test_alias_url_uses_the_primary_documents_digest() -> None:
    primary = bundled_contexts()[OB_ALIAS].alias_of
    assert primary is not None
    digest = known(primary, "sha384")
    results = check_related_resources(
        credential({"id": OB_ALIAS, "digestSRI": sri("sha384", digest)})
    )
    assert codes(results) == [(DIGEST_OK, "/relatedResource/0/digestSRI")]


@pytest.mark.parametrize("algorithm", ALGORITHMS)
def test_one_bit_off_sri_fails_with_its_path(algorithm: str) -> None:
    good = known(V2, "sha256")
    bad = flip_bit(known(V2, algorithm))
    results = check_related_resources(
        credential(
            {"id": V2, "digestSRI": sri("sha256", good)},
            {"id": V2, "digestSRI": sri(algorithm, bad)},
        )
    )
    assert codes(results) == [
        (DIGEST_OK, "/relatedResource/0/digestSRI"),
        (DIGEST_MISMATCH, "/relatedResource/1/digestSRI"),
    ]
    error = results[1].error()
    assert isinstance(error, VerificationError)
    assert (error.code, error.path) == (DIGEST_MISMATCH, "/relatedResource/1/digestSRI")


@pytest.mark.parametrize("base", ["base64url", "base58btc"])
def test_one_bit_off_multibase_fails_with_its_path(base: str) -> None:
    bad = flip_bit(known(V2, "sha512"))
    results = check_related_resources(
        credential({"id": V2, "digestMultibase": multibase_digest("sha512", bad, base)})
    )
    assert codes(results) == [(DIGEST_MISMATCH, "/relatedResource/0/digestMultibase")]


def test_every_sri_expression_is_compared() -> None:
    # SRI metadata may list several hash expressions: a wrong one is not hidden by a right one.
    value = f"{sri('sha384', known(V2, 'sha384'))}  {sri('sha512', flip_bit(known(V2, 'sha512')))}"
    results = check_related_resources(credential({"id": V2, "digestSRI": value}))
    assert [(r.code, r.algorithm) for r in results] == [
        (DIGEST_OK, "sha384"),
        (DIGEST_MISMATCH, "sha512"),
    ]


def test_sri_algorithm_is_case_insensitive_and_options_are_ignored() -> None:
    value = (
        sri("sha384", known(V2, "sha384")).replace("sha384", "SHA384") + "?ct=application/ld+json"
    )
    results = check_related_resources(credential({"id": V2, "digestSRI": value}))
    assert codes(results) == [(DIGEST_OK, "/relatedResource/0/digestSRI")]


def test_single_object_related_resource() -> None:
    document = {"relatedResource": {"id": V2, "digestSRI": sri("sha256", known(V2, "sha256"))}}
    assert codes(check_related_resources(document)) == [(DIGEST_OK, "/relatedResource/digestSRI")]


def test_no_related_resource() -> None:
    assert check_related_resources({"@context": [V2]}) == ()


# --- digests vcbadge cannot compare ------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("digestSRI", "sha1-" + base64.b64encode(b"\x00" * 20).decode()),
        ("digestSRI", "sha3-256-" + base64.b64encode(b"\x00" * 32).decode()),
        # sha3-256 multihash (0x16)
        ("digestMultibase", multibase.encode(b"\x16\x20" + b"\x00" * 32, "base58btc")),
        # a truncated sha2-256 multihash (16 of 32 bytes)
        ("digestMultibase", multibase.encode(b"\x12\x10" + b"\x00" * 16, "base64url")),
        # base64 with padding ('M') is a valid multibase vcbadge does not read
        ("digestMultibase", multibase.encode(b"\x12\x20" + b"\x00" * 32, "base64pad")),
    ],
)
def test_unknown_digest(field: str, value: str) -> None:
    results = check_related_resources(credential({"id": V2, field: value}))
    assert codes(results) == [(DIGEST_UNKNOWN, f"/relatedResource/0/{field}")]
    assert isinstance(results[0].error(), UnsupportedError)
    assert triage_related_resources(results).unchecked == results


def test_held_context_without_recorded_published_digest_is_unknown(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    digest = known(V2, "sha384")
    monkeypatch.setattr(module, "published_digest", lambda url, algorithm: None)
    results = check_related_resources(credential({"id": V2, "digestSRI": sri("sha384", digest)}))
    assert codes(results) == [(DIGEST_UNKNOWN, "/relatedResource/0/digestSRI")]
    assert "no recorded sha384 digest" in results[0].message


def test_unknown_next_to_a_match_is_not_unchecked() -> None:
    value = f"{sri('sha384', known(V2, 'sha384'))} sha1-{base64.b64encode(b'x' * 20).decode()}"
    results = check_related_resources(credential({"id": V2, "digestSRI": value}))
    assert [r.code for r in results] == [DIGEST_OK, DIGEST_UNKNOWN]
    triage = triage_related_resources(results)
    assert triage.unchecked == ()
    assert triage.invalid == ()
    assert triage.checked == results[:1]


# --- resources vcbadge does not hold -----------------------------------------------------------


def test_not_held() -> None:
    digest = hashlib.sha384(b"an image").digest()
    results = check_related_resources(
        credential(
            {"id": IMAGE, "digestSRI": sri("sha384", digest)},
            {"id": V2 + "/", "digestSRI": sri("sha384", known(V2, "sha384"))},  # no exact match
        )
    )
    assert codes(results) == [
        (NOT_HELD, "/relatedResource/0/id"),
        (NOT_HELD, "/relatedResource/1/id"),
    ]
    assert results[0].url == IMAGE
    assert isinstance(results[0].error(), ResolutionError)
    triage = triage_related_resources(results)
    assert triage.not_held == results
    assert triage.invalid == triage.unchecked == ()


def test_malformed_digest_of_a_resource_not_held_is_still_reported() -> None:
    results = check_related_resources(credential({"id": IMAGE, "digestSRI": "sha384-%%%"}))
    assert codes(results) == [
        (DIGEST_MALFORMED, "/relatedResource/0/digestSRI"),
        (NOT_HELD, "/relatedResource/0/id"),
    ]


# --- malformed values and entries --------------------------------------------------------------

_GOOD_384 = base64.b64encode(b"\x01" * 48).decode()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("digestSRI", ""),
        ("digestSRI", 42),
        ("digestSRI", ["sha384-" + _GOOD_384]),
        ("digestSRI", _GOOD_384),  # no algorithm
        ("digestSRI", "sha384-" + _GOOD_384.rstrip("=") + "!"),  # not base64
        ("digestSRI", "sha384-" + base64.b64encode(b"\x01" * 32).decode()),  # wrong length
        ("digestSRI", "sha384-" + base64.urlsafe_b64encode(b"\xff" * 48).decode()),  # base64url
        ("digestSRI", "sha256-" + base64.b64encode(b"\x01" * 32).decode().rstrip("=")),  # no pad
        ("digestMultibase", 7),
        ("digestMultibase", "u"),
        ("digestMultibase", "z0OIl"),  # not base58btc
        ("digestMultibase", "u" + base64.b64encode(b"\xfb" * 34).decode()),  # '+' not base64url
        ("digestMultibase", multibase.encode(b"\x12\x20" + b"\x00" * 31, "base64url")),  # short
        ("digestMultibase", multibase.encode(b"\x92", "base64url")),  # truncated varint
        ("digestMultibase", multibase.encode(b"\x92\x00\x20" + b"\x00" * 32, "base58btc")),
        ("digestMultibase", "z" + "2" * 300),  # far too long for a digest
    ],
)
def test_malformed_digest(field: str, value: Any) -> None:
    results = check_related_resources(credential({"id": V2, field: value}))
    assert codes(results) == [(DIGEST_MALFORMED, f"/relatedResource/0/{field}")]
    error = results[0].error()
    assert isinstance(error, ModelError)
    assert (error.code, error.path) == (DIGEST_MALFORMED, f"/relatedResource/0/{field}")
    assert triage_related_resources(results).invalid == results


@pytest.mark.parametrize(
    ("related", "path"),
    [
        (5, "/relatedResource"),
        ([], "/relatedResource"),
        (["https://www.w3.org/ns/credentials/v2"], "/relatedResource/0"),
        ([{"digestSRI": "sha384-" + _GOOD_384}], "/relatedResource/0/id"),
        ([{"id": 3, "digestSRI": "sha384-" + _GOOD_384}], "/relatedResource/0/id"),
        ([{"id": V2}], "/relatedResource/0"),
    ],
)
def test_malformed_entry(related: Any, path: str) -> None:
    results = check_related_resources({"relatedResource": related})
    assert codes(results) == [(RESOURCE_MALFORMED, path)]
    assert isinstance(results[0].error(), ModelError)


def test_results_are_frozen_and_keyword_only() -> None:
    result = RelatedResourceResult(code=DIGEST_OK, path="/relatedResource/0/digestSRI", message="")
    with pytest.raises(AttributeError):
        result.code = DIGEST_MISMATCH  # type: ignore[misc]
    with pytest.raises(TypeError):
        RelatedResourceResult(DIGEST_OK, "", "")  # type: ignore[call-arg]


def test_a_damaged_published_digest_fact_fails_closed(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    manifest = {"contexts": [{"url": V2, "published_sha384": "ABCD"}]}
    (tmp_path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    monkeypatch.setattr(module, "contexts_directory", lambda: tmp_path)
    module._published_facts.cache_clear()
    try:
        with pytest.raises(RuntimeError, match="published_sha384"):
            published_digest(V2, "sha384")
    finally:
        monkeypatch.undo()
        module._published_facts.cache_clear()
    assert published_digest(V2, "sha384") is not None
