"""Issuer trust: who stands behind the name a badge shows, as an answer of its own next to
the integrity outcome (``VerificationResult.issuer_trust``).

:func:`assess_issuer` gives an :class:`IssuerTrust` (``known``, ``domain_bound``,
``self_asserted`` or ``unknown``). Registries behind the one
:class:`vcbadge.protocols.TrustRegistry` protocol: :class:`StaticRegistry` (a vcbadge
allow-list or a Digital Credentials Consortium registry read from a file:
:func:`load_registry_file`), :class:`RemoteRegistry` (the same, fetched through an injected
``Transport``) and :class:`FederationRegistry` (an OpenID Federation trust anchor). See
docs/trust-model.md.
"""

from __future__ import annotations

from vcbadge.trust.answer import IssuerTrust, NameSource, RegistryProblem, TrustLevel
from vcbadge.trust.assess import assess_issuer, claimed_issuer
from vcbadge.trust.federation import FederationRegistry
from vcbadge.trust.registries import (
    RemoteRegistry,
    StaticRegistry,
    load_registry_file,
    parse_registry,
)

__all__ = [
    "FederationRegistry",
    "IssuerTrust",
    "NameSource",
    "RegistryProblem",
    "RemoteRegistry",
    "StaticRegistry",
    "TrustLevel",
    "assess_issuer",
    "claimed_issuer",
    "load_registry_file",
    "parse_registry",
]
