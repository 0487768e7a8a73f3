"""Opening (and, for ``vcbadge status init``, creating) the status store a command names: a
SQLite file or a ``postgresql://`` DSN, with the same errors for every command."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from vcbadge.cli._exit import EX_DATAERR, EX_NOINPUT, CliError
from vcbadge.cli._io import describe_error
from vcbadge.errors import StatusStoreError
from vcbadge.store import PostgresStatusStore, SQLiteStatusStore
from vcbadge.store._sql import SqlStatusStore

__all__ = ["open_status_store"]

_POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def open_status_store(target: str, *, create: Mapping[str, Any] | None = None) -> SqlStatusStore:
    """Open the existing status store ``target``; with ``create`` (the store's settings),
    create a new one there instead. Opening never creates a store.

    Raises:
        CliError: exit 66 for a missing SQLite store, 65 for one that exists where one is
            created, or is damaged, emptied or rolled back (the message has its code).
    """
    postgres = target.startswith(_POSTGRES_SCHEMES)
    store_class = PostgresStatusStore if postgres else SQLiteStatusStore
    try:
        if create is not None:
            return store_class.create(target, **create)
        return store_class(target)
    except StatusStoreError as error:
        if error.code == "store_missing" and not postgres:
            raise CliError(
                f"{target}: no such status store (create one with `vcbadge status init`)",
                EX_NOINPUT,
            ) from None
        raise CliError(f"{target}: {describe_error(error)}", EX_DATAERR) from None
