"""Reading the command's inputs and writing its outputs, with one-line errors.

Every problem becomes a ``CliError`` whose message names the file (as the user typed it) and,
where there is one, the JSON pointer and the stable error code, e.g.
``credential.json: duplicate object key 'name' at /credentialSubject [duplicate_key]``.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from vcbadge._json import DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH, loads_strict
from vcbadge.cli._exit import EX_CANTCREAT, EX_DATAERR, EX_NOINPUT, EX_USAGE, CliError
from vcbadge.errors import InputError, UnsupportedError, VcbadgeError
from vcbadge.keys import load_key
from vcbadge.keys.keyfile import SigningKey, is_key_file
from vcbadge.keys.public_keys import private_members_in_document

__all__ = [
    "STDIN",
    "CliInputError",
    "check_output_type",
    "describe_error",
    "display_name",
    "dumps_pretty",
    "load_key_file",
    "read_bytes",
    "read_json_object",
    "read_public_document",
    "refuse_overwriting_key",
    "write_stdout_utf8",
    "write_text",
]

STDIN = "-"

# What a file name's extension says the file holds. An output name with another extension (or
# none) is written as given; one with these must hold what its extension says, so that
# ``bake ... -o out.svg`` on a PNG is refused instead of writing a PNG named .svg.
_TYPE_OF_EXTENSION = {
    ".png": "PNG",
    ".svg": "SVG",
    ".json": "JSON",
    ".jsonld": "JSON",
    ".jwt": "JWT",
    ".html": "HTML",
    ".htm": "HTML",
    ".xml": "XML",
}


class CliInputError(CliError):
    """A ``CliError`` about one input: ``code`` says what went wrong (a stable error code, as in
    ``vcbadge verify --json``), ``file`` names the input as the user typed it (``-`` for
    standard input)."""

    def __init__(self, message: str, exit_code: int, *, code: str, file: str) -> None:
        super().__init__(message, exit_code)
        self.code = code
        self.file = file


def display_name(source: str) -> str:
    """How an input is named in messages: the path as given, or ``<stdin>``."""
    return "<stdin>" if source == STDIN else source


def describe_error(error: VcbadgeError) -> str:
    """``message at /path [code]``: one line, without the file name."""
    where = f" at {error.path}" if error.path else ""
    return f"{error.message}{where} [{error.code}]"


def read_bytes(source: str, *, limit: int = DEFAULT_MAX_BYTES) -> bytes:
    """Read at most ``limit + 1`` bytes of a file (or standard input for ``-``).

    Reading one byte more than the limit lets the strict parser report the size limit without
    reading an arbitrarily large input into memory.

    Raises:
        CliError: exit 66 when the file does not exist, is a directory or cannot be read.
    """
    if source == STDIN:
        try:
            return sys.stdin.buffer.read(limit + 1)
        except (OSError, ValueError, AttributeError) as exc:
            raise CliInputError(
                f"<stdin>: cannot read standard input: {exc}",
                EX_NOINPUT,
                code="file_unreadable",
                file=source,
            ) from None
    try:
        with open(source, "rb") as handle:
            return handle.read(limit + 1)
    except FileNotFoundError:
        raise CliInputError(
            f"{source}: no such file", EX_NOINPUT, code="file_not_found", file=source
        ) from None
    except IsADirectoryError:
        raise CliInputError(
            f"{source}: is a directory, not a file", EX_NOINPUT, code="not_a_file", file=source
        ) from None
    except OSError as exc:
        raise CliInputError(
            f"{source}: cannot read: {exc.strerror or exc}",
            EX_NOINPUT,
            code="file_unreadable",
            file=source,
        ) from None


def read_json_object(
    source: str,
    *,
    what: str = "a JSON object",
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_depth: int = DEFAULT_MAX_DEPTH,
) -> dict[str, Any]:
    """Read ``source`` as strict JSON (duplicate keys, NaN, deep nesting refused); it must be an
    object.

    Raises:
        CliError: exit 66 for a missing or unreadable file, 65 for anything wrong with its
            content.
    """
    data = read_bytes(source, limit=max_bytes)
    name = display_name(source)
    try:
        document = loads_strict(data, max_bytes=max_bytes, max_depth=max_depth)
    except InputError as error:
        raise CliInputError(
            f"{name}: {describe_error(error)}", EX_DATAERR, code=error.code, file=source
        ) from None
    if not isinstance(document, dict):
        found = _json_type(document)
        raise CliInputError(
            f"{name}: must contain {what}, not {found} [not_an_object]",
            EX_DATAERR,
            code="not_an_object",
            file=source,
        )
    return document


def read_public_document(
    source: str, *, what: str = "a DID or controller document"
) -> dict[str, Any]:
    """Read a document that is meant to be published (a DID document, a controller document,
    a JWK set): refused, without echoing anything of it, when it carries private key material
    (a key file given by mistake, or a document that would publish the issuer's secret).

    Raises:
        CliError: as :func:`read_json_object`, and exit 65 ``private_key_in_document`` naming
            the JSON pointer of the first secret member (never its value).
    """
    document = read_json_object(source, what=what)
    secrets = private_members_in_document(document)
    if secrets:
        name = display_name(source)
        raise CliInputError(
            f"{name}: holds private key material at {secrets[0]} (a key file?); {what} is "
            "published, so it must carry public keys only [private_key_in_document]",
            EX_DATAERR,
            code="private_key_in_document",
            file=source,
        )
    return document


def refuse_overwriting_key(target: str, *, force: bool) -> None:
    """Refuse an output path that holds a key file (unless ``force``): a mistyped ``-o`` must
    not destroy the issuer's private key.

    Raises:
        CliError: exit 73 ``would_overwrite_key``.
    """
    if not force and target != STDIN and is_key_file(target):
        raise CliInputError(
            f"{target}: is a key file; refusing to overwrite it with this output "
            "(give another file name, or --force) [would_overwrite_key]",
            EX_CANTCREAT,
            code="would_overwrite_key",
            file=target,
        )


def _json_type(value: Any) -> str:
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    return "null"


def load_key_file(source: str) -> SigningKey:
    """Load a signing key written by ``vcbadge keygen`` (or ``vcbadge.keys.save_key``).

    Raises:
        CliError: exit 66 when the file is missing or unreadable, 65 when it is not a valid key
            file (including a key file readable by group or others).
    """
    try:
        return load_key(source)
    except FileNotFoundError:
        raise CliInputError(
            f"{source}: no such key file", EX_NOINPUT, code="file_not_found", file=source
        ) from None
    except IsADirectoryError:
        raise CliInputError(
            f"{source}: is a directory, not a key file",
            EX_NOINPUT,
            code="not_a_file",
            file=source,
        ) from None
    except OSError as exc:
        raise CliInputError(
            f"{source}: cannot read key file: {exc.strerror or exc}",
            EX_NOINPUT,
            code="file_unreadable",
            file=source,
        ) from None
    except (InputError, UnsupportedError) as error:
        # load_key's messages already name the file.
        message = describe_error(error)
        prefix = "" if source in error.message else f"{source}: "
        raise CliInputError(
            f"{prefix}{message}", EX_DATAERR, code=error.code, file=source
        ) from None


def dumps_pretty(document: Mapping[str, Any]) -> str:
    """JSON as vcbadge writes it: 2-space indent, UTF-8 characters kept, trailing newline."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def write_stdout_utf8(text: str) -> None:
    """Write ``text`` to standard output as UTF-8 whatever the locale says.

    JSON and N-Quads are UTF-8 by definition, and a credential may name "Université de Genève":
    a C/POSIX locale must not turn that into an encoding error.
    """
    stdout = sys.stdout
    buffer = getattr(stdout, "buffer", None)
    if buffer is None:
        stdout.write(text)
    else:
        stdout.flush()
        buffer.write(text.encode("utf-8"))
        buffer.flush()
    stdout.flush()


def check_output_type(target: str | None, written: str) -> None:
    """Refuse to write ``written`` (``PNG``, ``SVG``, ``JSON``, ``JWT``, ``HTML``, ``XML`` or
    ``text``) to a file whose extension names another type. Standard output (``None``, ``-``)
    and names with an unknown extension or none are accepted.

    Raises:
        CliInputError: exit 64, code ``output_type_mismatch``.
    """
    if target is None or target == STDIN:
        return
    named = _TYPE_OF_EXTENSION.get(Path(target).suffix.lower())
    if named is not None and named != written:
        raise CliInputError(
            f"{target}: the output is {written}, but the file name says {named}: "
            f"give a name that ends in {_extensions_of(written)} [output_type_mismatch]",
            EX_USAGE,
            code="output_type_mismatch",
            file=target,
        )


def _extensions_of(kind: str) -> str:
    extensions = [ext for ext, named in _TYPE_OF_EXTENSION.items() if named == kind]
    return " or ".join(extensions) if extensions else "another extension"


def write_text(
    text: str, target: str | None, *, force: bool = False, kind: str | None = None
) -> Path | None:
    """Write ``text`` to ``target`` (a path), or to standard output when ``target`` is None or
    ``-``. Returns the absolute path written, if any. A key file at ``target`` is never
    replaced unless ``force`` (:func:`refuse_overwriting_key`); with ``kind``, a name whose
    extension says another type is refused (:func:`check_output_type`).

    Raises:
        CliError: exit 73 when the file cannot be created, or would replace a key file; exit
            64 when the name's extension says another type than ``kind``.
    """
    if target is None or target == STDIN:
        write_stdout_utf8(text)
        return None
    # A key file is never replaced, whatever its name says: that refusal comes first.
    refuse_overwriting_key(target, force=force)
    if kind is not None:
        check_output_type(target, kind)
    path = Path(target)
    try:
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
    except OSError as exc:
        raise CliInputError(
            f"{target}: cannot write: {exc.strerror or exc}",
            EX_CANTCREAT,
            code="cannot_write",
            file=target,
        ) from None
    return Path(os.path.abspath(path))
