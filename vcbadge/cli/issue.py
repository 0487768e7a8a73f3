"""``vcbadge issue``: sign an unsigned credential (or a whole roster) with a key file."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from vcbadge._time import parse_datetime
from vcbadge.cli._exit import EX_DATAERR, EX_OK, EX_USAGE, CliError
from vcbadge.cli._io import (
    check_output_type,
    describe_error,
    display_name,
    dumps_pretty,
    load_key_file,
    read_public_document,
    refuse_overwriting_key,
    write_text,
)
from vcbadge.cli._remedies import ISSUE_REMEDIES, describe_with_flags
from vcbadge.cli._store import open_status_store
from vcbadge.errors import VcbadgeError
from vcbadge.issue import Issuer
from vcbadge.issue.jwt import JwtIssuer
from vcbadge.keys.keyfile import KeyFileSigner, SigningKey
from vcbadge.model import Profile
from vcbadge.proofs.registry import default_registry
from vcbadge.protocols import JsonObject, Signer
from vcbadge.store._sql import SqlStatusStore

__all__ = ["DEFAULT_SUITES", "register", "run"]

DEFAULT_SUITES: Mapping[str, str] = {
    "Ed25519": "eddsa-rdfc-2022",
    "P-256": "ecdsa-rdfc-2019",
    "P-384": "ecdsa-rdfc-2019",
}
"""The Data Integrity suite ``issue`` uses for each key type when ``--suite`` is not given
(the RDF-canonicalized suite of that key type, which every OB 3.0 verifier accepts). A key type
missing here (RSA) has no Data Integrity suite: it signs VC-JWT (RS256)."""

_JOSE_FORMATS = ("jwt", "jose")


def register(subparsers: Any) -> None:
    """Add the ``issue`` sub-command."""
    # Legacy names (eddsa-2022) are verified, never issued.
    suites = sorted(name for name, suite in default_registry().items() if not suite.legacy)
    parser = subparsers.add_parser(
        "issue",
        help="sign an unsigned credential (JSON), or one per roster row, with a key file",
        description=(
            "Sign the unsigned credential IN (a JSON file, or - for standard input) with the key "
            "in KEY.json and write the signed credential as JSON (2-space indent). When IN has "
            "no issuer, the issuer becomes the key's controller: "
            '{"id": CONTROLLER, "type": ["Profile"]}, named with --issuer-name. When IN names '
            "an issuer, it must be the key's controller. validFrom defaults to now. The proof "
            "format follows the key: Ed25519 signs eddsa-rdfc-2022, P-256 and P-384 "
            "ecdsa-rdfc-2019, RSA a VC-JWT (RS256). Nothing is signed that a verifier would "
            "reject: the OB 3.0 / CLR 2.0 rules, the official JSON Schema (--skip-schema to "
            "sign anyway) and a validUntil already past (--allow-expired). With --batch, one "
            "credential per roster row instead of IN."
        ),
    )
    parser.add_argument(
        "input",
        metavar="IN.json",
        nargs="?",
        help="the unsigned credential, or - (not with --batch)",
    )
    parser.add_argument(
        "--key", required=True, metavar="KEY.json", help="key file written by vcbadge keygen"
    )
    parser.add_argument(
        "--suite",
        choices=suites,
        help=(
            "Data Integrity proof format; default: the key's own (Ed25519: eddsa-rdfc-2022; "
            "P-256/P-384: ecdsa-rdfc-2019). With an Ed25519 key also eddsa-jcs-2022 or "
            "Ed25519Signature2020 (DCC wallets, Open edX); with a P-256 or P-384 key also "
            "ecdsa-jcs-2019; with a P-256 key ecdsa-sd-2023 (selective disclosure: the holder "
            "presents what vcbadge derive discloses)"
        ),
    )
    parser.add_argument(
        "--mandatory",
        action="append",
        metavar="/POINTER",
        help=(
            "with --suite ecdsa-sd-2023 (repeatable): a JSON pointer to a member every "
            "disclosure must reveal; default: the members OB 3.0 verification requires, the "
            "validity dates, credentialStatus and credentialSchema"
        ),
    )
    parser.add_argument(
        "--issuer-name",
        metavar="NAME",
        help="the issuer's name, for a credential that has no issuer yet",
    )
    parser.add_argument(
        "--format",
        choices=["di", "jwt", "jose"],
        help=(
            "di: a JSON credential with a Data Integrity proof (default, except for an RSA "
            "key); jwt: an OB 3.0 VC-JWT (compact JWS text, typ JWT, the credential's members "
            "at the top level of the payload; a VC 1.1 credential in a 'vc' claim; the default "
            "for an RSA key); jose: a VC-JOSE-COSE enveloped credential (typ vc+jwt, payload = "
            "the VC 2.0 credential)"
        ),
    )
    parser.add_argument(
        "--alg",
        choices=["EdDSA", "ES256", "ES384", "RS256"],
        help="with --format jwt/jose: the JWS algorithm, which must be the key's (checked)",
    )
    parser.add_argument(
        "-o", "--output", metavar="OUT", help="write here instead of standard output"
    )
    parser.add_argument(
        "--force", action="store_true", help="let -o replace a file that holds a key"
    )
    parser.add_argument(
        "--json",
        action="store_true",
        help="errors (and, with --batch, the batch report) as JSON on standard output",
    )
    status = parser.add_argument_group("status (revocation, suspension)")
    status.add_argument(
        "--status-store",
        metavar="STORE",
        help=(
            "give each credential credentialStatus entries from this status store: a SQLite "
            "file made by `vcbadge status init`, or a postgresql:// DSN"
        ),
    )
    status.add_argument(
        "--status-purpose",
        choices=["revocation", "suspension"],
        help=(
            "with --status-store: only this purpose's entry (default: every purpose the store "
            "keeps: revocation, and suspension if it was created with --suspension)"
        ),
    )
    checks = parser.add_argument_group("checks before signing")
    checks.add_argument(
        "--skip-schema",
        action="store_true",
        help=(
            "sign even when the credential does not validate against the official OB 3.0 / "
            "CLR 2.0 JSON Schema or a credentialSchema it names (verifiers that validate it "
            "will call it INVALID)"
        ),
    )
    checks.add_argument(
        "--allow-expired",
        action="store_true",
        help=(
            "sign even when validUntil (expirationDate) has already passed (verifiers will "
            "answer expired), e.g. to re-issue the record of a past award"
        ),
    )
    batch = parser.add_argument_group("batch: one credential per roster row")
    batch.add_argument(
        "--batch",
        metavar="ROSTER",
        help="a roster (.csv with a header row, or .jsonl): one credential per row",
    )
    batch.add_argument(
        "--template",
        metavar="ACHIEVEMENT.json",
        help="with --batch: the achievement every row is awarded",
    )
    batch.add_argument(
        "--out-dir",
        metavar="DIR",
        help="with --batch: where the credentials and the manifest are written",
    )
    batch.add_argument(
        "--key-column",
        metavar="NAME",
        default="id",
        help="with --batch: the column that keys a row, so a re-run skips it (default: id)",
    )
    batch.add_argument(
        "--bake",
        metavar="IMAGE",
        help="with --batch: also bake each credential into a copy of this PNG or SVG image",
    )
    batch.add_argument(
        "--workers",
        metavar="N",
        type=_positive_int,
        default=1,
        help=(
            "with --batch: sign in N worker processes (each loads the key file itself; the key "
            "never leaves it); status entries are still allocated here, so indexes stay unique"
        ),
    )
    parser.set_defaults(handler=run)


@dataclass(frozen=True)
class PurposeFilter:
    """A status store seen through one purpose: the entries of that purpose only (the store
    still allocates one index for every purpose it keeps, so a later change of mind costs
    nothing); publishing is the store's own."""

    store: SqlStatusStore
    purpose: str

    def credential_status(self, credential_id: str) -> list[JsonObject]:
        """The store's entries for ``credential_id`` whose ``statusPurpose`` is ours."""
        entries = self.store.credential_status(credential_id)
        return [entry for entry in entries if entry.get("statusPurpose") == self.purpose]

    def credential_status_many(self, credential_ids: Sequence[str]) -> list[list[JsonObject]]:
        """:meth:`credential_status` for a whole group in one transaction of the store."""
        return [
            [entry for entry in entries if entry.get("statusPurpose") == self.purpose]
            for entries in self.store.credential_status_many(credential_ids)
        ]

    def publish(
        self, issuer: Any, *, directory: str | None = None, at: datetime | None = None
    ) -> dict[str, JsonObject]:
        """Publish every list of the store."""
        return self.store.publish(issuer, directory=directory, at=at)


@contextmanager
def _status_allocator(args: argparse.Namespace) -> Iterator[SqlStatusStore | PurposeFilter | None]:
    if args.status_store is None:
        if args.status_purpose is not None:
            raise CliError("--status-purpose needs --status-store", EX_USAGE)
        yield None
        return
    store = open_status_store(args.status_store)
    try:
        if args.status_purpose is None:
            yield store
        elif args.status_purpose not in store.purposes:
            raise CliError(
                f"--status-purpose {args.status_purpose}: the store {args.status_store} keeps "
                f"{' and '.join(store.purposes)} lists only (a store keeps suspension lists "
                "when created with `vcbadge status init --suspension`)",
                EX_USAGE,
            )
        else:
            yield PurposeFilter(store, args.status_purpose)
    finally:
        store.close()


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive whole number")
    return value


def _check_usage(args: argparse.Namespace) -> None:
    if args.batch is None:
        if args.input is None:
            raise CliError(
                "give the unsigned credential IN.json (or - ), or --batch ROSTER", EX_USAGE
            )
        batch_only = [
            option
            for option, value in (
                ("--template", args.template),
                ("--out-dir", args.out_dir),
                ("--bake", args.bake),
            )
            if value is not None
        ]
        if batch_only:
            raise CliError(f"{', '.join(batch_only)}: only with --batch", EX_USAGE)
    else:
        if args.input is not None:
            raise CliError("--batch issues from the roster: give no IN.json", EX_USAGE)
        if args.template is None or args.out_dir is None:
            raise CliError("--batch needs --template ACHIEVEMENT.json and --out-dir DIR", EX_USAGE)
        if args.output is not None:
            raise CliError("--batch writes into --out-dir, not -o", EX_USAGE)
    if args.workers > 1 and args.batch is None:
        raise CliError("--workers: only with --batch", EX_USAGE)
    if args.mandatory is not None and args.suite != "ecdsa-sd-2023":
        raise CliError(
            "--mandatory chooses what an ecdsa-sd-2023 disclosure reveals: only with "
            "--suite ecdsa-sd-2023",
            EX_USAGE,
        )
    if args.format in _JOSE_FORMATS and args.suite is not None:
        raise CliError(
            f"--suite names a Data Integrity proof format, not for --format {args.format}", EX_USAGE
        )
    if args.format not in _JOSE_FORMATS and args.alg is not None:
        raise CliError("--alg is for --format jwt or jose", EX_USAGE)


def _suites_for(algorithm: str) -> list[str]:
    return sorted(
        name
        for name, suite in default_registry().items()
        if not suite.legacy and algorithm in suite.key_algorithms
    )


def _format_for(args: argparse.Namespace, key: SigningKey) -> str:
    """The proof format asked for, or the key's: VC-JWT for a key no Data Integrity suite
    signs with (RSA)."""
    if args.format is not None:
        if args.format == "di" and key.algorithm not in DEFAULT_SUITES:
            raise CliError(
                f"{args.key} holds a {key.algorithm} key, which no Data Integrity suite signs "
                "with: use --format jwt (RS256), or make an Ed25519 or P-256 key with "
                "vcbadge keygen",
                EX_USAGE,
            )
        return str(args.format)
    return "di" if key.algorithm in DEFAULT_SUITES else "jwt"


def _suite_for(args: argparse.Namespace, key: SigningKey) -> str:
    """``--suite`` when it signs with the key's type; the key's default suite when not given.
    A suite for another key type is refused, naming the suites this key signs."""
    if args.suite is None:
        return DEFAULT_SUITES[key.algorithm]
    usable = default_registry()[args.suite].key_algorithms
    if key.algorithm not in usable:
        default = DEFAULT_SUITES[key.algorithm]
        others = [name for name in _suites_for(key.algorithm) if name != default]
        also = f" (or {', '.join(others)})" if others else ""
        wanted = "ed25519" if "Ed25519" in usable else "p256"
        raise CliError(
            f"--suite {args.suite} signs with {' or '.join(sorted(usable))} keys; {args.key} "
            f"holds a {key.algorithm} key: use --suite {default}{also}, or leave --suite out "
            f"for the key's default (or sign with another key: vcbadge keygen --type {wanted})",
            EX_USAGE,
        )
    return str(args.suite)


def _build_issuer(
    args: argparse.Namespace,
    key: SigningKey,
    proof_format: str,
    status_store: SqlStatusStore | PurposeFilter | None,
    signer: Signer | None = None,
) -> Issuer | JwtIssuer:
    profile = Profile(id=key.controller, name=args.issuer_name)
    try:
        if proof_format in _JOSE_FORMATS:
            return JwtIssuer(
                profile,
                key=key,
                status_store=status_store,
                check_schema=not args.skip_schema,
                allow_expired=args.allow_expired,
            )
        suite = _suite_for(args, key)
        return Issuer(
            profile,
            key=signer or key,
            suite=suite,
            status_store=status_store,
            mandatory_pointers=args.mandatory,
            check_schema=not args.skip_schema,
            allow_expired=args.allow_expired,
        )
    except VcbadgeError as error:
        raise CliError(f"{args.key}: cannot sign: {describe_error(error)}", EX_DATAERR) from None


def _sign(args: argparse.Namespace, issuer: Issuer | JwtIssuer, document: dict[str, Any]) -> str:
    try:
        if isinstance(issuer, Issuer):
            return dumps_pretty(issuer.issue(document))
        if args.format == "jose":
            return issuer.issue_enveloped(document, alg=args.alg) + "\n"
        return issuer.issue_jwt(document, alg=args.alg) + "\n"
    except VcbadgeError as error:
        described = describe_with_flags(error, ISSUE_REMEDIES)
        raise CliError(
            f"{display_name(args.input)}: cannot sign: {described}", EX_DATAERR
        ) from None


def _note_scheduled(document: Mapping[str, Any], source: str, now: datetime) -> None:
    """Say so when the credential takes effect later: verifiers call it not yet valid
    (``not_yet_valid``) until then, which is what a scheduled badge wants, or a typo."""
    value = document.get("validFrom", document.get("issuanceDate"))
    if not isinstance(value, str):
        return
    try:
        start = parse_datetime(value)
    except ValueError:
        return
    if start > now:
        print(
            f"vcbadge: note: {display_name(source)} takes effect at {value}; verifiers answer "
            "not_yet_valid until then",
            file=sys.stderr,
        )


def run(args: argparse.Namespace) -> int:
    """Read the credential and the key, sign, and write the signed credential (with
    ``--batch``: hand the issuer to the batch runner)."""
    _check_usage(args)
    if args.output is not None:
        refuse_overwriting_key(args.output, force=args.force)
    document: dict[str, Any] | None = None
    if args.batch is None:
        document = read_public_document(args.input, what="a credential")
        if args.issuer_name is not None and document.get("issuer") is not None:
            named_issuer = document["issuer"]
            named = named_issuer.get("id") if isinstance(named_issuer, Mapping) else named_issuer
            raise CliError(
                f"--issuer-name is only for a credential without an issuer; "
                f"{display_name(args.input)} already names the issuer {named!r}",
                EX_USAGE,
            )
    key = load_key_file(args.key)
    proof_format = _format_for(args, key)
    if proof_format in _JOSE_FORMATS:
        args.format = proof_format  # what the batch runner and _sign read
    # Before signing: a credential given a status list index is not written to a wrong name.
    output_type = "JWT" if proof_format in _JOSE_FORMATS else "JSON"
    check_output_type(args.output, output_type)
    # Worker processes get the key file's path, never the key (keys refuse to be pickled).
    signer = KeyFileSigner(args.key) if args.workers > 1 else None
    with _status_allocator(args) as status_store:
        issuer = _build_issuer(args, key, proof_format, status_store, signer=signer)
        if document is None:
            if not isinstance(issuer, Issuer):
                raise CliError(
                    f"--batch issues Data Integrity credentials; {args.key} holds a "
                    f"{key.algorithm} key, which signs VC-JWT only",
                    EX_USAGE,
                )
            from vcbadge.cli._batch import run_batch

            return run_batch(args, issuer)
        signed = _sign(args, issuer, document)
        _note_scheduled(document, args.input, issuer.clock.now())
    write_text(signed, args.output, force=args.force, kind=output_type)
    return EX_OK
