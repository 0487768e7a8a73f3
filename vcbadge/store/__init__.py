"""Issuer-side credential status: allocate status list indexes, revoke, suspend, publish.

>>> from vcbadge.store import SQLiteStatusStore
>>> store = SQLiteStatusStore.create("status.db", base_url="https://badges.example.edu/status")
... # doctest: +SKIP
>>> store = SQLiteStatusStore("status.db")  # later: open it (never creates)
... # doctest: +SKIP

``SQLiteStatusStore`` (one file, the embedded default) and ``PostgresStatusStore`` (extra
``vcbadge[postgres]``) implement one protocol, ``StatusStore``. Give a store to
``vcbadge.Issuer(..., status_store=store)`` and every credential it issues gets a
``BitstringStatusListEntry``; ``issuer.publish_status_lists()`` signs the lists.

Creating a store is explicit (``create``); opening one refuses a missing, emptied or damaged
store and one restored from an older backup (its watermark, ``vcbadge.store.watermark``).
"""

from vcbadge.store.postgres import PostgresStatusStore
from vcbadge.store.protocol import (
    Allocation,
    CredentialRecord,
    ListSnapshot,
    StatusEvent,
    StatusStore,
)
from vcbadge.store.publish import (
    LIST_EXTENSION,
    LIST_MEDIA_TYPE,
    build_status_list_credential,
    list_file,
    publish_lists,
)
from vcbadge.store.sqlite import SQLiteStatusStore

__all__ = [
    "LIST_EXTENSION",
    "LIST_MEDIA_TYPE",
    "Allocation",
    "CredentialRecord",
    "ListSnapshot",
    "PostgresStatusStore",
    "SQLiteStatusStore",
    "StatusEvent",
    "StatusStore",
    "build_status_list_credential",
    "list_file",
    "publish_lists",
]
