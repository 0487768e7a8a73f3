"""How the issuer trust answer is reached, in this order:

1. no issuer id: ``unknown``;
2. the first configured registry that lists the issuer makes it ``known`` (registries are
   asked in the order given, most authoritative first); a registry that cannot answer is
   recorded as a problem and the next one is asked;
3. a did:key or did:jwk issuer is ``self_asserted``: the name is the credential's claim;
4. a did:web or ``https:`` issuer is ``domain_bound`` to its host; its name is the ``name`` of
   the document the host publishes for it (the DID document, or the profile at the issuer's
   URL), fetched with the verifier's resolver; without one, the name is not confirmed;
5. anything else is ``unknown``.

The answer is about the issuer's *identifier*. That the badge really comes from that
identifier is what integrity (a VALID result) establishes, so the two are read together.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

from vcbadge.errors import VcbadgeError
from vcbadge.protocols import RegistryEntry, Resolver, TrustRegistry
from vcbadge.resolve.did_web import did_web_to_url
from vcbadge.trust.answer import IssuerTrust, NameSource, RegistryProblem, TrustLevel

__all__ = ["assess_issuer", "claimed_issuer"]

_SELF_ASSERTED_METHODS = ("did:key:", "did:jwk:")


def _string(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def claimed_issuer(document: Any) -> tuple[str | None, str | None]:
    """The issuer id and the name the document gives it: a credential's ``issuer``, or an
    Open Badges 2.0 assertion's embedded BadgeClass ``issuer``; ``(None, None)`` when there
    is none to read."""
    if not isinstance(document, Mapping):
        return None, None
    issuer = document.get("issuer")
    if issuer is None:
        badge = document.get("badge")
        issuer = badge.get("issuer") if isinstance(badge, Mapping) else None
    if isinstance(issuer, str):
        return _string(issuer), None
    if isinstance(issuer, Mapping):
        return _string(issuer.get("id")), _string(issuer.get("name"))
    return None, None


def _known(
    entry: RegistryEntry, claimed: str | None, problems: list[RegistryProblem]
) -> IssuerTrust:
    name = entry.name or claimed
    source = NameSource.REGISTRY if entry.name else NameSource.CREDENTIAL
    reason = f"listed in the trust registry {entry.registry}"
    if entry.name and claimed and claimed != entry.name:
        reason += f"; the registry names it {entry.name!r}, the credential calls it {claimed!r}"
    return IssuerTrust(
        level=TrustLevel.KNOWN,
        issuer_id=entry.issuer_id,
        reason=reason,
        name=name,
        name_source=source,
        claimed_name=claimed,
        registry=entry.registry,
        url=entry.url,
        problems=tuple(problems),
    )


def _host_of(issuer: str) -> str:
    url = did_web_to_url(issuer) if issuer.startswith("did:web:") else issuer
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    return f"{host}:{parts.port}" if parts.port not in (None, 443) else host


def _domain_bound(
    issuer: str, claimed: str | None, resolver: Resolver | None, problems: list[RegistryProblem]
) -> IssuerTrust:
    host = _host_of(issuer)
    confirmed: str | None = None
    name: str | None
    if resolver is None:
        why = "its document was not looked up"
    else:
        try:
            confirmed = _string(resolver.resolve(issuer).get("name"))
            why = "its document gives no name"
        except VcbadgeError as error:
            why = f"its document could not be had: {error.message} [{error.code}]"
    if confirmed is not None:
        reason = f"bound to the domain {host}, whose document names it {confirmed!r}"
        if claimed and claimed != confirmed:
            reason += f"; the credential calls it {claimed!r}"
        name, source = confirmed, NameSource.DOMAIN
    else:
        reason = f"bound to the domain {host}; name not confirmed by the domain ({why})"
        name, source = claimed, NameSource.CREDENTIAL if claimed else NameSource.NONE
    return IssuerTrust(
        level=TrustLevel.DOMAIN_BOUND,
        issuer_id=issuer,
        reason=reason,
        name=name,
        name_source=source,
        claimed_name=claimed,
        host=host,
        problems=tuple(problems),
    )


def assess_issuer(
    document: Any,
    *,
    resolver: Resolver | None,
    registries: Sequence[TrustRegistry] = (),
) -> IssuerTrust:
    """The trust answer for the issuer of ``document`` (see the module docstring). Never
    raises for what the document or a registry holds: a registry that cannot answer is
    listed in ``problems``, and never makes the issuer known."""
    issuer, claimed = claimed_issuer(document)
    if issuer is None:
        return IssuerTrust(
            level=TrustLevel.UNKNOWN,
            issuer_id=None,
            reason="the credential names no issuer id to check",
            name=claimed,
            name_source=NameSource.CREDENTIAL if claimed else NameSource.NONE,
            claimed_name=claimed,
        )
    problems: list[RegistryProblem] = []
    for registry in registries:
        try:
            entry = registry.lookup(issuer)
        except VcbadgeError as error:
            problems.append(
                RegistryProblem(registry=registry.name, code=error.code, message=error.message)
            )
            continue
        if entry is not None:
            return _known(entry, claimed, problems)
    if issuer.startswith(_SELF_ASSERTED_METHODS):
        method = issuer.split(":", 2)[1]
        return IssuerTrust(
            level=TrustLevel.SELF_ASSERTED,
            issuer_id=issuer,
            reason=f"a did:{method} issuer: anyone can make one and claim any name"
            + (f"; the name {claimed!r} is the credential's own claim" if claimed else ""),
            name=claimed,
            name_source=NameSource.CREDENTIAL if claimed else NameSource.NONE,
            claimed_name=claimed,
            problems=tuple(problems),
        )
    if issuer.startswith(("did:web:", "https://")):
        try:
            return _domain_bound(issuer, claimed, resolver, problems)
        except VcbadgeError as error:  # a malformed did:web
            return IssuerTrust(
                level=TrustLevel.UNKNOWN,
                issuer_id=issuer,
                reason=f"the issuer id is not a usable did:web: {error.message} [{error.code}]",
                name=claimed,
                name_source=NameSource.CREDENTIAL if claimed else NameSource.NONE,
                claimed_name=claimed,
                problems=tuple(problems),
            )
    return IssuerTrust(
        level=TrustLevel.UNKNOWN,
        issuer_id=issuer,
        reason="vcbadge cannot tell who controls this kind of issuer id",
        name=claimed,
        name_source=NameSource.CREDENTIAL if claimed else NameSource.NONE,
        claimed_name=claimed,
        problems=tuple(problems),
    )
