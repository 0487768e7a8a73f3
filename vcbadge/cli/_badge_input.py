"""A command's credential input may be a badge image: read it, unbake it, and say how.

``vcbadge verify`` and ``vcbadge show`` accept a credential file (JSON, or a VC-JWT) or a PNG/SVG
badge image. An image that yields nothing to verify is not an error of the command: it becomes
an ``image`` check, so ``--json`` output and the exit status keep their meaning:

- a broken image, one without a credential, or with two: ``image`` INVALID (exit 1), with the
  ``BakingError`` code (``png_bad_crc``, ``no_credential``, ``svg_unsafe``...);
- a JPEG, GIF, WebP, BMP, TIFF, ICO or PDF file: ``image`` INVALID, ``image_type_unsupported``
  naming the format (Open Badges 3.0 bakes into PNG and SVG only);
- an SVG in an encoding vcbadge does not read (``svg_encoding``): ``image`` INDETERMINATE
  (exit 2): vcbadge cannot check it, which says nothing about whether it is good;
- otherwise an ``image`` VALID check saying where the credential was found comes first, then
  the verification checks of what it carries: an Open Badges 3.0 credential, or an Open
  Badges 2.0 assertion (its JSON, its signed JWS, or the URL of a hosted one).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from vcbadge.bake import BakedCredential, BakeLimits, unwrap_received
from vcbadge.cli._io import read_bytes
from vcbadge.verify import VerificationResult, Verifier

__all__ = ["BadgeInput", "read_badge_input", "verify_badge_input"]

IMAGE_CHECK = "image"


@dataclass(frozen=True)
class BadgeInput:
    """What was read: the bytes, and for an image the image and what it carries."""

    data: bytes
    image: bytes | None = None
    baked: BakedCredential | None = None

    @property
    def credential(self) -> bytes | str | None:
        """The credential itself: the file's bytes, or the payload unbaked from the image (None
        when the image yields no Open Badges 3.0 credential)."""
        if self.image is None:
            return self.data
        if self.baked is None or self.baked.format == "url":
            return None
        return self.baked.payload


def read_badge_input(source: str, *, limit: int) -> BadgeInput:
    """Read ``source`` (a path or ``-``); if it is a PNG or SVG, extract its credential.

    ``limit`` caps a credential file; an image may be as large as ``BakeLimits``'s image cap.
    The classification is :func:`vcbadge.bake.unwrap_received`, the one Python callers use.

    Raises:
        CliError: exit 66 when the file is missing or unreadable.
    """
    limits = BakeLimits()
    data = read_bytes(source, limit=max(limit, limits.max_image_bytes))
    received = unwrap_received(data, limits=limits)
    if received.image_bytes is None:
        # Not an image: keep one byte over the credential cap so the verifier reports the size.
        return BadgeInput(data[: limit + 1])
    baked = received.baked if received.problem is None else None
    return BadgeInput(data, image=data, baked=baked)


def verify_badge_input(
    verifier: Verifier,
    badge: BadgeInput,
    *,
    at: datetime | None = None,
    recipient: str | None = None,
) -> VerificationResult:
    """Verify what ``badge`` carries; an image adds its ``image`` check in front (the
    verifier's own image handling, the one Python callers get). ``recipient``: see
    :meth:`vcbadge.verify.Verifier.verify`."""
    return verifier.verify(badge.data, at=at, recipient=recipient)
