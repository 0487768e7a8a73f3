"""What is particular to a Verifiable Presentation: its binding to the verifier's challenge
and domain, and where its credentials are. The steps run in
:func:`vcbadge.verify.dispatch.verify_presentation`:

1. ``parse``      strict JSON, limits
2. ``envelope``   a VC 1.1 / 2.0 presentation (:mod:`vcbadge.vcdm`): ``type`` has
                  ``VerifiablePresentation``, ``holder`` (when present) is a URL or an object
                  with a URL ``id``, each ``verifiableCredential`` a credential object (or, in
                  VC 1.1, a VC-JWT string)
3. ``contexts``   every ``@context`` allowed (the same step as for credentials)
4. ``proof``      every proof verifies (the same step as for credentials) with purpose
                  ``authentication``: the controller document must list the key under
                  ``authentication``, and, when the presentation names a ``holder``, the key's
                  controller must be the holder. Without ``holder`` (optional in VC Data Model
                  2.0 §4.13) the key's controller is not constrained, and the check says so.
5. ``challenge``  each proof's ``challenge`` equals the one the verifier issued
   ``domain``     and, when the verifier expects one, its ``domain`` equals it
6. each credential in ``verifiableCredential`` through the credential checks (Data Integrity,
   VC-JWT string, or ``EnvelopedVerifiableCredential``), paths under ``/verifiableCredential/N``

A presentation replayed to a verifier that issued another challenge fails step 5 (the
challenge is covered by the signature, so it cannot be edited either).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from vcbadge.proofs.data_integrity import proofs_of
from vcbadge.verify.result import Check, Outcome

__all__ = ["binding", "presented_credentials"]


def presented_credentials(document: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """Each entry of ``verifiableCredential`` with its path."""
    credentials = document.get("verifiableCredential")
    if credentials is None:
        return []
    if isinstance(credentials, list):
        return [(f"/verifiableCredential/{i}", item) for i, item in enumerate(credentials)]
    return [("/verifiableCredential", credentials)]


def binding(document: Mapping[str, Any], *, challenge: str, domain: str | None) -> Iterator[Check]:
    """``challenge`` and ``domain`` checks for every proof of the presentation."""
    for path, proof in proofs_of(document):
        if not isinstance(proof, Mapping):
            continue  # the proof step already reported it
        given = proof.get("challenge")
        if given is None:
            yield Check.invalid(
                "challenge",
                code="challenge_missing",
                message="the presentation proof has no challenge, so it could be a replay",
                path=f"{path}/challenge",
            )
        elif given != challenge:
            yield Check.invalid(
                "challenge",
                code="challenge_mismatch",
                message=f"the proof answers challenge {given!r}, not the one this verifier sent "
                "(a replayed or misdirected presentation)",
                path=f"{path}/challenge",
            )
        else:
            yield Check(
                name="challenge",
                outcome=Outcome.VALID,
                code="ok",
                message="bound to the challenge",
                path=path,
            )
        if domain is None:
            continue
        proof_domain = proof.get("domain")
        # Data Integrity allows one domain or an (unordered) set of them.
        domains = proof_domain if isinstance(proof_domain, list) else [proof_domain]
        if proof_domain is None:
            yield Check.invalid(
                "domain",
                code="domain_missing",
                message=f"the presentation proof names no domain; this verifier expects {domain!r}",
                path=f"{path}/domain",
            )
        elif domain not in domains:
            yield Check.invalid(
                "domain",
                code="domain_mismatch",
                message=f"the proof is for domain {proof_domain!r}, not {domain!r}",
                path=f"{path}/domain",
            )
        else:
            yield Check(
                name="domain",
                outcome=Outcome.VALID,
                code="ok",
                message=f"bound to the domain {domain}",
                path=path,
            )
