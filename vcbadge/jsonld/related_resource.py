"""Integrity of related resources (VC Data Model 2.0 §5.3): check ``relatedResource`` digests.

A credential may pin the exact bytes of resources it refers to: every ``relatedResource`` entry
has an ``id`` (URL) and a ``digestSRI`` (a Subresource Integrity expression such as
``sha384-<base64>``; several may be given, separated by spaces) and/or a ``digestMultibase``
(a multibase-encoded multihash, ``u`` base64url or ``z`` base58btc). An implementation that
holds a resource's content must check its digest.

vcbadge holds exactly one kind of resource: the JSON-LD contexts it bundles (see
:mod:`vcbadge.jsonld.contexts`; alias URLs included). vcbadge writes those documents itself, so
their bytes differ from the published documents, and an issuer's digest is over the *published*
bytes. The comparison is therefore made against the facts ``published_sha256``,
``published_sha384`` and ``published_sha512`` recorded in ``contexts/manifest.json`` (the
digests of the published documents), never against vcbadge's own files.

:func:`check_related_resources` is pure (no network, no files beyond the manifest) and returns
one :class:`RelatedResourceResult` per digest it looked at, each with a stable ``code`` and a
JSON pointer ``path``:

- ``related_resource_digest_ok``: a held resource's digest matches;
- ``related_resource_digest_mismatch`` (path ``/relatedResource/N/digestSRI`` or
  ``.../digestMultibase``): a held resource's digest does not match its published bytes;
- ``related_resource_digest_malformed``: a digest value that is not a well-formed SRI
  expression or multibase multihash (wrong base64, wrong length, bad varint, not a string...);
- ``related_resource_malformed`` (path ``/relatedResource`` or ``/relatedResource/N``...): an
  entry that is not an object, has no string ``id``, or has neither digest property;
- ``related_resource_digest_unknown``: a well-formed digest vcbadge cannot compare: an algorithm
  other than SHA-256/384/512, a truncated multihash, a multibase other than ``u``/``z``, or a
  bundled context whose published digest for that algorithm is not recorded;
- ``related_resource_not_held`` (path ``/relatedResource/N/id``): a resource vcbadge does not
  hold (anything but a bundled context), so it cannot check the digest.

Proposed policy (:func:`triage_related_resources` sorts results accordingly; the verifier and
the issuer map them):

- mismatch and either malformed code → INVALID on verify, refusal on issue: the credential
  violates §5.3 or pins bytes other than those vcbadge used to interpret it;
- unknown, on a context vcbadge holds (and therefore used) → INDETERMINATE on verify unless a
  policy accepts unchecked digests; on issue, a refusal unless the caller accepts it. When
  another digest of the same resource matched, an unknown one is only informational;
- not held → does not change the outcome: vcbadge never fetches related resources, and §5.3
  obliges the party that retrieves a resource to check its digest. It is reported (a relying
  party that fetches the resource must check it), and a strict policy may make it INDETERMINATE.

:meth:`RelatedResourceResult.error` gives each problem as a typed error from
:mod:`vcbadge.errors` for callers that raise.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hmac
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from vcbadge._b64url import b64url_decode
from vcbadge._multibase import base58_decode, varint_decode
from vcbadge.errors import (
    ModelError,
    ResolutionError,
    UnsupportedError,
    VcbadgeError,
    VerificationError,
)
from vcbadge.jsonld.contexts import bundled_contexts, contexts_directory

__all__ = [
    "DIGEST_MALFORMED",
    "DIGEST_MISMATCH",
    "DIGEST_OK",
    "DIGEST_UNKNOWN",
    "NOT_HELD",
    "RESOURCE_MALFORMED",
    "RelatedResourceResult",
    "RelatedResourceTriage",
    "check_related_resources",
    "published_digest",
    "triage_related_resources",
]

DIGEST_OK: Final = "related_resource_digest_ok"
DIGEST_MISMATCH: Final = "related_resource_digest_mismatch"
DIGEST_MALFORMED: Final = "related_resource_digest_malformed"
DIGEST_UNKNOWN: Final = "related_resource_digest_unknown"
NOT_HELD: Final = "related_resource_not_held"
RESOURCE_MALFORMED: Final = "related_resource_malformed"

# Digest lengths in bytes of the algorithms vcbadge compares.
_SIZES: Final = {"sha256": 32, "sha384": 48, "sha512": 64}
# Multihash codes (multicodec table) of the same algorithms.
_MULTIHASH: Final = {0x12: "sha2-256", 0x20: "sha2-384", 0x13: "sha2-512"}
_INVALID: Final = frozenset({DIGEST_MISMATCH, DIGEST_MALFORMED, RESOURCE_MALFORMED})
_MULTIHASH_TO_SRI: Final = {"sha2-256": "sha256", "sha2-384": "sha384", "sha2-512": "sha512"}

# SRI hash-expression (W3C SRI §3.5): hash-algo "-" base64-value ["?" options]. The algorithm
# token is matched case-insensitively, as SRI's "parse metadata" does.
_SRI_RE = re.compile(r"([A-Za-z0-9_-]+)-([A-Za-z0-9+/]+={0,2})(?:\?[\x21-\x7e]*)?")
# A multihash of SHA-512 is 66 bytes (about 90 base58 characters); anything far longer is not a
# digest, and refusing it early keeps base58's quadratic big-integer decoding bounded.
_MAX_MULTIBASE_CHARS: Final = 256


@dataclass(frozen=True, kw_only=True)
class RelatedResourceResult:
    """What vcbadge found for one digest (or one entry) of ``relatedResource``.

    ``code`` is one of the module's codes, ``path`` a JSON pointer into the credential
    (``/relatedResource/0/digestSRI``), ``url`` the entry's ``id`` when it has one,
    ``algorithm`` the digest's algorithm in SRI spelling (``sha384``) or multihash name when
    known, and ``message`` says what happened in words.
    """

    code: str
    path: str
    message: str
    url: str | None = None
    algorithm: str | None = None

    @property
    def ok(self) -> bool:
        """True when the digest was compared and matches."""
        return self.code == DIGEST_OK

    def error(self) -> VcbadgeError | None:
        """This result as a typed error (``None`` when it is ``ok``), same ``code`` and ``path``.

        Mismatch → :class:`~vcbadge.errors.VerificationError` (INVALID); malformed →
        :class:`~vcbadge.errors.ModelError` (INVALID input); unknown →
        :class:`~vcbadge.errors.UnsupportedError`; not held →
        :class:`~vcbadge.errors.ResolutionError` (INDETERMINATE).
        """
        if self.code == DIGEST_OK:
            return None
        if self.code == DIGEST_MISMATCH:
            return VerificationError(self.message, code=self.code, path=self.path)
        if self.code in (DIGEST_MALFORMED, RESOURCE_MALFORMED):
            return ModelError(self.message, code=self.code, path=self.path)
        if self.code == DIGEST_UNKNOWN:
            return UnsupportedError(self.message, code=self.code, path=self.path)
        return ResolutionError(self.message, code=self.code, path=self.path)


@dataclass(frozen=True, kw_only=True)
class RelatedResourceTriage:
    """Results sorted by the module's proposed policy.

    ``invalid``: mismatches and malformed values (INVALID / refuse to issue). ``unchecked``:
    unknown digests of held resources for which no other digest matched (INDETERMINATE unless a
    policy accepts them). ``not_held``: resources vcbadge does not hold (no effect on the outcome
    by default). ``checked``: digests that matched.
    """

    invalid: tuple[RelatedResourceResult, ...] = ()
    unchecked: tuple[RelatedResourceResult, ...] = ()
    not_held: tuple[RelatedResourceResult, ...] = ()
    checked: tuple[RelatedResourceResult, ...] = ()


def triage_related_resources(
    results: Sequence[RelatedResourceResult],
) -> RelatedResourceTriage:
    """Sort ``results`` (from :func:`check_related_resources`) by the proposed policy.

    An unknown digest counts as unchecked only when no digest of the same entry matched: an
    issuer may add an algorithm vcbadge does not know next to one it does.
    """
    matched = {_entry_path(result.path) for result in results if result.ok}
    invalid = tuple(r for r in results if r.code in _INVALID)
    unchecked = tuple(
        r for r in results if r.code == DIGEST_UNKNOWN and _entry_path(r.path) not in matched
    )
    return RelatedResourceTriage(
        invalid=invalid,
        unchecked=unchecked,
        not_held=tuple(r for r in results if r.code == NOT_HELD),
        checked=tuple(r for r in results if r.ok),
    )


def _entry_path(path: str) -> str:
    # "/relatedResource/3/digestSRI" -> "/relatedResource/3"; a single-object relatedResource
    # ("/relatedResource/digestSRI") is its own entry.
    head, _, last = path.rpartition("/")
    return head if last in ("digestSRI", "digestMultibase", "id") else path


@functools.cache
def _published_facts() -> Mapping[str, Mapping[str, str]]:
    # contexts.py exposes published_sha256 only; the SHA-384/512 facts are read from the same
    # manifest here (keyed by primary URL) so that module's loader stays untouched.
    raw = json.loads((contexts_directory() / "manifest.json").read_text(encoding="utf-8"))
    facts: dict[str, dict[str, str]] = {}
    for item in raw.get("contexts", []) if isinstance(raw, dict) else []:
        if not isinstance(item, dict) or not isinstance(item.get("url"), str):
            continue
        known: dict[str, str] = {}
        for algorithm, size in _SIZES.items():
            value = item.get(f"published_{algorithm}")
            if value is None:
                continue
            # Fail closed, like the loader: a damaged fact must not silently disable a check.
            if not isinstance(value, str) or not re.fullmatch(f"[0-9a-f]{{{2 * size}}}", value):
                raise RuntimeError(
                    f"vcbadge contexts manifest: published_{algorithm} of {item['url']} is not "
                    f"{2 * size} lowercase hex digits"
                )
            known[algorithm] = value
        facts[item["url"]] = known
    return facts


def published_digest(url: str, algorithm: str) -> bytes | None:
    """The recorded digest (``sha256``/``sha384``/``sha512``) of the document published at
    ``url``, for a URL vcbadge bundles (aliases included); ``None`` when not bundled or not
    recorded."""
    entry = bundled_contexts().get(url)
    if entry is None:
        return None
    value = _published_facts().get(entry.alias_of or entry.url, {}).get(algorithm)
    return bytes.fromhex(value) if value is not None else None


def _held(url: str) -> bool:
    return url in bundled_contexts()


def check_related_resources(document: Mapping[str, Any]) -> tuple[RelatedResourceResult, ...]:
    """Check every ``relatedResource`` digest of ``document`` that vcbadge can check.

    ``document`` is the credential as a JSON object. Returns one result per SRI hash
    expression and per ``digestMultibase`` of held resources, one ``related_resource_not_held``
    per entry vcbadge does not hold, and one result per malformed entry or value (checked for
    every entry, held or not); ``()`` when there is no ``relatedResource``. Never raises for
    bad input: every problem is a result (see the module docstring for the codes and policy).
    """
    if "relatedResource" not in document:
        return ()
    value = document["relatedResource"]
    if isinstance(value, Mapping):
        entries: list[tuple[str, Any]] = [("/relatedResource", value)]
    elif isinstance(value, list) and value:
        entries = [(f"/relatedResource/{index}", item) for index, item in enumerate(value)]
    else:
        return (
            RelatedResourceResult(
                code=RESOURCE_MALFORMED,
                path="/relatedResource",
                message="relatedResource must be an object or a non-empty array of objects",
            ),
        )
    results: list[RelatedResourceResult] = []
    for path, entry in entries:
        results.extend(_check_entry(path, entry))
    return tuple(results)


def _check_entry(path: str, entry: Any) -> Iterator[RelatedResourceResult]:
    if not isinstance(entry, Mapping):
        yield RelatedResourceResult(
            code=RESOURCE_MALFORMED, path=path, message="a relatedResource entry must be an object"
        )
        return
    url = entry.get("id")
    if not isinstance(url, str) or not url:
        yield RelatedResourceResult(
            code=RESOURCE_MALFORMED,
            path=f"{path}/id",
            message="a relatedResource entry must have an id (a URL string)",
        )
        return
    if "digestSRI" not in entry and "digestMultibase" not in entry:
        yield RelatedResourceResult(
            code=RESOURCE_MALFORMED,
            path=path,
            url=url,
            message=f"relatedResource {url} has neither digestSRI nor digestMultibase",
        )
        return
    # Parse every digest first, in document order: malformed values are reported whether or not
    # vcbadge holds the resource (§5.3 requires well-formed digests of every entry).
    parsed: list[RelatedResourceResult | tuple[str, str, bytes]] = []
    if "digestSRI" in entry:
        parsed.extend(_parse_sri(f"{path}/digestSRI", url, entry["digestSRI"]))
    if "digestMultibase" in entry:
        parsed.append(_parse_multibase(f"{path}/digestMultibase", url, entry["digestMultibase"]))
    if not _held(url):
        # An unknown digest of a resource vcbadge does not hold adds nothing to "not held".
        yield from (
            p for p in parsed if isinstance(p, RelatedResourceResult) and p.code != DIGEST_UNKNOWN
        )
        yield RelatedResourceResult(
            code=NOT_HELD,
            path=f"{path}/id",
            url=url,
            message=f"vcbadge does not hold {url}, so it cannot check its digest",
        )
        return
    for item in parsed:
        yield item if isinstance(item, RelatedResourceResult) else _compare(*item, url=url)


def _compare(path: str, algorithm: str, digest: bytes, *, url: str) -> RelatedResourceResult:
    expected = published_digest(url, algorithm)
    if expected is None:
        return RelatedResourceResult(
            code=DIGEST_UNKNOWN,
            path=path,
            url=url,
            algorithm=algorithm,
            message=f"vcbadge bundles {url} but has no recorded {algorithm} digest of the "
            "published document to compare with",
        )
    # Digests are public values, but compare in constant time anyway: it costs nothing.
    if hmac.compare_digest(expected, digest):
        return RelatedResourceResult(
            code=DIGEST_OK,
            path=path,
            url=url,
            algorithm=algorithm,
            message=f"the {algorithm} digest of {url} matches the published document",
        )
    return RelatedResourceResult(
        code=DIGEST_MISMATCH,
        path=path,
        url=url,
        algorithm=algorithm,
        message=f"the {algorithm} digest of {url} does not match the published document "
        f"(expected {expected.hex()}, the credential says {digest.hex()})",
    )


def _malformed(
    path: str, url: str, why: str, algorithm: str | None = None
) -> RelatedResourceResult:
    return RelatedResourceResult(
        code=DIGEST_MALFORMED, path=path, url=url, algorithm=algorithm, message=why
    )


def _unknown(path: str, url: str, why: str, algorithm: str | None = None) -> RelatedResourceResult:
    return RelatedResourceResult(
        code=DIGEST_UNKNOWN, path=path, url=url, algorithm=algorithm, message=why
    )


def _parse_sri(
    path: str, url: str, value: Any
) -> Iterator[RelatedResourceResult | tuple[str, str, bytes]]:
    if not isinstance(value, str) or not value.strip():
        yield _malformed(path, url, "digestSRI must be a non-empty string")
        return
    # SRI integrity metadata is a whitespace-separated list of hash expressions.
    for token in value.split():
        match = _SRI_RE.fullmatch(token)
        if match is None:
            yield _malformed(path, url, f"digestSRI {token!r} is not an SRI hash expression")
            continue
        algorithm, encoded = match.group(1).lower(), match.group(2)
        if algorithm not in _SIZES:
            yield _unknown(
                path,
                url,
                f"digestSRI algorithm {algorithm!r} is not one vcbadge compares "
                "(sha256, sha384, sha512)",
                algorithm,
            )
            continue
        try:
            digest = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            yield _malformed(path, url, f"digestSRI {token!r} is not valid base64", algorithm)
            continue
        # Require the canonical padded encoding: otherwise two strings would name one digest.
        if len(digest) != _SIZES[algorithm] or base64.b64encode(digest).decode() != encoded:
            yield _malformed(
                path,
                url,
                f"digestSRI {token!r} is not the base64 of a {algorithm} digest "
                f"({_SIZES[algorithm]} bytes)",
                algorithm,
            )
            continue
        yield (path, algorithm, digest)


def _parse_multibase(
    path: str, url: str, value: Any
) -> RelatedResourceResult | tuple[str, str, bytes]:
    if not isinstance(value, str) or len(value) < 2:
        return _malformed(path, url, "digestMultibase must be a multibase string")
    if len(value) > _MAX_MULTIBASE_CHARS:
        return _malformed(path, url, "digestMultibase is too long to be a digest")
    prefix, body = value[0], value[1:]
    try:
        if prefix == "u":
            raw = b64url_decode(body)
        elif prefix == "z":
            raw = base58_decode(body)
        else:
            return _unknown(
                path,
                url,
                f"digestMultibase encoding {prefix!r} is not one vcbadge reads "
                "('u' base64url, 'z' base58btc)",
            )
    except ValueError as exc:
        return _malformed(path, url, f"digestMultibase is not valid multibase: {exc}")
    try:
        code, rest = _varint(raw)
        length, digest = _varint(rest)
    except ValueError as exc:
        return _malformed(path, url, f"digestMultibase is not a multihash: {exc}")
    if length != len(digest):
        return _malformed(
            path,
            url,
            f"digestMultibase multihash declares {length} digest bytes but has {len(digest)}",
        )
    name = _MULTIHASH.get(code)
    if name is None:
        return _unknown(
            path,
            url,
            f"digestMultibase multihash code 0x{code:x} is not one vcbadge compares "
            "(sha2-256, sha2-384, sha2-512)",
        )
    algorithm = _MULTIHASH_TO_SRI[name]
    if length != _SIZES[algorithm]:
        # Multihash allows truncated digests; comparing a prefix would weaken the check, so it
        # is reported as not compared rather than accepted.
        return _unknown(
            path,
            url,
            f"digestMultibase is a truncated {name} digest ({length} of "
            f"{_SIZES[algorithm]} bytes); vcbadge compares full digests only",
            algorithm,
        )
    return (path, algorithm, digest)


def _varint(data: bytes) -> tuple[int, bytes]:
    """One unsigned varint and the bytes after it."""
    value, used = varint_decode(data)
    return value, data[used:]
