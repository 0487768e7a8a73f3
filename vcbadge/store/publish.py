"""Building, signing and writing status list credentials from a store's lists.

For every list and purpose the store has, a ``BitstringStatusListCredential`` (VC 2.0, whose
context defines every term) is built from one consistent snapshot, signed by the issuer, and
returned by URL; with ``directory`` each is also written there under its URL path relative to
the store's ``base_url`` (``revocation/1.json``), atomically (a reader never sees half a file)
and durably (file and directory flushed to disk before the call returns).

A list's URL, and so its file, ends in ``LIST_EXTENSION`` (``.json``): a static server with its
stock configuration (Python's ``http.server``, nginx, Apache, Caddy, S3 uploads, GitHub Pages)
then sends it as ``LIST_MEDIA_TYPE`` (``application/json``), one of the types verifiers accept
for a status list. A store created before the extension was introduced publishes at its old
extension-less URLs; those files need the content type set by the server's configuration
(docs/how-to/go-live.md).
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from vcbadge._time import format_datetime, parse_datetime
from vcbadge.atomic_files import remove_stale_temporaries, replace_durably
from vcbadge.errors import StatusStoreError, VcbadgeError
from vcbadge.status.bitstring import MIN_LIST_BITS, Bitstring, encode_status_list
from vcbadge.store.protocol import StatusStore
from vcbadge.vcdm import VC_V2

__all__ = [
    "LIST_EXTENSION",
    "LIST_MEDIA_TYPE",
    "build_status_list_credential",
    "list_file",
    "publish_lists",
]

#: The extension of every status list URL and file of a new store.
LIST_EXTENSION = ".json"
#: The content type stock static servers send for ``LIST_EXTENSION``, and that the lists must be
#: served as (``vcbadge.resolve.status_lists.STATUS_LIST_MEDIA_TYPES`` accepts it).
LIST_MEDIA_TYPE = "application/json"


def build_status_list_credential(
    url: str,
    *,
    issuer: str,
    purpose: str,
    indexes: frozenset[int] | set[int],
    valid_from: datetime,
    valid_until: datetime | None = None,
    ttl: timedelta | None = None,
    length_bits: int = MIN_LIST_BITS,
) -> dict[str, Any]:
    """The unsigned ``BitstringStatusListCredential`` at ``url`` with ``indexes`` set."""
    subject: dict[str, Any] = {
        "id": f"{url}#list",
        "type": "BitstringStatusList",
        "statusPurpose": purpose,
        "encodedList": encode_status_list(
            Bitstring.from_indexes(set(indexes), length_bits=length_bits)
        ),
    }
    if ttl is not None:
        subject["ttl"] = int(ttl.total_seconds() * 1000)
    credential: dict[str, Any] = {
        "@context": [VC_V2],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer,
        "validFrom": format_datetime(valid_from),
    }
    if valid_until is not None:
        credential["validUntil"] = format_datetime(valid_until)
    credential["credentialSubject"] = subject
    return credential


def publish_lists(
    store: StatusStore,
    issuer: Any,
    *,
    directory: str | os.PathLike[str] | None = None,
    at: datetime | None = None,
    valid_for: timedelta | None = None,
    ttl: timedelta | None = None,
) -> dict[str, dict[str, Any]]:
    """Sign every list of ``store`` with ``issuer`` (a ``vcbadge.Issuer``); write them under
    ``directory`` when given. ``valid_for`` sets ``validUntil`` (verifiers then stop trusting
    a list the issuer forgot to republish); ``ttl`` tells verifiers how long to cache it.

    ``validFrom`` is ``at`` (default: the issuer's clock) unless that is not later than an
    earlier publication of the store, or than a list already in ``directory``: then it is one
    second after the latest of those, so a list's ``validFrom`` never goes back when the clock
    does (``StatusStore.reserve_valid_from``). Temporary files a crashed publication left in
    ``directory`` are removed once they are a minute old.

    Raises ``StatusStoreError`` (``publish_failed``) when a list cannot be signed or written,
    and refuses a store behind its watermark (``store_rolled_back``).
    """
    issuer_id = issuer.profile.id
    root = Path(directory) if directory is not None else None
    numbers = store.list_numbers()
    urls = [store.list_url(number, purpose) for number in numbers for purpose in store.purposes]
    targets = (
        {url: list_file(root, store.base_url, url) for url in urls} if root is not None else {}
    )
    now = store.reserve_valid_from(
        at or issuer.clock.now(), not_before=_latest_valid_from(targets.values())
    )
    published: dict[str, dict[str, Any]] = {}
    for number in numbers:
        snapshot = store.snapshot(number)
        for purpose in store.purposes:
            url = store.list_url(number, purpose)
            indexes = snapshot.revoked if purpose == "revocation" else snapshot.suspended
            draft = build_status_list_credential(
                url,
                issuer=issuer_id,
                purpose=purpose,
                indexes=indexes,
                valid_from=now,
                valid_until=now + valid_for if valid_for is not None else None,
                ttl=ttl,
            )
            try:
                published[url] = issuer.issue(draft, at=now)
            except VcbadgeError as error:
                raise StatusStoreError(
                    f"cannot sign the status list {url}: {error}", code="publish_failed"
                ) from error
    if targets:
        for url, credential in published.items():
            _write(targets[url], url, credential)
    return published


def list_file(directory: str | os.PathLike[str], base_url: str, url: str) -> Path:
    """The file under ``directory`` that must be served at ``url`` (a list URL of a store whose
    lists are served from ``base_url``). Raises ``StatusStoreError`` (``publish_failed``) for a
    URL that does not map inside ``directory``."""
    directory = Path(directory)
    if not url.startswith(base_url + "/"):
        raise StatusStoreError(f"{url} is not under {base_url}", code="publish_failed")
    relative = url[len(base_url) + 1 :]
    target = directory.joinpath(*relative.split("/"))
    if directory.resolve() not in target.resolve().parents:
        raise StatusStoreError(f"{url} does not map inside {directory}", code="publish_failed")
    return target


def _latest_valid_from(targets: Iterable[Path]) -> datetime | None:
    """The latest ``validFrom`` among the lists already published at ``targets``; a file that
    is missing or unreadable gives none (it is about to be replaced)."""
    latest: datetime | None = None
    for target in targets:
        try:
            moment = parse_datetime(json.loads(target.read_text(encoding="utf-8"))["validFrom"])
        except (OSError, ValueError, KeyError, TypeError):
            continue
        latest = moment if latest is None or moment > latest else latest
    return latest


def _write(target: Path, url: str, credential: dict[str, Any]) -> None:
    text = json.dumps(credential, indent=2, ensure_ascii=False) + "\n"
    try:
        remove_stale_temporaries(target.parent)
        replace_durably(target, text)
    except OSError as exc:
        raise StatusStoreError(
            f"cannot write the status list {url} to {target}: {exc.strerror or exc}",
            code="publish_failed",
        ) from exc
