"""Canonicalization vectors: RDFC-1.0 N-Quads of a small credential (written out by hand from
the VC 2.0 context), and a term no context defines."""

from __future__ import annotations

from typing import Any

from vcbadge.errors import VcbadgeError
from vcbadge.jsonld.loader import default_loader
from vcbadge.jsonld.rdfc import canonicalize

from .common import Case, Json, plain_case

RDFC = "https://www.w3.org/TR/rdf-canon/#canon-algorithm"
DI_TRANSFORM = "https://www.w3.org/TR/vc-di-eddsa/#transformation-eddsa-rdfc-2022"
CREDENTIAL_ID = "urn:uuid:00000000-0000-4000-8000-000000000061"

# The expected N-Quads, from the terms of https://www.w3.org/ns/credentials/v2: the subject has
# no id, so it is the blank node _:c14n0; lines are sorted by code point.
_CRED = "https://www.w3.org/2018/credentials#"
EXPECTED_NQUADS = (
    f"<{CREDENTIAL_ID}> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
    f"<{_CRED}VerifiableCredential> .\n"
    f"<{CREDENTIAL_ID}> <{_CRED}credentialSubject> _:c14n0 .\n"
    f"<{CREDENTIAL_ID}> <{_CRED}issuer> <did:example:issuer> .\n"
    f'<{CREDENTIAL_ID}> <{_CRED}validFrom> "2025-01-15T09:30:00Z"'
    "^^<http://www.w3.org/2001/XMLSchema#dateTime> .\n"
    '_:c14n0 <https://schema.org/name> "Ada Lovelace" .\n'
)


def _document(**subject: Any) -> Json:
    return {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": CREDENTIAL_ID,
        "type": ["VerifiableCredential"],
        "issuer": "did:example:issuer",
        "validFrom": "2025-01-15T09:30:00Z",
        "credentialSubject": {"name": "Ada Lovelace", **subject},
    }


def run(document: Any) -> Json:
    """What vcbadge answers for a canonicalize case input."""
    try:
        return {"output": canonicalize(document, default_loader())}
    except VcbadgeError as error:
        return {"error": {"code": error.code, "path": error.path}}


def cases() -> dict[str, Case]:
    return {
        "canonicalize/credential.json": plain_case(
            "canonicalize/credential",
            "RDFC-1.0 canonical N-Quads of a VC 2.0 credential whose subject is a blank node "
            "(what the rdfc cryptosuites hash). expected.output is the exact text "
            "(`vcbadge canonicalize` prints it).",
            RDFC,
            "canonicalize",
            _document(),
            {"output": EXPECTED_NQUADS},
            check=run,
        ),
        "canonicalize/undefined-term.json": plain_case(
            "canonicalize/undefined-term",
            "The subject has a property no context defines: JSON-LD would silently drop it "
            "(it would not be signed), so canonicalization fails with undefined_term at its "
            "JSON pointer (`vcbadge canonicalize` exits 65).",
            DI_TRANSFORM,
            "canonicalize",
            _document(favouriteColour="green"),
            {"error": {"code": "undefined_term", "path": "/credentialSubject/favouriteColour"}},
            check=run,
        ),
    }
