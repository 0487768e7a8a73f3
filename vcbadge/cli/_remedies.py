"""The command line's words for what the library tells a Python caller to do.

The library says what to do in its own voice (``pass replace=True``), as the last clause of its
message (after the last ``; ``); it never names a flag. The command line replaces that clause,
by error code, with the flag that does the same, so neither voice leaks into the other.
``tests/cli/test_messages.py`` holds each library message to that form.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from vcbadge.cli._io import describe_error
from vcbadge.errors import VcbadgeError

__all__ = [
    "BAKE_REMEDIES",
    "ISSUE_REMEDIES",
    "describe_with_flags",
    "migrate_remedies",
    "verification_hints",
    "with_flag_remedy",
]

BAKE_REMEDIES = {"already_baked": "give --replace to replace it"}

ISSUE_REMEDIES = {
    "already_expired": "to sign it anyway (e.g. to re-issue a record of a past award), give "
    "--allow-expired",
    "schema_invalid": "to sign it anyway, give --skip-schema",
    # vcbadge issue has no switch for example contexts: a badge under them is refused by every
    # default verifier, so the command line only says what to do instead.
    "example_context": "define the terms in a context of your own",
}


def migrate_remedies(error: VcbadgeError) -> Mapping[str, str]:
    """``ob2_document_missing``: the option that gives the missing document, by its path."""
    option = {"/badge": "--badge-class", "/issuer": "--issuer"}.get(error.path)
    if option is None:
        # Nested: the BadgeClass names its issuer (/badge/issuer).
        option = "--issuer" if error.path.endswith("/issuer") else "--badge-class"
    return {"ob2_document_missing": f"give it with {option} FILE"}


def with_flag_remedy(code: str, message: str, remedies: Mapping[str, str]) -> str:
    """``message`` with its closing remedy replaced by the command line's, when ``remedies``
    has one for ``code``."""
    remedy = remedies.get(code)
    if remedy is None:
        return message
    fact, separator, _ = message.rpartition("; ")
    return f"{fact}; {remedy}" if separator else f"{message} ({remedy})"


def describe_with_flags(error: VcbadgeError, remedies: Mapping[str, str]) -> str:
    """``describe_error``, with the library's closing remedy replaced by the command line's
    when ``remedies`` has one for the error's code."""
    if error.code not in remedies:
        return describe_error(error)
    where = f" at {error.path}" if error.path else ""
    return f"{with_flag_remedy(error.code, error.message, remedies)}{where} [{error.code}]"


def verification_hints(
    codes: Iterable[str], *, offline: bool, online: str = "verify without --offline"
) -> list[str]:
    """What a command that verifies (``vcbadge verify``, ``vcbadge check``) can be told to do
    about the checks it reports, by their codes: the check messages are the library's and name
    no flag. ``online`` says how this command goes online."""
    codes = set(codes)
    hints = []
    if offline and codes & {"unsupported_did_method", "status_list_unavailable"}:
        hints.append(f"give the documents it needs with --doc ID=FILE, or {online}")
    if "example_context" in codes:
        hints.append(
            "--allow-example-contexts accepts contexts meant for examples (for tests and demos)"
        )
    return hints
