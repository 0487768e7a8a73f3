"""Issuing signed credentials."""

from vcbadge.issue.issuer import Issuer

__all__ = ["Issuer"]
