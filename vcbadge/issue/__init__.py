"""Issuing signed credentials (``Issuer``) and presenting them (``Holder``,
``derive_disclosure`` for ecdsa-sd-2023)."""

from vcbadge.issue.disclosure import derive_disclosure
from vcbadge.issue.issuer import Issuer
from vcbadge.issue.presentation import Holder, present

__all__ = ["Holder", "Issuer", "derive_disclosure", "present"]
