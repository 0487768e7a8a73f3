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
5. ``challenge``  each proof's ``challenge`` is exactly the one the verifier issued
   ``domain``     and, when the verifier expects a domain (or a set of them), the proof's
                  ``domain`` names exactly that set
6. each credential in ``verifiableCredential`` through the credential checks (Data Integrity,
   VC-JWT string, or ``EnvelopedVerifiableCredential``), paths under ``/verifiableCredential/N``

A presentation replayed to a verifier that issued another challenge fails step 5 (the
challenge is covered by the signature, so it cannot be edited either).
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping
from typing import Any

from vcbadge._json import member_entries
from vcbadge.proofs.data_integrity import proofs_of
from vcbadge.verify.result import Check

__all__ = ["binding", "expected_domains", "presented_credentials"]


def presented_credentials(document: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """Each entry of ``verifiableCredential`` with its path."""
    return member_entries(document, "verifiableCredential")


def expected_domains(domain: str | Collection[str] | None) -> frozenset[str] | None:
    """The set of domains a verifier expects, from one domain or a set of them (None: no
    domain is expected).

    Raises:
        ValueError: the verifier's own mistake: an empty set, or an entry that is not a
            non-empty string.
    """
    if domain is None:
        return None
    entries = [domain] if isinstance(domain, str) else list(domain)
    if not entries or not all(isinstance(entry, str) and entry for entry in entries):
        raise ValueError("domain, when given, must be a non-empty string or set of them")
    return frozenset(entries)


def binding(
    document: Mapping[str, Any], *, challenge: str, domain: str | Collection[str] | None
) -> Iterator[Check]:
    """``challenge`` and ``domain`` checks for every proof of the presentation.

    Data Integrity §4.2: the proof's ``challenge`` is exactly the verifier's, and its
    ``domain`` (one string or an unordered set of them) is exactly the set the verifier
    expects: a proof for a larger or smaller set of domains is not bound to this verifier.
    """
    expected = expected_domains(domain)
    for path, proof in proofs_of(document):
        if not isinstance(proof, Mapping):
            continue  # the proof step already reported it
        yield _challenge(proof, challenge, path)
        if expected is not None:
            yield _domain(proof, expected, path)


def _challenge(proof: Mapping[str, Any], challenge: str, path: str) -> Check:
    given = proof.get("challenge")
    if isinstance(given, str) and given == challenge:
        return Check.passed("challenge", "bound to the challenge", path)
    if given is None:
        code, message = (
            "challenge_missing",
            "the presentation proof has no challenge, so it could be a replay",
        )
    elif not isinstance(given, str):
        code, message = (
            "challenge_malformed",
            f"the proof's challenge is a {_json_type(given)}, not a string",
        )
    else:
        code, message = (
            "challenge_mismatch",
            f"the proof answers challenge {given!r}, not the one this verifier sent "
            "(a replayed or misdirected presentation)",
        )
    return Check.invalid("challenge", code=code, message=message, path=f"{path}/challenge")


def _domain(proof: Mapping[str, Any], expected: frozenset[str], path: str) -> Check:
    given = proof.get("domain")
    wanted = _show(expected)
    if given is None:
        return Check.invalid(
            "domain",
            code="domain_missing",
            message=f"the presentation proof names no domain; this verifier expects {wanted}",
            path=f"{path}/domain",
        )
    domains = _proof_domains(given)
    if domains is None:
        return Check.invalid(
            "domain",
            code="domain_malformed",
            message="the proof's domain must be a string or a set of distinct strings",
            path=f"{path}/domain",
        )
    if domains != expected:
        return Check.invalid(
            "domain",
            code="domain_mismatch",
            message=f"the proof is for domain {_show(domains)}, not {wanted}",
            path=f"{path}/domain",
        )
    return Check.passed("domain", f"bound to the domain {wanted}", path)


def _proof_domains(given: object) -> frozenset[str] | None:
    """The set a proof's ``domain`` names, or None when it is not a string or a non-empty
    array of distinct strings."""
    if isinstance(given, str):
        return frozenset([given])
    if (
        isinstance(given, list)
        and given
        and all(isinstance(entry, str) for entry in given)
        and len(set(given)) == len(given)
    ):
        return frozenset(given)
    return None


def _show(domains: frozenset[str]) -> str:
    if len(domains) == 1:
        return repr(next(iter(domains)))
    return "{" + ", ".join(map(repr, sorted(domains))) + "}"


def _json_type(value: object) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    return "array" if isinstance(value, list) else "object"
