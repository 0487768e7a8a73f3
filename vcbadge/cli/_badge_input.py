"""A command's credential input may be a badge image: read it, unbake it, and say how.

``vcbadge verify`` and ``vcbadge show`` accept a credential file (JSON, or a VC-JWT) or a PNG/SVG
badge image. An image that yields no Open Badges 3.0 credential is not an error of the command:
it becomes an ``image`` check, so ``--json`` output and the exit status keep their meaning:

- a broken image, one without a credential, or with two: ``image`` INVALID (exit 1), with the
  ``BakingError`` code (``png_bad_crc``, ``no_credential``, ``svg_unsafe``...);
- an Open Badges 2.0 assertion (``openbadges_2``) or an SVG in an encoding vcbadge does not read
  (``svg_encoding``): ``image`` INDETERMINATE (exit 2): vcbadge cannot check it, which says
  nothing about whether it is good;
- otherwise an ``image`` VALID check saying where the credential was found comes first, then
  the verification checks of the credential itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from vcbadge.bake import BakedCredential, BakeLimits, extract, image_kind
from vcbadge.cli._io import read_bytes
from vcbadge.errors import BakingError
from vcbadge.verify import Check, Outcome, VerificationResult, Verifier

__all__ = ["BadgeInput", "read_badge_input", "verify_badge_input"]

IMAGE_CHECK = "image"
_UNCHECKABLE = frozenset({"openbadges_2", "svg_encoding"})


@dataclass(frozen=True)
class BadgeInput:
    """What was read: the bytes, and for an image the image and what it carries."""

    data: bytes
    image: bytes | None = None
    baked: BakedCredential | None = None
    problem: Check | None = None

    @property
    def credential(self) -> bytes | str | None:
        """What to verify: the file's bytes, or the payload unbaked from the image (None when
        the image yields no Open Badges 3.0 credential)."""
        if self.image is None:
            return self.data
        if self.problem is not None or self.baked is None:
            return None
        return self.baked.payload

    @property
    def image_check(self) -> Check | None:
        """The ``image`` check: VALID with where the credential was found, or the problem."""
        if self.problem is not None:
            return self.problem
        if self.baked is not None:
            return Check(IMAGE_CHECK, Outcome.VALID, "ok", self.baked.describe())
        return None


def read_badge_input(source: str, *, limit: int) -> BadgeInput:
    """Read ``source`` (a path or ``-``); if it is a PNG or SVG, extract its credential.

    ``limit`` caps a credential file; an image may be as large as ``BakeLimits``'s image cap.

    Raises:
        CliError: exit 66 when the file is missing or unreadable.
    """
    limits = BakeLimits()
    data = read_bytes(source, limit=max(limit, limits.max_image_bytes))
    if image_kind(data) is None:
        return BadgeInput(data[: limit + 1])
    try:
        baked = extract(data, limits=limits)
    except BakingError as error:
        return BadgeInput(data, image=data, problem=_problem(error))
    if baked.version != "3.0":
        problem = Check(
            IMAGE_CHECK,
            Outcome.INDETERMINATE,
            "openbadges_2",
            f"this image carries an {baked.describe()}; vcbadge verifies Open Badges 3.0 "
            "credentials only",
        )
        return BadgeInput(data, image=data, baked=baked, problem=problem)
    return BadgeInput(data, image=data, baked=baked)


def _problem(error: BakingError) -> Check:
    outcome = Outcome.INDETERMINATE if error.code in _UNCHECKABLE else Outcome.INVALID
    return Check(IMAGE_CHECK, outcome, error.code, error.message, error.path)


def verify_badge_input(
    verifier: Verifier, badge: BadgeInput, *, at: datetime | None = None
) -> VerificationResult:
    """Verify what ``badge`` carries; an image adds its ``image`` check in front."""
    credential = badge.credential
    image_check = badge.image_check
    if credential is None:
        assert image_check is not None
        return VerificationResult.of([image_check])
    result = verifier.verify(credential, at=at)
    if image_check is None:
        return result
    return VerificationResult.of([image_check, *result.checks], result.document)
