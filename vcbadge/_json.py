"""Strict JSON parsing for untrusted input, and JSON pointer helpers (RFC 6901).

Every credential, key file and fetched document enters vcbadge through :func:`loads_strict`,
which refuses what the standard library would quietly accept: duplicate object keys (the
last one silently wins, so a signer and a verifier could read different values), ``NaN`` and
``Infinity``, numbers that overflow to infinity, lone surrogates, invalid UTF-8, oversized
input and deep nesting.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from itertools import accumulate
from typing import Any, NoReturn

from vcbadge.errors import InputError, LimitExceeded

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_DEPTH",
    "exceeds_max_bytes",
    "join_pointer",
    "loads_strict",
    "one_or_many_with_pointers",
    "pointer",
    "resolve_pointer",
]

DEFAULT_MAX_BYTES = 4 * 1024 * 1024
"""Largest input :func:`loads_strict` accepts by default (4 MiB); badges are a few KiB."""

DEFAULT_MAX_DEPTH = 64
"""Deepest nesting of arrays and objects :func:`loads_strict` accepts by default."""

# A JSON string token (unrolled loop, so long strings cost no backtracking) or a structural
# character. An unterminated string runs to the end of the text; the parser reports it later.
_STRING = r'"[^"\\]*(?:\\.[^"\\]*)*"?'
_STRING_RE = re.compile(_STRING, re.DOTALL)
_TOKEN_RE = re.compile(_STRING + r"|[\[\]{},]", re.DOTALL)
_BRACKET_RE = re.compile(r"[\[\]{}]")
_DEPTH_DELTA = {"[": 1, "{": 1, "]": -1, "}": -1}
# A cheap pre-filter: only texts with a \uD800-\uDFFF escape can decode to a lone surrogate.
_SURROGATE_ESCAPE_RE = re.compile(r"\\u[dD][89a-fA-F]")
# A lone surrogate character in a str (it has no UTF-8 encoding).
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
# Characters encoded at a time when a str's UTF-8 size must be counted: bounds the copy.
_MEASURE_CHUNK = 64 * 1024


class _RejectedError(Exception):
    """Raised inside json hooks; carries the error out of the parser."""

    def __init__(self, error: InputError) -> None:
        super().__init__(error.message)
        self.error = error


def loads_strict(
    data: bytes | bytearray | memoryview | str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_depth: int = DEFAULT_MAX_DEPTH,
) -> Any:
    """Parse untrusted JSON, rejecting anything ambiguous or outside the limits.

    ``data`` is UTF-8 bytes (or a ``bytearray``/``memoryview``) or an already decoded string
    (measured by its UTF-8 length). The size is checked before anything copies, decodes or
    encodes the input (:func:`exceeds_max_bytes`).

    Raises:
        LimitExceeded: ``limit_exceeded`` when the input is longer than ``max_bytes`` or nests
            arrays/objects deeper than ``max_depth`` (``path`` points at the first container
            too deep), or a number has more digits than Python converts.
        InputError: ``invalid_json`` for invalid UTF-8, syntax errors (the message gives line
            and column), ``NaN``/``Infinity``, numbers that overflow to infinity and lone
            surrogate escapes; ``duplicate_key`` for an object with a repeated member name
            (``path`` points at that object, the message names the key).
    """
    text = _decode(data, max_bytes)
    _check_depth(text, max_depth)

    duplicates: dict[int, str] = {}

    def object_pairs_hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        obj: dict[str, Any] = {}
        for key, value in pairs:
            if key in obj and id(obj) not in duplicates:
                duplicates[id(obj)] = key
            obj[key] = value
        return obj

    try:
        doc = json.loads(
            text,
            object_pairs_hook=object_pairs_hook,
            parse_constant=_reject_constant,
            parse_float=_parse_finite_float,
        )
    except _RejectedError as exc:
        raise exc.error from None
    except json.JSONDecodeError as exc:
        raise InputError(
            f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}",
            code="invalid_json",
        ) from None
    except ValueError as exc:
        # int() refuses more than sys.get_int_max_str_digits() digits (CVE-2020-10735).
        raise LimitExceeded(f"number too long: {exc}") from None

    if duplicates:
        # The hook cannot know where it is; find the offending object by identity instead.
        for path, node in _walk(doc):
            if isinstance(node, dict) and id(node) in duplicates:
                key = duplicates[id(node)]
                raise InputError(f"duplicate object key {key!r}", code="duplicate_key", path=path)
    if _SURROGATE_ESCAPE_RE.search(text):
        _check_surrogates(doc)
    return doc


def exceeds_max_bytes(data: str | bytes | bytearray | memoryview, max_bytes: int) -> bool:
    """Whether ``data`` is larger than ``max_bytes``: bytes-like values by their size, a ``str``
    by its UTF-8 length (lone surrogates counted as 3 bytes).

    Nothing of the size of the input is copied: a ``str`` longer than ``max_bytes`` characters
    is over at once (a character is at least one byte), an ASCII one is its length, and any
    other is encoded 64 Ki characters at a time, stopping as soon as the count is over. This is
    the check to make *before* any copy, decode or strip of untrusted input.
    """
    if isinstance(data, memoryview):
        return data.nbytes > max_bytes
    if isinstance(data, (bytes, bytearray)):
        return len(data) > max_bytes
    if len(data) > max_bytes:
        return True
    if len(data) * 4 <= max_bytes or data.isascii():
        return False
    size = 0
    for start in range(0, len(data), _MEASURE_CHUNK):
        size += len(data[start : start + _MEASURE_CHUNK].encode("utf-8", "surrogatepass"))
        if size > max_bytes:
            return True
    return False


def _decode(data: bytes | bytearray | memoryview | str, max_bytes: int) -> str:
    if isinstance(data, str):
        if exceeds_max_bytes(data, max_bytes):
            _too_large(max_bytes)
        surrogate = _SURROGATE_RE.search(data)
        if surrogate is not None:
            raise InputError(
                f"not valid JSON: lone surrogate character at offset {surrogate.start()}",
                code="invalid_json",
            )
        text = data
    elif isinstance(data, (bytes, bytearray, memoryview)):
        # Measured before the copy bytes() makes of a bytearray or memoryview.
        if exceeds_max_bytes(data, max_bytes):
            _too_large(max_bytes)
        raw = bytes(data)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw.count(b"\n", 0, exc.start) + 1
            column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
            raise InputError(
                f"not valid JSON: invalid UTF-8 at line {line} column {column} (byte {exc.start})",
                code="invalid_json",
            ) from None
    else:
        raise TypeError(f"loads_strict() takes bytes or str, not {type(data).__name__}")
    if text.startswith("\ufeff"):
        raise InputError(
            "not valid JSON: byte order mark at line 1 column 1 (RFC 8259 forbids it)",
            code="invalid_json",
        )
    return text


def _too_large(max_bytes: int) -> NoReturn:
    raise LimitExceeded(f"input is larger than the limit of {max_bytes} bytes")


def _check_depth(text: str, max_depth: int) -> None:
    # The json module recurses per nesting level, so a deep document would raise
    # RecursionError (or worse) before any check of ours ran: measure depth first, without
    # recursion. Brackets inside strings do not count.
    brackets = _BRACKET_RE.findall(_STRING_RE.sub("", text))
    if not brackets or max(accumulate(map(_DEPTH_DELTA.__getitem__, brackets))) <= max_depth:
        return
    raise LimitExceeded(
        f"nesting deeper than the limit of {max_depth} arrays/objects",
        path=_too_deep_path(text, max_depth),
    )


def _too_deep_path(text: str, max_depth: int) -> str:
    """JSON pointer of the first container nested deeper than ``max_depth`` (slow path)."""
    # Each frame: [is_object, member key token or array index, expecting a key next].
    frames: list[list[Any]] = []
    for match in _TOKEN_RE.finditer(text):
        token = match.group()
        if token in ("[", "{"):
            if len(frames) == max_depth:
                return pointer(*(_container_part(frame) for frame in frames))
            frames.append([token == "{", 0 if token == "[" else None, token == "{"])
        elif token in ("]", "}"):
            # Ignore a stray closer (the parser rejects it later) so that this scan never
            # sees less depth than the quick count in _check_depth did.
            if frames:
                frames.pop()
        elif token == ",":
            if not frames:
                continue
            frame = frames[-1]
            if frame[0]:
                frame[2] = True
            else:
                frame[1] += 1
        elif frames and frames[-1][0] and frames[-1][2]:
            frames[-1][1] = token
            frames[-1][2] = False
    return ""  # pragma: no cover - unreachable once _check_depth has seen too much depth


def _container_part(frame: list[Any]) -> str | int:
    """Where the child currently being parsed sits in ``frame``."""
    if not frame[0]:
        return int(frame[1])
    token = frame[1]
    if token is None:
        return ""
    try:
        key = json.loads(token)
    except ValueError:
        return str(token)
    return str(key)


def _reject_constant(name: str) -> NoReturn:
    raise _RejectedError(
        InputError(f"not valid JSON: {name} is not a JSON number", code="invalid_json")
    )


def _parse_finite_float(literal: str) -> float:
    value = float(literal)
    if not math.isfinite(value):
        raise _RejectedError(
            InputError(
                f"not valid JSON: number {literal[:40]} is out of range for a float",
                code="invalid_json",
            )
        )
    return value


def _walk(doc: Any) -> Iterator[tuple[str, Any]]:
    """Yield ``(pointer, value)`` for every value in document order, without recursion."""
    stack: list[tuple[str, Any]] = [("", doc)]
    while stack:
        path, node = stack.pop()
        yield path, node
        if isinstance(node, dict):
            items = [(join_pointer(path, key), value) for key, value in node.items()]
        elif isinstance(node, list):
            items = [(join_pointer(path, index), value) for index, value in enumerate(node)]
        else:
            continue
        stack.extend(reversed(items))


def _check_surrogates(doc: Any) -> None:
    # Python decodes "\ud800" to a lone surrogate that no later step can encode as UTF-8
    # (canonicalization and hashing would crash); I-JSON (RFC 7493) forbids it too.
    for path, node in _walk(doc):
        strings = [node] if isinstance(node, str) else list(node) if isinstance(node, dict) else []
        for value in strings:
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                raise InputError(
                    "not valid JSON: string contains an unpaired surrogate escape",
                    code="invalid_json",
                    path=path,
                ) from None


# JSON pointers (RFC 6901)


def _escape(part: str | int) -> str:
    if type(part) is int:
        return str(part)
    text = str(part)
    if "~" not in text and "/" not in text:
        return text  # nearly every member name: no new string
    return text.replace("~", "~0").replace("/", "~1")


def pointer(*parts: str | int) -> str:
    """Build a JSON pointer from member names and array indexes, escaping ``~`` and ``/``.

    ``pointer()`` is ``""`` (the whole document); ``pointer("proof", 0, "a/b")`` is
    ``"/proof/0/a~1b"``.
    """
    return "".join("/" + _escape(part) for part in parts)


def join_pointer(base: str, part: str | int) -> str:
    """Append one member name or array index to the JSON pointer ``base``."""
    return f"{base}/{_escape(part)}"


def one_or_many_with_pointers(value: Any, path: str) -> Iterator[tuple[Any, str]]:
    """``(item, pointer)`` of a member JSON-LD lets hold one value or an array of them: each
    element of an array at ``path/index``, a single value at ``path`` itself."""
    if isinstance(value, list):
        for index, item in enumerate(value):
            yield item, join_pointer(path, index)
    else:
        yield value, path


def member_entries(document: Mapping[str, Any], member: str) -> list[tuple[str, Any]]:
    """``(pointer, item)`` for each value of a top-level one-or-many ``member`` (none when the
    member is absent or null)."""
    value = document.get(member)
    if value is None:
        return []
    return [(pointer, item) for item, pointer in one_or_many_with_pointers(value, f"/{member}")]


def resolve_pointer(doc: Any, ptr: str) -> Any:
    """Return the value the JSON pointer ``ptr`` designates in ``doc``.

    Raises:
        InputError: ``invalid_pointer`` when ``ptr`` is not a JSON pointer, and
            ``pointer_not_found`` when it designates nothing in ``doc`` (the error's ``path``
            is the pointer).
    """
    if ptr == "":
        return doc
    if not ptr.startswith("/"):
        raise InputError(
            f"not a JSON pointer: {ptr!r} (must be empty or start with '/')",
            code="invalid_pointer",
            path=ptr,
        )
    node = doc
    for raw in ptr[1:].split("/"):
        if re.search(r"~(?![01])", raw):
            raise InputError(
                f"not a JSON pointer: bad escape in {raw!r}", code="invalid_pointer", path=ptr
            )
        part = raw.replace("~1", "/").replace("~0", "~")
        if isinstance(node, Mapping):
            if part not in node:
                raise InputError(f"no member {part!r}", code="pointer_not_found", path=ptr)
            node = node[part]
        elif isinstance(node, Sequence) and not isinstance(node, (str, bytes, bytearray)):
            # RFC 6901: decimal without leading zeros; "-" (past the end) designates nothing.
            if not re.fullmatch(r"0|[1-9][0-9]*", part) or int(part) >= len(node):
                raise InputError(f"no array element {part!r}", code="pointer_not_found", path=ptr)
            node = node[int(part)]
        else:
            raise InputError(
                f"cannot descend into a {type(node).__name__} with {part!r}",
                code="pointer_not_found",
                path=ptr,
            )
    return node
