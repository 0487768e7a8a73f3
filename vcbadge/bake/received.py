"""What a caller passed to verify: a credential, a badge image to unbake, or a mistake.

``Verifier.verify`` takes a credential (a mapping, JSON text or a compact JWS). People also hand
it what they received: a baked PNG or SVG badge, sometimes a JPEG screenshot, a file path. This
module classifies such a value once, for Python callers and the CLI alike, so that each case
says what it is instead of failing later as "invalid UTF-8" or "not JSON":

- a mapping, JSON or JWT text/bytes: passed through unchanged (``bytearray`` and
  ``memoryview`` become ``bytes``) as :attr:`Received.credential`;
- a PNG or SVG badge (bytes, or SVG markup as ``str``, which vcbadge reads as UTF-8): the
  payload unbaked from it, with :attr:`Received.baked` saying where it was and what it is: an
  Open Badges 3.0 credential, or an Open Badges 2.0 assertion (its JSON, its compact JWS, or
  the URL of a hosted one; ``baked.version == "2.0"``), which the verifier checks by the OB 2.0
  rules;
- a PNG or SVG that yields nothing to verify: :attr:`Received.problem`, a
  :class:`~vcbadge.errors.BakingError` with the image's code. ``svg_encoding`` (an SVG in an
  encoding vcbadge does not read) is *uncheckable* (:attr:`Received.uncheckable`:
  INDETERMINATE, nothing is known about the badge); every other code (``png_bad_crc``,
  ``no_credential``, ``svg_unsafe``...) means the image cannot be a valid badge (INVALID);
- another image or document format recognised by its magic bytes (JPEG, GIF, WebP, BMP, TIFF,
  ICO, PDF): ``problem`` with code ``image_type_unsupported`` naming the format (INVALID: Open
  Badges 3.0 defines baking into PNG and SVG only, so such a file cannot carry a credential);
- a :class:`pathlib.Path` (any ``os.PathLike``), or a ``str`` that is plainly a file name
  (one line ending in ``.png``, ``.svg``, ``.json``...): :class:`TypeError` asking the caller to
  read the file and pass its bytes (vcbadge never opens files on its own);
- anything else that is not a mapping, ``str`` or bytes-like: :class:`TypeError`.

Pure: no files, no network.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from vcbadge._json import exceeds_max_bytes
from vcbadge.bake._common import BakedCredential, BakeLimits
from vcbadge.bake.detect import ImageKind, image_kind, is_compact_jws
from vcbadge.bake.png import extract_png
from vcbadge.bake.svg import extract_svg
from vcbadge.errors import BakingError, InputError

__all__ = [
    "FILE_NAME_GIVEN",
    "IMAGE_TYPE_UNSUPPORTED",
    "UNCHECKABLE_IMAGE_CODES",
    "Received",
    "unwrap_received",
]

UNCHECKABLE_IMAGE_CODES: Final = frozenset({"openbadges_2", "svg_encoding"})
"""Image problem codes that say nothing about whether the badge is good (INDETERMINATE).
``openbadges_2`` is :func:`vcbadge.bake.unbake`'s refusal of an OB 2.0 assertion; verification
checks such an assertion instead."""

IMAGE_TYPE_UNSUPPORTED: Final = "image_type_unsupported"
"""An image of a format badges are never baked into (JPEG, GIF, WebP...)."""
FILE_NAME_GIVEN: Final = "file_name_given"
"""Text that is plainly a file name, given where a credential was expected."""

# Magic bytes of formats people mistake for badge images (checked after PNG and SVG). WebP is
# "RIFF" + 4 size bytes + "WEBP", handled separately.
_MAGIC: Final = (
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"BM", "BMP"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"\x00\x00\x01\x00", "ICO"),
    (b"%PDF-", "PDF"),
)
# A str that is plainly a file name: one short line ending in a badge, credential or image
# suffix. Narrow on purpose: any other text goes to the verifier, which says what is wrong.
_FILE_NAME = re.compile(
    r"[^\r\n{}<>]{0,4096}\.(?:png|svg|json|jsonld|jwt|jws|txt|jpe?g|gif|webp|bmp|tiff?|ico|pdf)",
    re.IGNORECASE,
)


@dataclass(frozen=True, kw_only=True)
class Received:
    """A classified input of ``Verifier.verify`` (see the module docstring).

    ``credential`` is what to verify: the input itself (``bytes`` for any bytes-like value) or
    the payload unbaked from an image; ``None`` when there is nothing to verify and ``problem``
    says why. ``image`` is ``"png"``/``"svg"`` when the input was a badge image,
    ``image_bytes`` its bytes, ``baked`` what the image carries (an OB 3.0 credential or an
    OB 2.0 assertion: ``baked.version``), and ``image_format`` the name of an unsupported format
    (``"JPEG"``).
    """

    credential: Mapping[str, Any] | str | bytes | None
    image: ImageKind | None = None
    image_bytes: bytes | None = None
    baked: BakedCredential | None = None
    image_format: str | None = None
    problem: BakingError | InputError | None = None

    @property
    def uncheckable(self) -> bool:
        """True when the input is an image vcbadge cannot check (an unreadable SVG encoding):
        INDETERMINATE rather than INVALID."""
        return self.problem is not None and self.problem.code in UNCHECKABLE_IMAGE_CODES

    @property
    def description(self) -> str | None:
        """Where the credential was found, e.g. ``Open Badges 3.0 credential (JSON) in a PNG
        iTXt chunk 'openbadgecredential'`` or ``Open Badges 2.0 assertion (hosted URL) in a PNG
        tEXt chunk 'openbadges'``; ``None`` unless something came out of an image."""
        if self.problem is None and self.baked is not None:
            return self.baked.describe()
        return None


def unwrap_received(received: object, *, limits: BakeLimits | None = None) -> Received:
    """Classify what a caller passed to verify and unbake a PNG or SVG badge.

    Never raises for bad *content*: a broken or unsupported image is a :attr:`Received.problem`.
    Input larger than ``limits.max_image_bytes`` (the largest input of any kind it accepts) is
    the problem ``too_large`` before anything is copied, decoded or stripped.

    Raises:
        TypeError: ``received`` is a path (``os.PathLike``), or not a mapping, ``str`` or
            bytes-like value. A ``str`` that is plainly a file name is a problem with the code
            ``file_name_given``, not an exception: text is content.
    """
    limits = limits or BakeLimits()
    if isinstance(received, Mapping):
        return Received(credential=received)
    if isinstance(received, os.PathLike):
        raise TypeError(_path_message(os.fspath(received)))
    if isinstance(received, (str, bytes, bytearray, memoryview)) and exceeds_max_bytes(
        received, limits.max_image_bytes
    ):
        return Received(
            credential=None,
            problem=BakingError(
                f"the input is over the limit of {limits.max_image_bytes} bytes",
                code="too_large",
            ),
        )
    if isinstance(received, str):
        return _text(received, limits)
    if isinstance(received, (bytes, bytearray, memoryview)):
        return _bytes(bytes(received), limits)
    raise TypeError(
        f"cannot verify a {type(received).__name__}: pass the credential as a mapping, JSON "
        "text or a compact JWS (str or bytes), or the bytes of a PNG or SVG badge image"
    )


def _path_message(path: str | bytes) -> str:
    shown = path.decode("utf-8", "replace") if isinstance(path, bytes) else path
    return (
        f"{shown!r} is a file path; vcbadge does not open files: read the file and pass its "
        "bytes (for example Path(...).read_bytes()) instead"
    )


def _text(text: str, limits: BakeLimits) -> Received:
    stripped = text.strip()
    if stripped.startswith("{") or is_compact_jws(stripped):
        return Received(credential=text)
    if stripped.startswith("<"):
        # SVG markup as text: vcbadge reads SVG badges as UTF-8 only, so this is exact (a
        # declared other encoding is reported as svg_encoding by the SVG reader).
        data = text.encode("utf-8", "surrogatepass")
        if image_kind(data) == "svg":
            return _image(data, "svg", limits)
    if _FILE_NAME.fullmatch(stripped):
        # Text is content, so this is not a TypeError (verify never raises for content); it
        # says what is wrong instead of "invalid JSON".
        return Received(
            credential=None,
            problem=InputError(_path_message(stripped), code=FILE_NAME_GIVEN),
        )
    return Received(credential=text)


def _bytes(data: bytes, limits: BakeLimits) -> Received:
    kind = image_kind(data)
    if kind is not None:
        return _image(data, kind, limits)
    name = _other_format(data)
    if name is not None:
        return Received(
            credential=None,
            image_bytes=data,
            image_format=name,
            problem=BakingError(
                f"this is a {name} file; Open Badges 3.0 credentials are baked into PNG or SVG "
                "images only, so it carries no credential vcbadge can verify",
                code=IMAGE_TYPE_UNSUPPORTED,
            ),
        )
    return Received(credential=data)


def _other_format(data: bytes) -> str | None:
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WebP"
    for magic, name in _MAGIC:
        if data.startswith(magic):
            return name
    return None


def _image(data: bytes, kind: ImageKind, limits: BakeLimits) -> Received:
    try:
        baked = extract_png(data, limits) if kind == "png" else extract_svg(data, limits)
    except BakingError as error:
        return Received(credential=None, image=kind, image_bytes=data, problem=error)
    # An OB 2.0 assertion is handed on like a 3.0 credential; baked.version tells the verifier
    # which rules apply.
    return Received(credential=baked.payload, image=kind, image_bytes=data, baked=baked)
