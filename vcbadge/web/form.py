"""The verification form, read from the request stream with hard caps and kept in memory.

Starlette's own ``Request.form()`` hands files to python-multipart's ``SpooledTemporaryFile``,
which spills to a file on disk past 1 MiB: an uploaded badge (and the personal data in it)
would then touch the disk. So the body is read here instead, chunk by chunk as it arrives:

- a declared ``Content-Length`` over the cap is refused before anything is read;
- bytes are counted as they arrive and reading stops at the first byte over the cap, whatever
  the request declared (chunked bodies, lying lengths);
- ``multipart/form-data`` goes through python-multipart's streaming ``MultipartParser``
  (callbacks only, no files), ``application/x-www-form-urlencoded`` through ``parse_qsl``;
- each field has its own cap, there are at most a few parts, and every refusal is a
  :class:`FormRefused` with its HTTP status and a stable ``code``.

Nothing is written anywhere: the form lives in memory for the one request, bounded by the
request cap.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl

from python_multipart import MultipartParser
from python_multipart.exceptions import FormParserError
from python_multipart.multipart import parse_options_header

from vcbadge.errors import InputError

__all__ = ["FIELDS", "FormLimits", "FormRefused", "Submission", "read_submission"]

# The form's fields: an uploaded file, pasted text, a URL. Anything else is ignored.
FILE_FIELD = "badge"
TEXT_FIELD = "text"
URL_FIELD = "url"
FIELDS = (FILE_FIELD, TEXT_FIELD, URL_FIELD)


class FormRefused(InputError):
    """The request is refused before any verification: ``status`` is the HTTP status to
    answer, ``code`` says why (``upload_too_large``, ``form_malformed``,
    ``form_type_unsupported``, ``no_badge_given``, ``several_badges_given``,
    ``url_fetch_disabled``)."""

    def __init__(self, message: str, *, code: str, status: int) -> None:
        super().__init__(message, code=code)
        self.status = status


@dataclass(frozen=True, kw_only=True)
class FormLimits:
    """Caps on one request: ``max_body_bytes`` the whole body (the uploaded file with its
    multipart framing), ``max_text_bytes`` the pasted text, ``max_url_chars`` the URL,
    ``max_parts`` the number of form fields."""

    max_body_bytes: int
    max_text_bytes: int
    max_url_chars: int = 4096
    max_parts: int = 8

    def __post_init__(self) -> None:
        if min(self.max_body_bytes, self.max_text_bytes, self.max_url_chars, self.max_parts) <= 0:
            raise ValueError("every form limit must be positive")


@dataclass(frozen=True, kw_only=True)
class Submission:
    """What the viewer gave: exactly one of ``file``, ``text`` and ``url``."""

    file: bytes | None = None
    filename: str | None = None
    text: str | None = None
    url: str | None = None


def too_large(limit: int, what: str = "the upload") -> FormRefused:
    """The refusal of a request or field over its cap (413)."""
    return FormRefused(
        f"{what} is larger than the limit of {limit:,} bytes; nothing was kept",
        code="upload_too_large",
        status=413,
    )


def _malformed(message: str) -> FormRefused:
    return FormRefused(message, code="form_malformed", status=400)


async def read_submission(
    headers: Mapping[str, str], body: AsyncIterator[bytes], limits: FormLimits
) -> Submission:
    """Read the form from ``body`` (the request stream) under ``limits``.

    Raises:
        FormRefused: ``upload_too_large`` (413), ``form_type_unsupported`` (415),
            ``form_malformed``, ``no_badge_given``, ``several_badges_given`` (400).
    """
    declared = headers.get("content-length")
    declared_size = int(declared) if declared is not None and declared.strip().isdigit() else 0
    if declared_size > limits.max_body_bytes:
        raise too_large(limits.max_body_bytes)
    media_type, options = parse_options_header(headers.get("content-type"))
    if media_type == b"multipart/form-data":
        boundary = options.get(b"boundary")
        if not boundary:
            raise _malformed("a multipart/form-data request without a boundary")
        fields = await _read_multipart(boundary, body, limits)
    elif media_type == b"application/x-www-form-urlencoded":
        fields = _read_urlencoded(await _read_capped(body, limits.max_body_bytes), limits)
    else:
        shown = media_type.decode("latin-1") or "no Content-Type"
        raise FormRefused(
            f"expected a form (multipart/form-data), got {shown}",
            code="form_type_unsupported",
            status=415,
        )
    return _submission(fields, limits)


async def _read_capped(body: AsyncIterator[bytes], limit: int) -> bytes:
    received = bytearray()
    async for chunk in body:
        if len(received) + len(chunk) > limit:
            raise too_large(limit)
        received += chunk
    return bytes(received)


class _Part:
    def __init__(self) -> None:
        self.headers: dict[str, str] = {}
        self.name: str | None = None
        self.filename: str | None = None
        self.data = bytearray()


class _MultipartCollector:
    """The parser's callbacks: every part kept in memory, each under its own cap."""

    def __init__(self, limits: FormLimits) -> None:
        self.limits = limits
        self.parts: list[_Part] = []
        self.finished = False
        self._field = bytearray()
        self._value = bytearray()

    @property
    def current(self) -> _Part:
        return self.parts[-1]

    def part_begin(self) -> None:
        if len(self.parts) >= self.limits.max_parts:
            raise _malformed(f"more than {self.limits.max_parts} form fields")
        self.parts.append(_Part())

    def header_field(self, data: bytes, start: int, end: int) -> None:
        self._field += data[start:end]

    def header_value(self, data: bytes, start: int, end: int) -> None:
        self._value += data[start:end]

    def header_end(self) -> None:
        name = self._field.decode("latin-1").strip().lower()
        self.current.headers[name] = self._value.decode("latin-1").strip()
        self._field.clear()
        self._value.clear()

    def headers_finished(self) -> None:
        disposition, options = parse_options_header(self.current.headers.get("content-disposition"))
        if disposition != b"form-data" or b"name" not in options:
            raise _malformed("a form part without Content-Disposition: form-data; name=...")
        self.current.name = options[b"name"].decode("utf-8", errors="replace")
        if b"filename" in options:
            self.current.filename = options[b"filename"].decode("utf-8", errors="replace")

    def part_data(self, data: bytes, start: int, end: int) -> None:
        part = self.current
        part.data += data[start:end]
        cap = _field_cap(part.name, self.limits)
        if cap is not None and len(part.data) > cap:
            raise too_large(cap, f"the {part.name} field")

    def end(self) -> None:
        self.finished = True


def _field_cap(name: str | None, limits: FormLimits) -> int | None:
    if name == TEXT_FIELD:
        return limits.max_text_bytes
    if name == URL_FIELD:
        return limits.max_url_chars
    return None  # the file (and ignored fields) are bounded by the body cap


async def _read_multipart(
    boundary: bytes, body: AsyncIterator[bytes], limits: FormLimits
) -> list[tuple[str, str | None, bytes]]:
    collector = _MultipartCollector(limits)
    try:
        parser = MultipartParser(
            boundary,
            {
                "on_part_begin": collector.part_begin,
                "on_part_data": collector.part_data,
                "on_header_field": collector.header_field,
                "on_header_value": collector.header_value,
                "on_header_end": collector.header_end,
                "on_headers_finished": collector.headers_finished,
                "on_end": collector.end,
            },
        )
        received = 0
        async for chunk in body:
            received += len(chunk)
            # Counted before the parser sees the chunk: reading stops at the cap, whatever
            # the request declared.
            if received > limits.max_body_bytes:
                raise too_large(limits.max_body_bytes)
            parser.write(chunk)
        parser.finalize()
    except FormParserError as error:
        raise _malformed(f"the form could not be read: {error}") from None
    if not collector.finished:
        raise _malformed("the form ends before its closing boundary (a truncated upload?)")
    return [(part.name or "", part.filename, bytes(part.data)) for part in collector.parts]


def _read_urlencoded(body: bytes, limits: FormLimits) -> list[tuple[str, str | None, bytes]]:
    try:
        text = body.decode("ascii")
        pairs = parse_qsl(
            text,
            keep_blank_values=True,
            strict_parsing=False,
            max_num_fields=limits.max_parts,
            errors="strict",
        )
    except (UnicodeError, ValueError) as error:
        raise _malformed(f"the form could not be read: {error}") from None
    fields: list[tuple[str, str | None, bytes]] = []
    for name, value in pairs:
        encoded = value.encode("utf-8")
        cap = _field_cap(name, limits)
        if cap is not None and len(encoded) > cap:
            raise too_large(cap, f"the {name} field")
        fields.append((name, None, encoded))
    return fields


def _submission(fields: list[tuple[str, str | None, bytes]], limits: FormLimits) -> Submission:
    """The one badge the form gives; empty fields (a browser sends every field of the form,
    the unused ones empty) do not count."""
    given: dict[str, tuple[str | None, bytes]] = {}
    for name, filename, data in fields:
        if name not in FIELDS or not data.strip():
            continue
        if name in given:
            raise _malformed(f"the {name} field is given twice")
        given[name] = (filename, data)
    if not given:
        raise FormRefused(
            "no badge was given: choose a file, paste a credential, or give its URL",
            code="no_badge_given",
            status=400,
        )
    if len(given) > 1:
        raise FormRefused(
            f"give one badge at a time (got {', '.join(sorted(given))})",
            code="several_badges_given",
            status=400,
        )
    (name, (filename, data)) = next(iter(given.items()))
    if name == FILE_FIELD:
        return Submission(file=data, filename=filename or None)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise _malformed(f"the {name} field is not UTF-8 text") from None
    if name == URL_FIELD:
        return Submission(url=text.strip())
    return Submission(text=text)
