"""The vcbadge vector set (``test_vectors/``): its manifest and cases, read and hash-checked.

The set is data, not part of the wheel: :func:`default_vector_directory` finds it in a source
checkout (next to the ``vcbadge`` package), and every consumer can point at a copy instead.
A case file whose SHA-256 is not the manifest's is refused, so a run never reports on a set
that was edited by hand.
"""

from __future__ import annotations

import base64
import binascii
import fnmatch
import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from vcbadge._time import parse_datetime
from vcbadge.errors import InputError

__all__ = [
    "CASE_TYPES",
    "EXIT_STATUS_OF_OUTCOME",
    "IMAGE_TYPES",
    "VectorCase",
    "VectorSet",
    "default_vector_directory",
    "selected",
]

CASE_TYPES = ("sign", "verify", "status", "canonicalize", "resolve", "bake")

# The verifier CLI contract of test_vectors/README.md: exit status per outcome.
EXIT_STATUS_OF_OUTCOME = {"VALID": 0, "INVALID": 1, "INDETERMINATE": 2}

# A verify case whose input is a badge image: ``{"image": TYPE, "base64": BYTES}`` with these
# types (test_vectors/README.md), written to a file with this suffix.
IMAGE_TYPES = {"png": ".png", "svg": ".svg"}
_IMAGE_MEMBERS = frozenset({"image", "base64"})


def default_vector_directory() -> Path | None:
    """``test_vectors/`` of the source checkout this vcbadge was imported from, if there is one
    (an installed wheel does not ship the set: give its directory explicitly)."""
    candidate = Path(__file__).resolve().parents[2] / "test_vectors"
    return candidate if (candidate / "manifest.json").is_file() else None


@dataclass(frozen=True)
class VectorCase:
    """One case file: ``data`` is the whole JSON object (``input``, ``expected``, ``documents``,
    ``keys``, ``at``, and for presentations ``challenge``/``domain``)."""

    id: str
    type: str
    file: str
    data: Mapping[str, Any] = field(repr=False)

    @property
    def spec(self) -> str:
        return str(self.data.get("spec", ""))

    @property
    def expected(self) -> Mapping[str, Any]:
        expected: Mapping[str, Any] = self.data["expected"]
        return expected

    @property
    def documents(self) -> Mapping[str, Any]:
        documents: Mapping[str, Any] = self.data.get("documents", {})
        return documents

    @property
    def at(self) -> str:
        """The moment to verify at, as the case file writes it (ISO 8601)."""
        return str(self.data["at"])

    @property
    def verification_time(self) -> datetime:
        """:attr:`at` as a ``datetime``, for ``Verifier.verify(..., at=...)``."""
        return parse_datetime(self.at)

    @property
    def image_type(self) -> str | None:
        """``png`` or ``svg`` when the input is a badge image (``{"image", "base64"}``)."""
        given = self.data.get("input")
        if self.type in ("verify", "status") and isinstance(given, dict) and _is_image_input(given):
            return str(given["image"])
        return None

    @property
    def input(self) -> Mapping[str, Any] | str | bytes:
        """The input as a verifier receives it: the JSON object, the text (a compact JWS or
        SVG), or, for an image input, the image's bytes (``Verifier.verify`` takes all three)."""
        given = self.data["input"]
        if self.image_type is not None:
            return base64.b64decode(given["base64"], validate=True)
        value: Mapping[str, Any] | str = given
        return value

    def input_file(self) -> tuple[str, bytes]:
        """The file name and bytes a command-line verifier reads the input from: ``input.json``
        (a JSON object), ``input.jwt`` (text, with a final newline) or ``input.png`` /
        ``input.svg`` (an image's bytes)."""
        value = self.input
        if isinstance(value, bytes):
            return "input" + IMAGE_TYPES[str(self.image_type)], value
        if isinstance(value, str):
            return "input.jwt", (value + "\n").encode("utf-8")
        return "input.json", json.dumps(value, ensure_ascii=False).encode("utf-8")

    @property
    def recipient(self) -> str | None:
        """The recipient the badge must be awarded to (``vcbadge verify --recipient``), when
        the case names one."""
        recipient = self.data.get("recipient")
        return None if recipient is None else str(recipient)

    @property
    def is_presentation(self) -> bool:
        return "challenge" in self.data

    @property
    def domains(self) -> list[str]:
        """The domains the verifier answers for: none, one, or a set (README: ``domain``)."""
        domain = self.data.get("domain")
        if domain is None:
            return []
        return [domain] if isinstance(domain, str) else [str(item) for item in domain]

    def matches(self, pattern: str) -> bool:
        """Whether ``pattern`` (a shell glob) matches the case's id or its type."""
        return fnmatch.fnmatchcase(self.id, pattern) or fnmatch.fnmatchcase(self.type, pattern)


@dataclass(frozen=True)
class VectorSet:
    """A vector set directory, read through its manifest."""

    directory: Path
    version: str
    cases: tuple[VectorCase, ...]

    @classmethod
    def load(cls, directory: str | Path | None = None) -> VectorSet:
        """Read the set in ``directory`` (default: :func:`default_vector_directory`).

        Raises:
            InputError: ``vectors_missing`` (no manifest), ``vectors_stale`` (a case file's
                hash is not the manifest's), ``vectors_malformed`` (a file is not what the
                manifest says).
        """
        root = Path(directory) if directory is not None else default_vector_directory()
        if root is None or not (root / "manifest.json").is_file():
            where = "no test_vectors/ next to vcbadge" if root is None else str(root)
            raise InputError(f"no vector set manifest ({where})", code="vectors_missing")
        manifest = _read_json(root / "manifest.json")
        cases = tuple(_case(root, entry) for entry in manifest.get("cases", []))
        return cls(directory=root, version=str(manifest.get("version", "")), cases=cases)

    def of_type(self, *types: str) -> list[VectorCase]:
        return [case for case in self.cases if case.type in types]

    def __iter__(self) -> Iterator[VectorCase]:
        return iter(self.cases)

    def __len__(self) -> int:
        return len(self.cases)


def selected(
    cases: Iterable[VectorCase], *, only: Sequence[str] = (), skip: Sequence[str] = ()
) -> list[VectorCase]:
    """The cases that match one of ``only`` (all when empty) and none of ``skip``."""
    return [
        case
        for case in cases
        if (not only or any(case.matches(pattern) for pattern in only))
        and not any(case.matches(pattern) for pattern in skip)
    ]


def _read_json(path: Path) -> dict[str, Any]:
    try:
        value = json.loads(path.read_bytes())
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: {exc}", code="vectors_malformed") from None
    if not isinstance(value, dict):
        raise InputError(f"{path}: not a JSON object", code="vectors_malformed")
    return value


def _case(root: Path, entry: Mapping[str, Any]) -> VectorCase:
    path = root / str(entry.get("file", ""))
    if not path.resolve().is_relative_to(root.resolve()):
        raise InputError(
            f"{entry.get('file')}: a case file outside the vector set", code="vectors_malformed"
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: {exc.strerror or exc}", code="vectors_missing") from None
    if hashlib.sha256(data).hexdigest() != entry.get("sha256"):
        raise InputError(
            f"{entry.get('file')}: its SHA-256 is not the manifest's", code="vectors_stale"
        )
    case = json.loads(data)
    if (case.get("id"), case.get("type")) != (entry.get("id"), entry.get("type")):
        raise InputError(
            f"{entry.get('file')}: id or type differs from the manifest", code="vectors_malformed"
        )
    if _is_image_input(case.get("input")) and not _well_formed_image(case["input"]):
        raise InputError(
            f"{entry.get('file')}: an image input needs image "
            f"({' or '.join(IMAGE_TYPES)}) and base64",
            code="vectors_malformed",
        )
    if not isinstance(case.get("recipient", ""), str):
        raise InputError(
            f"{entry.get('file')}: recipient must be a string", code="vectors_malformed"
        )
    return VectorCase(
        id=str(case["id"]), type=str(case["type"]), file=str(entry["file"]), data=case
    )


def _is_image_input(value: Any) -> bool:
    # A credential always has more members than these two (at least @context and type).
    return isinstance(value, dict) and set(value) == _IMAGE_MEMBERS


def _well_formed_image(value: Mapping[str, Any]) -> bool:
    if value.get("image") not in IMAGE_TYPES or not isinstance(value.get("base64"), str):
        return False
    try:
        base64.b64decode(value["base64"], validate=True)
    except binascii.Error:
        return False
    return True
