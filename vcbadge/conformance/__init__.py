"""Conformance tooling for issuers and other implementations: the vector set reader and runner
(``vcbadge vectors run``), and the checks an issuer runs over what it produced
(``vcbadge check``).

- :mod:`vcbadge.conformance.vectors`: the vector set (``test_vectors/``), read and hash-checked.
- :mod:`vcbadge.conformance.runner`: runs another implementation's verifier or signer over it.
- :mod:`vcbadge.conformance.report`: the runner's table, JSON and JUnit XML.
- :mod:`vcbadge.conformance.check`: the findings of ``vcbadge check``.
"""

from vcbadge.conformance.check import Finding, check_credential, check_file
from vcbadge.conformance.vectors import VectorCase, VectorSet, default_vector_directory

__all__ = [
    "Finding",
    "VectorCase",
    "VectorSet",
    "check_credential",
    "check_file",
    "default_vector_directory",
]
