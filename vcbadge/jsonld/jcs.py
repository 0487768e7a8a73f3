"""RFC 8785 JSON Canonicalization Scheme (JCS), the transformation of the ``*-jcs-*`` cryptosuites.

The serialization itself is Trail of Bits' ``rfc8785`` package (ECMAScript number formatting,
UTF-16 key ordering, the escaping rules), which is small, typed and tested against the RFC's
vectors; writing our own number formatter would be the riskiest part of a JCS implementation.
This module only adapts its errors to vcbadge's error tree.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import rfc8785

from vcbadge.errors import CanonicalizationError

__all__ = ["canonicalize_jcs"]


def canonicalize_jcs(value: Mapping[str, Any] | list[Any] | str | int | float | bool | None) -> str:
    """The RFC 8785 canonical JSON text of ``value``.

    Raises:
        CanonicalizationError: ``canonicalization_failed`` when ``value`` is outside the
            I-JSON domain JCS serializes (an integer beyond ±(2^53 - 1), NaN or infinity, a
            non-string object key, a type JSON does not have).
    """
    try:
        return rfc8785.dumps(value).decode("utf-8")
    except rfc8785.CanonicalizationError as exc:
        raise CanonicalizationError(f"JCS canonicalization failed: {exc}") from None
    except (TypeError, ValueError, RecursionError) as exc:
        raise CanonicalizationError(f"JCS canonicalization failed: {exc}") from None
