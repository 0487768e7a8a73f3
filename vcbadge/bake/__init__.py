"""Badge images: bake an Open Badges 3.0 credential into a PNG or SVG, and read it back.

Pure bytes in, bytes out: nothing here reads files or the network.

>>> from vcbadge.bake import bake, unbake
>>> baked = bake(png_bytes, credential)             # doctest: +SKIP
>>> Verifier.offline().verify(unbake(baked))        # doctest: +SKIP

- :func:`bake` / :func:`bake_png` / :func:`bake_svg` put the credential (a mapping, JSON text or
  a compact JWS) into the image, refusing an image that already carries one unless
  ``replace=True``.
- :func:`extract` says what an image carries (:class:`BakedCredential`: payload, OB version,
  format), including Open Badges 2.0 assertions.
- :func:`unbake` returns the Open Badges 3.0 payload text, ready for ``Verifier.verify``, and
  refuses an OB 2.0 assertion (``openbadges_2``): pass the image's bytes to
  ``Verifier.verify``, which verifies OB 2.0 assertions by their own rules.

Every problem is a :class:`~vcbadge.errors.BakingError` with a stable ``code``: ``not_an_image``,
``too_large``, ``png_truncated``, ``png_bad_crc``, ``png_chunk_too_large``,
``png_too_many_chunks``, ``png_malformed``, ``svg_unsafe``, ``svg_malformed``, ``svg_encoding``,
``svg_namespace_conflict``, ``compressed_credential``, ``no_credential``,
``multiple_credentials``, ``already_baked``, ``invalid_payload``, ``openbadges_2``.
"""

from __future__ import annotations

from vcbadge.bake._common import BadgeVersion, BakedCredential, BakeInput, BakeLimits
from vcbadge.bake.detect import ImageKind, PayloadFormat, image_kind, payload_format
from vcbadge.bake.png import bake_png, extract_png
from vcbadge.bake.received import UNCHECKABLE_IMAGE_CODES, Received, unwrap_received
from vcbadge.bake.svg import bake_svg, extract_svg
from vcbadge.errors import BakingError

__all__ = [
    "UNCHECKABLE_IMAGE_CODES",
    "BadgeVersion",
    "BakeLimits",
    "BakedCredential",
    "ImageKind",
    "PayloadFormat",
    "Received",
    "bake",
    "bake_png",
    "bake_svg",
    "extract",
    "image_kind",
    "payload_format",
    "unbake",
    "unwrap_received",
]


def _kind(image: bytes) -> ImageKind:
    kind = image_kind(image)
    if kind is None:
        raise BakingError("not a PNG or SVG image", code="not_an_image")
    return kind


def bake(
    image: bytes, credential: BakeInput, *, replace: bool = False, limits: BakeLimits | None = None
) -> bytes:
    """Bake an Open Badges 3.0 credential into a PNG or SVG image (detected from its bytes).

    See :func:`bake_png` and :func:`bake_svg`.

    Raises:
        BakingError: ``not_an_image`` for anything but PNG or SVG, or the image's own codes.
    """
    if _kind(image) == "png":
        return bake_png(image, credential, replace=replace, limits=limits)
    return bake_svg(image, credential, replace=replace, limits=limits)


def extract(image: bytes, *, limits: BakeLimits | None = None) -> BakedCredential:
    """What a PNG or SVG badge image carries: an Open Badges 3.0 credential or an OB 2.0
    assertion, with its format.

    Raises:
        BakingError: ``not_an_image``, ``no_credential``, ``multiple_credentials``, or a code
            saying why the image cannot be read safely.
    """
    if _kind(image) == "png":
        return extract_png(image, limits)
    return extract_svg(image, limits)


def unbake(image: bytes, *, limits: BakeLimits | None = None) -> str:
    """The Open Badges 3.0 credential baked into a PNG or SVG, as text (JSON or a compact JWS)
    exactly as baked, for ``Verifier.verify``.

    Raises:
        BakingError: ``openbadges_2`` when the image carries an Open Badges 2.0 assertion
            (verify the image's bytes with ``Verifier.verify`` instead), or any
            :func:`extract` code.
    """
    baked = extract(image, limits=limits)
    if baked.version != "3.0":
        raise BakingError(
            f"this image carries an {baked.describe()}; vcbadge reads and verifies Open Badges "
            "3.0 credentials only",
            code="openbadges_2",
        )
    return baked.payload
