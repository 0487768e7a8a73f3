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

from vcbadge._json import member_entries
from vcbadge.proofs.data_integrity import proofs_of
from vcbadge.verify.result import Check

__all__ = ["binding", "presented_credentials"]


def presented_credentials(document: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """Each entry of ``verifiableCredential`` with its path."""
    return member_entries(document, "verifiableCredential")


def binding(document: Mapping[str, Any], *, challenge: str, domain: str | None) -> Iterator[Check]:
    """``challenge`` and ``domain`` checks for every proof of the presentation."""
    for path, proof in proofs_of(document):
        if not isinstance(proof, Mapping):
            continue  # the proof step already reported it
        yield _challenge(proof, challenge, path)
        if domain is not None:
            yield _domain(proof, domain, path)


def _challenge(proof: Mapping[str, Any], challenge: str, path: str) -> Check:
    given = proof.get("challenge")
    if given == challenge:
        return Check.passed("challenge", "bound to the challenge", path)
    if given is None:
        code, message = (
            "challenge_missing",
            "the presentation proof has no challenge, so it could be a replay",
        )
    else:
        code, message = (
            "challenge_mismatch",
            f"the proof answers challenge {given!r}, not the one this verifier sent "
            "(a replayed or misdirected presentation)",
        )
    return Check.invalid("challenge", code=code, message=message, path=f"{path}/challenge")


def _domain(proof: Mapping[str, Any], domain: str, path: str) -> Check:
    given = proof.get("domain")
    # Data Integrity allows one domain or an (unordered) set of them.
    if given is not None and domain in (given if isinstance(given, list) else [given]):
        return Check.passed("domain", f"bound to the domain {domain}", path)
    if given is None:
        code = "domain_missing"
        message = f"the presentation proof names no domain; this verifier expects {domain!r}"
    else:
        code, message = "domain_mismatch", f"the proof is for domain {given!r}, not {domain!r}"
    return Check.invalid("domain", code=code, message=message, path=f"{path}/domain")
