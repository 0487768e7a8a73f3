"""Issuing signed credentials (``Issuer``) and presenting them (``Holder``)."""

from vcbadge.issue.issuer import Issuer
from vcbadge.issue.presentation import Holder, present

__all__ = ["Holder", "Issuer", "present"]
