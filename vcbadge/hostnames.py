"""Host names an attacker-chosen URL or did:web may name, judged before any DNS lookup: the
RFC 1123 syntax of a DNS name (no numeric IPv4 forms, no trailing dot) and the special-use and
private names that name no public host. One set of rules for the transport's every URL and
redirect hop (:mod:`vcbadge.http`) and for did:web identifiers (:mod:`vcbadge.resolve.did_web`).
"""

from __future__ import annotations

import re

__all__ = ["SPECIAL_USE_DOMAINS", "dns_name_defect", "local_name_refusal"]

# Special-use and private-use names (RFC 6761, 6762, 7686, 8375, 9476; ICANN's .internal) and
# the names commonly used for private networks: none is a public host a credential may name.
SPECIAL_USE_DOMAINS = frozenset(
    {
        "localhost",
        "local",
        "localdomain",
        "internal",
        "intranet",
        "lan",
        "home",
        "corp",
        "private",
        "arpa",  # home.arpa (RFC 8375) and the reverse-lookup trees
        "invalid",
        "test",
        "example",
        "onion",
        "alt",
    }
)
"""Top-level domains whose names (and the domains themselves) are never public hosts."""

_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
# What inet_aton accepts besides the dotted quad: decimal, octal and hex parts.
_NUMERIC_LABEL = re.compile(r"[0-9]+|0x[0-9a-f]*")
_MAX_HOST_LENGTH = 253


def dns_name_defect(host: str) -> str | None:
    """Why ``host`` (ASCII) is not a DNS host name in RFC 1123 syntax, or None when it is.

    Refused: empty, longer than 253 characters, a trailing dot, empty labels, labels that are not
    letters, digits and inner hyphens of 1 to 63 characters, an all-numeric top-level label, and
    every numeric form an IPv4 address can take besides the dotted quad (``2130706433``,
    ``0x7f.1``, ``0177.0.0.1``), which a resolver would turn into an address. Canonical IP
    literals are not DNS names either: callers that accept them test for them first.
    """
    if not host:
        return "the host name is empty"
    if len(host) > _MAX_HOST_LENGTH:
        return f"the host name is longer than {_MAX_HOST_LENGTH} characters"
    if host.endswith("."):
        return "the host name ends with a dot"
    labels = host.lower().split(".")
    if all(_NUMERIC_LABEL.fullmatch(label) for label in labels):
        return f"{host!r} is an IP address (numeric host names are refused in every form)"
    for label in labels:
        if not _LABEL.fullmatch(label):
            return (
                f"{host!r} is not a DNS name: label {label[:64]!r} is not 1 to 63 letters, "
                "digits and inner hyphens"
            )
    if labels[-1].isdigit():
        return f"{host!r} is not a DNS name: its top-level label is numeric"
    return None


def local_name_refusal(host: str) -> str | None:
    """Why the DNS name ``host`` names no public host, or None: a special-use or private-use
    domain (:data:`SPECIAL_USE_DOMAINS`, such as ``localhost``, ``printer.local``,
    ``db.internal``, ``router.home.arpa``) or a single-label name (``intranet``)."""
    labels = host.lower().split(".")
    if labels[-1] in SPECIAL_USE_DOMAINS:
        if len(labels) == 1:
            return f"{host!r} is a special-use or private name, not a public host"
        return f"{host!r} is under .{labels[-1]}, a special-use or private domain"
    if len(labels) < 2:
        return f"{host!r} is a single-label name, not a public DNS name"
    return None
