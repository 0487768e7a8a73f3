"""Credential status, the pure part: status list bitstrings and ``credentialStatus`` entries.

- :mod:`vcbadge.status.bitstring`: GZIP + multibase bitstrings (pure, with size caps);
- :mod:`vcbadge.status.entries`: ``credentialStatus`` entries read strictly.

Fetching and caching status lists: :mod:`vcbadge.resolve.status_lists`. The status step of
verification: :mod:`vcbadge.verify.status`. The issuer side (allocating indexes, revoking,
publishing lists): :mod:`vcbadge.store`.
"""

from vcbadge.status.bitstring import Bitstring, decode_status_list, encode_status_list

__all__ = ["Bitstring", "decode_status_list", "encode_status_list"]
