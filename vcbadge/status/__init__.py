"""Credential status for verifiers: status list decoding, fetching, caching and checking.

- :mod:`vcbadge.status.bitstring`: GZIP + multibase bitstrings (pure, with size caps);
- :mod:`vcbadge.status.entries`: ``credentialStatus`` entries read strictly;
- :mod:`vcbadge.status.fetch`: ``StaticStatusFetcher`` and ``TransportStatusFetcher``;
- :mod:`vcbadge.status.cache`: per-URL caching with the list's own ``ttl``/``validUntil``;
- :mod:`vcbadge.status.check`: the pipeline's status step (``StatusChecker``).

The issuer side (allocating indexes, revoking, publishing lists) is :mod:`vcbadge.store`.
"""

from vcbadge.status.bitstring import Bitstring, decode_status_list, encode_status_list
from vcbadge.status.cache import CachingStatusFetcher
from vcbadge.status.check import StatusChecker
from vcbadge.status.fetch import StaticStatusFetcher, TransportStatusFetcher

__all__ = [
    "Bitstring",
    "CachingStatusFetcher",
    "StaticStatusFetcher",
    "StatusChecker",
    "TransportStatusFetcher",
    "decode_status_list",
    "encode_status_list",
]
