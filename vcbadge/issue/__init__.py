"""Issuing signed credentials (``Issuer``, and ``Issuer.issue_many`` for batches: a roster
read with ``parse_roster``, one award per row with ``awards``, each result a ``BatchIssued``,
``BatchSkipped`` or ``BatchFailure``) and presenting them (``Holder``, ``present``,
``derive_disclosure`` for ecdsa-sd-2023)."""

from vcbadge.issue.batch import BatchFailure, BatchIssued, BatchSkipped, awards, parse_roster
from vcbadge.issue.disclosure import derive_disclosure
from vcbadge.issue.issuer import Issuer
from vcbadge.issue.presentation import Holder, present

__all__ = [
    "BatchFailure",
    "BatchIssued",
    "BatchSkipped",
    "Holder",
    "Issuer",
    "awards",
    "derive_disclosure",
    "parse_roster",
    "present",
]
