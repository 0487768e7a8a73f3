"""The issuer trust answer: who stands behind the name a badge shows.

Integrity (VALID, INVALID, INDETERMINATE) says that the badge is what its issuer signed. It does
not say who the issuer is: anyone can make a did:key and call it "Harvard University". The trust
answer says where the issuer's name comes from:

- ``known``: a trust registry the verifier configured lists the issuer; the name is the
  registry's;
- ``domain_bound``: the issuer is a did:web or an HTTPS URL, so only whoever controls that
  host could sign for it; the name is the one the host's own document gives (when it gives
  one);
- ``self_asserted``: the issuer is a did:key or did:jwk, which anyone can make: the name is
  only what the credential claims;
- ``unknown``: no issuer id, or an identifier vcbadge cannot tie to anyone (another DID method,
  a ``urn:``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from vcbadge._lru import LruCache

__all__ = ["IssuerTrust", "NameSource", "RegistryProblem", "TrustLevel"]


class TrustLevel(str, Enum):
    """How far the issuer's identity is vouched for (see the module docstring)."""

    KNOWN = "known"
    DOMAIN_BOUND = "domain_bound"
    SELF_ASSERTED = "self_asserted"
    UNKNOWN = "unknown"

    def __str__(self) -> str:
        return self.value


class NameSource(str, Enum):
    """Where the name shown for the issuer comes from."""

    REGISTRY = "registry"
    DOMAIN = "domain"
    CREDENTIAL = "credential"
    NONE = "none"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, kw_only=True)
class RegistryProblem:
    """A registry that could not answer for this issuer (unreachable, or what it served was
    refused); ``code`` is the error's stable code. The issuer is then not known through it."""

    registry: str
    code: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {"registry": self.registry, "code": self.code, "message": self.message}


@dataclass(frozen=True, kw_only=True)
class IssuerTrust:
    """The issuer trust answer, next to the integrity outcome of a ``VerificationResult``.

    ``name`` is the name to show and ``name_source`` where it comes from; ``claimed_name`` is
    the name the credential gives itself (shown as a claim, and compared with ``name``).
    ``host`` is the domain of a domain-bound issuer, ``registry`` the registry that lists a
    known one. ``reason`` is one sentence for people; ``problems`` the registries that could
    not answer.
    """

    level: TrustLevel
    issuer_id: str | None
    reason: str
    name: str | None = None
    name_source: NameSource = NameSource.NONE
    claimed_name: str | None = None
    host: str | None = None
    registry: str | None = None
    url: str | None = None
    problems: tuple[RegistryProblem, ...] = ()

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        # Plain values and one function reference (see ``Check.__reduce__``): results travel
        # back from batch workers one by one.
        return _restore_issuer_trust, (
            self.level.value,
            self.issuer_id,
            self.reason,
            self.name,
            self.name_source.value,
            self.claimed_name,
            self.host,
            self.registry,
            self.url,
            self.problems,
        )

    @property
    def name_confirmed(self) -> bool:
        """Whether someone other than the credential vouches for the name shown."""
        return self.name_source in (NameSource.REGISTRY, NameSource.DOMAIN)

    @property
    def label(self) -> str:
        """The level as people read it: ``known``, ``domain-bound``, ``self-asserted``,
        ``unknown``."""
        return self.level.value.replace("_", "-")

    def summary(self) -> str:
        """One line for people, the same in ``vcbadge verify`` and on the badge page."""
        quoted = f'"{self.name}"' if self.name else "no name"
        if self.level is TrustLevel.KNOWN:
            if self.name_source is NameSource.REGISTRY:
                return f"known: {quoted}, listed in {self.registry}"
            # Listed by id only: the name is still the credential's claim.
            claim = (
                f'; the name "{self.claimed_name}" is the credential\'s own'
                if self.claimed_name
                else ""
            )
            return f"known: listed in {self.registry}, which gives no name{claim}"
        if self.level is TrustLevel.SELF_ASSERTED:
            method = (self.issuer_id or "").split(":", 2)[1:2] or ["?"]
            if self.claimed_name:
                return (
                    f'self-asserted (did:{method[0]}): anyone can claim the name "'
                    f'{self.claimed_name}"'
                )
            return f"self-asserted (did:{method[0]}): the issuer gives no name"
        if self.level is TrustLevel.DOMAIN_BOUND:
            if self.name_source is NameSource.DOMAIN:
                return f"domain-bound to {self.host}: {quoted}, as that domain names it"
            return f"domain-bound to {self.host}: name {quoted} not confirmed by the domain"
        return f"unknown: {self.reason}"

    def to_dict(self) -> dict[str, Any]:
        """The ``issuer_trust`` member of ``vcbadge verify --json``."""
        return {
            "level": self.level.value,
            "issuer_id": self.issuer_id,
            "name": self.name,
            "name_source": self.name_source.value,
            "claimed_name": self.claimed_name,
            "host": self.host,
            "registry": self.registry,
            "url": self.url,
            "reason": self.reason,
            "problems": [problem.to_dict() for problem in self.problems],
        }


_LEVELS = {level.value: level for level in TrustLevel}
_NAME_SOURCES = {source.value: source for source in NameSource}


# Issuer trust answers restored lately, by their pickled form: a batch's results mostly name
# the same few issuers, and an answer is frozen, so equal answers may be one object.
_RESTORED_ANSWERS: LruCache[tuple[Any, ...], IssuerTrust] = LruCache(256)


def _restore_issuer_trust(*values: Any) -> IssuerTrust:
    """An ``IssuerTrust`` from its pickled form (:meth:`IssuerTrust.__reduce__`: its fields in
    order, the two Enums by value), its fields set as unpickling sets any object's."""
    trust = _RESTORED_ANSWERS.get(values)
    if trust is not None:
        return trust
    (level, issuer_id, reason, name, name_source, claimed_name, host, registry, url, problems) = (
        values
    )
    trust = object.__new__(IssuerTrust)
    vars(trust).update(
        level=_LEVELS[level],
        issuer_id=issuer_id,
        reason=reason,
        name=name,
        name_source=_NAME_SOURCES[name_source],
        claimed_name=claimed_name,
        host=host,
        registry=registry,
        url=url,
        problems=problems,
    )
    _RESTORED_ANSWERS.put(values, trust)
    return trust
