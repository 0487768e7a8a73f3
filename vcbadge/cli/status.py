"""``vcbadge status``: manage an issuer's status store (revoke, suspend, publish).

    vcbadge status init      --store status.db --base-url URL [--suspension] [--capacity N]
                             [--watermark FILE]
    vcbadge status revoke    CREDENTIAL_ID --store status.db --by WHO [--reason WHY]
    vcbadge status suspend   CREDENTIAL_ID --store status.db --by WHO [--reason WHY]
    vcbadge status unsuspend CREDENTIAL_ID --store status.db --by WHO [--reason WHY]
    vcbadge status show      CREDENTIAL_ID --store status.db [--json]
    vcbadge status publish   --store status.db --key KEY.json [--out DIR] [--valid-for HOURS]

``--store`` is a SQLite file, or a ``postgresql://`` DSN (extra ``vcbadge[postgres]``). Only
``init`` creates a store; every other action opens an existing one and refuses a missing,
emptied, damaged or rolled-back store. A change is seen by verifiers once the lists are
published again.

``publish --out DIR`` writes each list at its URL path under DIR (``revocation/1.json``) and
prints, for each file, the URL it must be served at and the content type
(``application/json``, what any static server sends for ``.json``).
"""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta
from typing import Any

from vcbadge._time import format_datetime
from vcbadge.cli._exit import EX_DATAERR, EX_OK, CliError
from vcbadge.cli._io import describe_error, dumps_pretty, load_key_file, write_stdout_utf8
from vcbadge.cli._store import open_status_store
from vcbadge.errors import StatusStoreError, VcbadgeError
from vcbadge.issue import Issuer
from vcbadge.model.profile import Profile
from vcbadge.store._sql import SqlStatusStore
from vcbadge.store.publish import LIST_MEDIA_TYPE, list_file

__all__ = ["register", "run"]


def _positive(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number") from None
    if not number > 0:
        raise argparse.ArgumentTypeError(f"{value!r} must be greater than zero")
    return number


def _capacity(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not an integer") from None
    if not 1 <= number <= 131072:
        raise argparse.ArgumentTypeError("capacity must be between 1 and 131072")
    return number


def register(subparsers: Any) -> None:
    """Add the ``status`` sub-command and its actions."""
    parser = subparsers.add_parser(
        "status",
        help="revoke, suspend and publish status lists (issuer side)",
        description=(
            "Manage an issuer's status store: record revocations and suspensions (who, when, "
            "why) and publish the signed status list credentials verifiers check. --store is a "
            "SQLite file or a postgresql:// DSN. Verifiers see a change once the lists are "
            "published again."
        ),
    )
    parser.set_defaults(handler=run)
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    def store_option(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--store",
            required=True,
            metavar="STORE",
            help="the status store: a SQLite file (status.db) or a postgresql:// DSN",
        )

    init = actions.add_parser("init", help="create a status store")
    store_option(init)
    init.add_argument(
        "--base-url",
        required=True,
        metavar="URL",
        help=("where the lists will be served: URL/revocation/N.json (and URL/suspension/N.json)"),
    )
    init.add_argument("--suspension", action="store_true", help="also keep suspension lists")
    init.add_argument(
        "--capacity",
        type=_capacity,
        metavar="N",
        help="credentials per list (default and maximum 131072)",
    )
    init.add_argument(
        "--watermark",
        metavar="FILE",
        help=(
            "the watermark file that detects a restored older backup (default for SQLite: "
            "STORE.watermark; PostgreSQL: none unless given, an absolute path)"
        ),
    )

    for action, verb in (
        ("revoke", "revoke a credential (permanent)"),
        ("suspend", "suspend a credential"),
        ("unsuspend", "lift a suspension"),
    ):
        sub = actions.add_parser(action, help=verb)
        sub.add_argument("credential_id", metavar="CREDENTIAL_ID", help="the credential's id")
        store_option(sub)
        sub.add_argument("--by", required=True, metavar="WHO", help="who makes the change")
        sub.add_argument("--reason", default="", metavar="WHY", help="why (recorded)")

    show = actions.add_parser("show", help="show a credential's status and history")
    show.add_argument("credential_id", metavar="CREDENTIAL_ID", help="the credential's id")
    store_option(show)
    show.add_argument("--json", action="store_true", help="print JSON")

    publish = actions.add_parser("publish", help="sign the status list credentials")
    store_option(publish)
    publish.add_argument(
        "--key", required=True, metavar="KEY.json", help="the issuer's signing key"
    )
    publish.add_argument(
        "--out",
        metavar="DIR",
        help=(
            "write each list under DIR at its URL path (revocation/1.json) and say at which URL "
            "each file must be served"
        ),
    )
    publish.add_argument(
        "--valid-for",
        type=_positive,
        metavar="HOURS",
        help="set validUntil this many hours ahead (republish before then)",
    )


def _open(args: argparse.Namespace, *, create: bool = False) -> SqlStatusStore:
    if not create:
        return open_status_store(args.store)
    settings: dict[str, Any] = {
        "base_url": args.base_url,
        "suspension": args.suspension,
        "capacity": args.capacity,
        "watermark": args.watermark,
    }
    return open_status_store(args.store, create=settings)


def run(args: argparse.Namespace) -> int:
    """Carry out one ``vcbadge status`` action."""
    store = _open(args, create=args.action == "init")
    try:
        return _ACTIONS[args.action](store, args)
    except StatusStoreError as error:
        raise CliError(f"{args.store}: {describe_error(error)}", EX_DATAERR) from None
    finally:
        store.close()


def _init(store: SqlStatusStore, args: argparse.Namespace) -> int:
    purposes = " and ".join(store.purposes)
    print(
        f"created {args.store}: {purposes} lists at "
        f"{store.base_url}/<purpose>/<n>{store.list_extension}"
    )
    if store.watermark_path is not None:
        print(f"watermark: {store.watermark_path} (keep it out of the database's backups)")
    return EX_OK


def _change(store: SqlStatusStore, args: argparse.Namespace) -> int:
    method = getattr(store, args.action)
    changed = method(args.credential_id, actor=args.by, reason=args.reason)
    record = store.record(args.credential_id)
    past = {"revoke": "revoked", "suspend": "suspended", "unsuspend": "unsuspended"}
    if changed:
        print(
            f"{past[args.action]} {args.credential_id} (list {record.list_number}, index "
            f"{record.index}); publish the lists so that verifiers see it"
        )
    else:
        state = {"revoke": "revoked", "suspend": "suspended", "unsuspend": "not suspended"}
        print(f"{args.credential_id} was already {state[args.action]}; nothing changed")
    return EX_OK


def _show(store: SqlStatusStore, args: argparse.Namespace) -> int:
    record = store.record(args.credential_id)
    lists = {purpose: store.list_url(record.list_number, purpose) for purpose in store.purposes}
    if args.json:
        document = {
            "credentialId": record.credential_id,
            "statusListIndex": record.index,
            "lists": lists,
            "allocated": format_datetime(record.allocated_at),
            "revoked": record.revoked,
            "suspended": record.suspended,
            "events": [
                {
                    "action": event.action,
                    "by": event.actor,
                    "reason": event.reason,
                    "at": format_datetime(event.at),
                }
                for event in record.events
            ],
        }
        write_stdout_utf8(dumps_pretty(document))
        return EX_OK
    state = "REVOKED" if record.revoked else "SUSPENDED" if record.suspended else "active"
    lines = [
        f"{record.credential_id}: {state}",
        f"  index {record.index} of list {record.list_number} "
        f"(allocated {format_datetime(record.allocated_at)})",
    ]
    lines.extend(f"  {purpose}: {url}" for purpose, url in lists.items())
    for event in record.events:
        why = f": {event.reason}" if event.reason else ""
        lines.append(f"  {format_datetime(event.at)} {event.action} by {event.actor}{why}")
    write_stdout_utf8("\n".join(lines) + "\n")
    return EX_OK


def _publish(store: SqlStatusStore, args: argparse.Namespace) -> int:
    key = load_key_file(args.key)
    controller = key.verification_method.split("#", 1)[0]
    try:
        issuer = Issuer(Profile(id=controller), key=key)
        published = store.publish(
            issuer,
            directory=args.out,
            valid_for=timedelta(hours=args.valid_for) if args.valid_for else None,
        )
    except StatusStoreError:
        raise
    except VcbadgeError as error:
        raise CliError(f"{args.key}: {describe_error(error)}", EX_DATAERR) from None
    if args.out is None:
        write_stdout_utf8(dumps_pretty(published))
        return EX_OK
    for url in published:
        print(f"serve {list_file(args.out, store.base_url, url)} at {url}")
    print(f"  as Content-Type: {LIST_MEDIA_TYPE}, Cache-Control: max-age=300 or less")
    sys.stdout.flush()
    if not store.list_extension:
        # A store created before lists had an extension: its credentials name these URLs, so
        # they stay, but no stock server knows their type.
        print(
            "warning: these list files have no extension, so a static server sends them as "
            f"application/octet-stream unless configured to send {LIST_MEDIA_TYPE} (verifiers "
            "then cannot check status); see docs/how-to/go-live.md",
            file=sys.stderr,
        )
    return EX_OK


_ACTIONS = {
    "init": _init,
    "revoke": _change,
    "suspend": _change,
    "unsuspend": _change,
    "show": _show,
    "publish": _publish,
}
