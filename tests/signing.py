"""Sign a document below the Issuer and Holder, for tests that need a proof those refuse to
make (a presentation without holder, a credential with a wrong relatedResource digest, a key
document at its own URL): one helper, so such tests differ only in what they sign."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from vcbadge.jsonld.loader import default_loader
from vcbadge.jsonld.rdfc import Canonicalizer
from vcbadge.proofs.data_integrity import add_proof, create_proof
from vcbadge.proofs.registry import default_registry
from vcbadge.protocols import Signer

__all__ = ["sign_eddsa"]


def sign_eddsa(
    document: dict[str, Any],
    key: Signer,
    *,
    created: datetime,
    purpose: str = "assertionMethod",
    options: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """``document`` with an eddsa-rdfc-2022 proof by ``key`` for ``purpose``."""
    proof = create_proof(
        document,
        suite=default_registry().require("eddsa-rdfc-2022"),
        signer=key,
        canonicalizer=Canonicalizer(default_loader()),
        created=created,
        proof_purpose=purpose,
        options=options,
    )
    return add_proof(document, proof)
