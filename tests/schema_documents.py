"""An OB 3.0 credential that satisfies the official achievement credential schema, naming the
schemas a test asks for: one document for the schema tests of the library and of the CLI."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator
from typing import Any

__all__ = ["DROP", "achievement_subject", "node_paths", "replaced", "teamwork_badge"]

DROP = object()
"""What a change returns to remove the node (see :func:`replaced`)."""


def achievement_subject(subject_id: str | None = None) -> dict[str, Any]:
    """The ``credentialSubject`` of the teamwork badge: an AchievementSubject with the members
    OB 3.0 requires of its achievement; ``subject_id`` names the learner."""
    subject: dict[str, Any] = {"id": subject_id} if subject_id is not None else {}
    subject.update(
        {
            "type": ["AchievementSubject"],
            "achievement": {
                "id": "https://example.edu/achievements/1",
                "type": ["Achievement"],
                "name": "Teamwork",
                "description": "Worked well in a team.",
                "criteria": {"narrative": "Team project."},
            },
        }
    )
    return subject


def teamwork_badge(*schema_ids: str, **members: Any) -> dict[str, Any]:
    """The unsigned badge with a ``credentialSchema`` entry per id; ``members`` replace
    top-level members."""
    document: dict[str, Any] = {
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        ],
        "id": "urn:uuid:91537dba-56cb-11ec-bf63-0242ac130002",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": "https://example.edu/issuers/565049", "type": ["Profile"]},
        "validFrom": "2024-01-01T00:00:00Z",
        "name": "Teamwork Badge",
        "credentialSubject": achievement_subject(),
        "credentialSchema": [
            {"id": url, "type": "1EdTechJsonSchemaValidator2019"} for url in schema_ids
        ],
    }
    document.update(members)
    return document


def node_paths(node: Any, at: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """The path (member names and indexes) of every node of a JSON document, the root first."""
    yield at
    if isinstance(node, dict):
        for key, value in node.items():
            yield from node_paths(value, (*at, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from node_paths(value, (*at, index))


def replaced(document: Any, path: tuple[Any, ...], change: Callable[[Any], Any]) -> Any:
    """A deep copy of ``document`` with the node at ``path`` changed (``DROP``: removed)."""
    result = copy.deepcopy(document)
    if not path:
        return change(result)
    parent = result
    for step in path[:-1]:
        parent = parent[step]
    new = change(parent[path[-1]])
    if new is DROP:
        del parent[path[-1]]
    else:
        parent[path[-1]] = new
    return result
