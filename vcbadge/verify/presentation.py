"""Verifying a Verifiable Presentation: holder proof bound to a challenge, then every credential.

1. ``parse``      strict JSON, limits
2. ``envelope``   a VC 1.1 / 2.0 presentation (``vcbadge.verify.envelope``): ``type`` has
                  ``VerifiablePresentation``, ``holder`` (when present) is a URL or an object
                  with a URL ``id``, each ``verifiableCredential`` a credential object (or, in
                  VC 1.1, a VC-JWT string)
3. ``contexts``   every ``@context`` allowed (the same step as for credentials)
4. ``proof``      every proof verifies (the same step as for credentials) with purpose
                  ``authentication``: the holder's controller document must list the key under
                  ``authentication``, and the key's controller must be the ``holder``
5. ``challenge``  each proof's ``challenge`` equals the one the verifier issued
   ``domain``     and, when the verifier expects one, its ``domain`` equals it
6. each credential in ``verifiableCredential`` through the credential pipeline (Data Integrity,
   VC-JWT string, or ``EnvelopedVerifiableCredential``), paths under ``/verifiableCredential/N``

A presentation replayed to a verifier that issued another challenge fails step 5 (the
challenge is covered by the signature, so it cannot be edited either).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from typing import Any

from vcbadge.proofs.data_integrity import proofs_of
from vcbadge.proofs.jws import looks_like_compact_jws
from vcbadge.vcdm import data_model_version, presentation_problems
from vcbadge.verify.jwt_pipeline import prefixed, run_credential, run_jwt_pipeline
from vcbadge.verify.pipeline import PipelineContext, contexts, parse, proofs
from vcbadge.verify.result import Check, Outcome

__all__ = ["run_presentation"]


def run_presentation(
    received: Any, ctx: PipelineContext, *, challenge: str, domain: str | None = None
) -> tuple[list[Check], Any]:
    """Run every step; returns the checks and the parsed presentation."""
    if not isinstance(challenge, str) or not challenge:
        raise ValueError("the verifier must give the challenge it sent (a non-empty string)")
    if domain is not None and (not isinstance(domain, str) or not domain):
        raise ValueError("domain, when given, must be a non-empty string")
    parsed_check, document = parse(received, ctx.policy)
    checks = [parsed_check]
    if document is None:
        return checks, None
    checks.extend(_envelope(document))
    if any(check.outcome is Outcome.INVALID for check in checks):
        return checks, document
    checks.extend(contexts(document, ctx))
    holder_ctx = dataclasses.replace(
        ctx, proof_purpose="authentication", controller_member="holder"
    )
    checks.extend(proofs(document, holder_ctx))
    checks.extend(_binding(document, challenge=challenge, domain=domain))
    checks.extend(_credentials(document, ctx))
    return checks, document


def _envelope(document: Mapping[str, Any]) -> Iterator[Check]:
    problems = presentation_problems(document)
    for problem in problems:
        yield Check("envelope", Outcome.INVALID, problem.code, problem.message, problem.path)
    if not problems:
        version = data_model_version(document)
        yield Check(
            "envelope", Outcome.VALID, "ok", f"Verifiable Presentation, data model {version}"
        )


def _binding(document: Mapping[str, Any], *, challenge: str, domain: str | None) -> Iterator[Check]:
    for path, proof in proofs_of(document):
        if not isinstance(proof, Mapping):
            continue  # the proof step already reported it
        given = proof.get("challenge")
        if given is None:
            yield Check(
                "challenge",
                Outcome.INVALID,
                "challenge_missing",
                "the presentation proof has no challenge, so it could be a replay",
                f"{path}/challenge",
            )
        elif given != challenge:
            yield Check(
                "challenge",
                Outcome.INVALID,
                "challenge_mismatch",
                f"the proof answers challenge {given!r}, not the one this verifier sent "
                "(a replayed or misdirected presentation)",
                f"{path}/challenge",
            )
        else:
            yield Check("challenge", Outcome.VALID, "ok", "bound to the challenge", path)
        if domain is None:
            continue
        proof_domain = proof.get("domain")
        # Data Integrity allows one domain or an (unordered) set of them.
        domains = proof_domain if isinstance(proof_domain, list) else [proof_domain]
        if proof_domain is None:
            yield Check(
                "domain",
                Outcome.INVALID,
                "domain_missing",
                f"the presentation proof names no domain; this verifier expects {domain!r}",
                f"{path}/domain",
            )
        elif domain not in domains:
            yield Check(
                "domain",
                Outcome.INVALID,
                "domain_mismatch",
                f"the proof is for domain {proof_domain!r}, not {domain!r}",
                f"{path}/domain",
            )
        else:
            yield Check("domain", Outcome.VALID, "ok", f"bound to the domain {domain}", path)


def _credentials(document: Mapping[str, Any], ctx: PipelineContext) -> Iterator[Check]:
    credentials = document.get("verifiableCredential")
    if credentials is None:
        return
    if isinstance(credentials, list):
        entries = [(f"/verifiableCredential/{i}", item) for i, item in enumerate(credentials)]
    else:
        entries = [("/verifiableCredential", credentials)]
    for path, entry in entries:
        if isinstance(entry, str) and looks_like_compact_jws(entry):
            # VC 1.1 presentations carry VC-JWTs as plain strings.
            checks, _ = run_jwt_pipeline(entry, ctx)
        elif isinstance(entry, Mapping):
            checks, _ = run_credential(entry, ctx)
        else:
            checks = [
                Check(
                    "parse",
                    Outcome.INVALID,
                    "not_an_object",
                    "a presented credential must be an object or a compact JWS",
                )
            ]
        yield from prefixed(checks, path)
