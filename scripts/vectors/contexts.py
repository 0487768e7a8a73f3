"""JSON-LD context vectors: inline context objects in ``@context`` (VC Data Model 2.0 allows
them; a verifier still expands them under the ``@protected`` rules of the contexts before
them), and ``relatedResource`` digests that pin the bytes of a context the credential uses."""

from __future__ import annotations

import base64

from vcbadge.jsonld.contexts import bundled_contexts

from .common import (
    Case,
    Json,
    ed25519,
    issue,
    key_entry,
    mutated,
    sign_below_issuer,
    unsigned,
    verify_case,
)

CONTEXTS_SPEC = "https://www.w3.org/TR/vc-data-model-2.0/#contexts"
PROTECTED_SPEC = "https://www.w3.org/TR/json-ld11/#protected-term-definitions"
RELATED_SPEC = "https://www.w3.org/TR/vc-data-model-2.0/#integrity-of-related-resources"
EXTRA_TERM = {"learningPathway": "https://vectors.example/vocab#learningPathway"}
REDEFINED_NAME = {"name": "https://vectors.example/vocab#name"}


def _with_inline_term(document: Json) -> None:
    document["@context"].append(dict(EXTRA_TERM))
    document["credentialSubject"]["learningPathway"] = "Engineering foundations"


def _redefining_name(document: Json) -> None:
    document["@context"].append(dict(REDEFINED_NAME))


def sri_sha256(url: str) -> str:
    """``sha256-<base64>`` of the published bytes of the context at ``url`` (the digest an
    issuer computes over the document it fetched from that URL)."""
    published = bundled_contexts()[url].published_sha256
    if published is None:
        raise AssertionError(f"no published digest recorded for {url}")
    return "sha256-" + base64.b64encode(bytes.fromhex(published)).decode("ascii")


def inline_context_cases() -> dict[str, Case]:
    key = ed25519(0x42)
    public = [key_entry(key, secret=False)]
    signed = issue(key, mutated(unsigned(111), _with_inline_term))
    # The redefinition cannot be signed (canonicalization refuses it): it is appended to a
    # signed credential, as an attacker re-labelling a signed term would.
    redefined = mutated(issue(key, unsigned(112)), _redefining_name)
    folder = "inline-contexts"
    return {
        f"{folder}/verify-valid.json": verify_case(
            f"{folder}/verify-valid",
            "A credential whose @context ends with an inline object defining one extra term "
            "(learningPathway), used in credentialSubject and covered by the signature. "
            "Inline contexts are allowed by VC Data Model 2.0 and accepted by vcbadge's "
            "default policy (allow_inline_contexts): VALID.",
            signed,
            "VALID",
            [],
            spec=CONTEXTS_SPEC,
            keys=public,
        ),
        f"{folder}/verify-redefines-protected-term.json": verify_case(
            f"{folder}/verify-redefines-protected-term",
            "A signed credential with an inline context appended that maps name, a term the "
            "VC 2.0 context defines as @protected, to another IRI. JSON-LD 1.1 forbids "
            "redefining a protected term (a protected term redefinition error), so the "
            "document cannot be expanded and its proof cannot be checked: INVALID, "
            "canonicalization_failed at /proof. A verifier that ignored the error could be "
            "made to read a signed term with another meaning.",
            redefined,
            "INVALID",
            ["canonicalization_failed"],
            spec=PROTECTED_SPEC,
            keys=public,
        ),
    }


def related_resource_cases() -> dict[str, Case]:
    key = ed25519(0x42)
    public = [key_entry(key, secret=False)]
    document = unsigned(121)
    context = document["@context"][1]
    document["relatedResource"] = [{"id": context, "digestSRI": sri_sha256(context)}]
    signed = issue(key, document)
    wrong = mutated(
        document,
        lambda doc: doc["relatedResource"][0].update(
            digestSRI="sha256-" + base64.b64encode(bytes(32)).decode("ascii")
        ),
    )
    # vcbadge's Issuer refuses a wrong digest of a context it holds: signed below it.
    wrong_signed = sign_below_issuer(
        {**wrong, "issuer": signed["issuer"], "validFrom": signed["validFrom"]}, key
    )
    folder = "related-resource"
    return {
        f"{folder}/verify-context-digest-valid.json": verify_case(
            f"{folder}/verify-context-digest-valid",
            f"A credential whose relatedResource lists the OB 3.0 context it uses ({context}) "
            "with digestSRI the SHA-256 of that context's published bytes. A verifier that "
            "holds the context must check the digest; it matches: VALID.",
            signed,
            "VALID",
            [],
            spec=RELATED_SPEC,
            keys=public,
        ),
        f"{folder}/verify-context-digest-mismatch.json": verify_case(
            f"{folder}/verify-context-digest-mismatch",
            "The same credential, correctly signed, whose relatedResource digestSRI for the "
            "OB 3.0 context is not the digest of its published bytes (32 zero bytes): the "
            "issuer pinned other bytes than those the verifier interprets the credential "
            "with. INVALID, related_resource_digest_mismatch at "
            "/relatedResource/0/digestSRI.",
            wrong_signed,
            "INVALID",
            ["related_resource_digest_mismatch"],
            spec=RELATED_SPEC,
            keys=public,
        ),
    }


def cases() -> dict[str, Case]:
    return {**inline_context_cases(), **related_resource_cases()}
