"""The fuzz targets: one per parser of untrusted input, shared by the atheris entry points
(``fuzz/<name>.py``), the runner (``fuzz/run.py``) and the hypothesis property tests
(``tests/test_fuzz_targets.py``).

Each target feeds arbitrary bytes to one parser and lets through only the exceptions that
parser documents (``expected``: members of the ``VcbadgeError`` tree). Anything else escaping
is a crash. ``seeds`` builds a seed corpus at run time from the project's own fixtures
(``test_vectors/``) and from what vcbadge itself issues, so nothing is copied from elsewhere.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from vcbadge import Verifier
    from vcbadge.keys import Ed25519Key

ROOT = Path(__file__).resolve().parent.parent
VECTORS = ROOT / "test_vectors"
NOW = datetime(2025, 3, 1, 12, 0, tzinfo=timezone.utc)

# Small limits keep each input cheap, so the fuzzer explores shapes rather than sizes.
MAX_INPUT = 64 * 1024


@dataclass(frozen=True)
class Target:
    """One parser under fuzzing: ``run(data)`` may raise only ``expected`` exceptions."""

    name: str
    run: Callable[[bytes], None]
    expected: tuple[type[BaseException], ...]
    seeds: Callable[[], list[bytes]]

    def check(self, data: bytes) -> None:
        """Run the parser on ``data``; an expected exception is a normal outcome, anything
        else propagates (a crash)."""
        with contextlib.suppress(*self.expected):
            self.run(data)


def _text(data: bytes) -> str:
    # Arbitrary bytes as arbitrary text, lone surrogates included (a str can hold them).
    return data.decode("utf-8", "surrogateescape")


# --- JSON input: vcbadge._json.loads_strict ----------------------------------------------------


def _json_input(data: bytes) -> None:
    from vcbadge._json import loads_strict

    loads_strict(data, max_bytes=MAX_INPUT, max_depth=32)
    loads_strict(_text(data), max_bytes=MAX_INPUT, max_depth=32)


def _json_seeds() -> list[bytes]:
    files = sorted(VECTORS.rglob("*.json"))[:40]
    seeds = [path.read_bytes()[:MAX_INPUT] for path in files]
    seeds += [b'{"a": [1, 2.5e10, "\\ud83d\\ude00", null, true]}', b"[[[[[]]]]]", b'{"a":1,"a":2}']
    return seeds


# --- JWT: compact JWS parsing, and verification through the public API ------------------------


def _jwt(data: bytes) -> None:
    from vcbadge.proofs.jws import parse_compact

    token = _text(data)
    try:
        parse_compact(token, max_bytes=MAX_INPUT)
    finally:
        # The public API never raises for content: whatever the parser said, verify() must
        # return a result (its TypeError is for a wrong argument type only, never here).
        _verifier().verify(token)


@functools.cache
def _verifier() -> Verifier:
    from vcbadge import FixedClock, Verifier

    return Verifier.offline(clock=FixedClock(NOW))


def _signed_credential() -> tuple[Ed25519Key, dict[str, object]]:
    from vcbadge.keys import Ed25519Key

    key = Ed25519Key.from_seed(bytes(range(32)))
    credential: dict[str, object] = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "issuer": key.controller,
        "validFrom": "2025-01-01T00:00:00Z",
        "credentialSubject": {"id": "did:example:learner"},
    }
    return key, credential


def _jwt_seeds() -> list[bytes]:
    from vcbadge.issue.jwt import JwtIssuer

    key, credential = _signed_credential()
    issuer = JwtIssuer({"id": key.controller, "type": ["Profile"]}, key=key)
    tokens = [issuer.issue_jwt(credential, at=NOW), issuer.issue_enveloped(credential, at=NOW)]
    return [token.encode("ascii") for token in tokens] + [b"e30.e30.", b"a.b.c", b"..."]


# --- Status list decoder: vcbadge.status.bitstring.decode_status_list -------------------------


def _status_list(data: bytes) -> None:
    from vcbadge.status.bitstring import decode_status_list

    text = _text(data)
    for multibase in (True, False):
        bits = decode_status_list(text, multibase=multibase, max_bytes=1024 * 1024)
        bits.value(0)
        bits.value(len(data) % 1024, 2)


def _status_list_seeds() -> list[bytes]:
    from vcbadge.status.bitstring import encode_status_list

    empty = bytes(16 * 1024)
    some = bytes([0b10100000]) + bytes(16 * 1024 - 1)
    return [
        encode_status_list(empty).encode("ascii"),
        encode_status_list(some).encode("ascii"),
        encode_status_list(some, multibase=False).encode("ascii"),
        b"uH4sIAAAAAAAA",
    ]


# --- Unbaking: PNG and SVG badge images -------------------------------------------------------


def _unbake_all(data: bytes) -> None:
    # extract() dispatches on the magic bytes; each reader is also driven directly, so the
    # fuzzer reaches the SVG reader without having to find the PNG signature and vice versa.
    from vcbadge.bake import BakeLimits, extract
    from vcbadge.bake.png import extract_png
    from vcbadge.bake.svg import extract_svg
    from vcbadge.errors import BakingError, InputError

    limits = BakeLimits(max_image_bytes=MAX_INPUT, max_payload_bytes=MAX_INPUT)
    for reader in (extract, extract_png, extract_svg):
        with contextlib.suppress(BakingError, InputError):
            reader(data, limits=limits)


def _unbake_seeds() -> list[bytes]:
    from vcbadge.bake import bake

    seeds = []
    for path in sorted((VECTORS / "bake").glob("*.json")):
        image = json.loads(path.read_text(encoding="utf-8")).get("input", {}).get("image")
        if isinstance(image, str):
            seeds.append(base64.b64decode(image))
    _, credential = _signed_credential()
    payload = json.dumps(credential)
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"></svg>'
    seeds.append(bake(svg, payload))
    # A 1x1 greyscale PNG, built here, baked with the same payload.
    png = _tiny_png()
    seeds += [png, bake(png, payload)]
    return [seed for seed in seeds if len(seed) <= MAX_INPUT]


def _tiny_png() -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


# --- did:web: vcbadge.resolve.did_web ---------------------------------------------------------


def _did_web(data: bytes) -> None:
    from vcbadge.resolve.did_web import did_web_to_url

    did_web_to_url(_text(data))


def _did_web_seeds() -> list[bytes]:
    return [
        b"did:web:badges.example.edu",
        b"did:web:badges.example.edu%3A8443",
        b"did:web:badges.example.edu:issuers:42",
        b"did:web:xn--bcher-kva.example",
        b"did:web:127.0.0.1",
        b"did:web:a..b",
        b"did:web:example.com:%2e%2e",
    ]


# --- ecdsa-sd-2023 proofValue: multibase base64url of a three-byte header and strict CBOR -------


def _sd_proof_value(data: bytes) -> None:
    from vcbadge._b64url import b64url_encode
    from vcbadge.errors import InvalidSignature
    from vcbadge.proofs.selective_disclosure import (
        BASE_PROOF_HEADER,
        DERIVED_PROOF_HEADER,
        parse_base_proof_value,
        parse_derived_proof_value,
    )

    # As received, and behind each header, so every input reaches the CBOR decoder.
    for raw in (data, BASE_PROOF_HEADER + data, DERIVED_PROOF_HEADER + data):
        for parse in (parse_base_proof_value, parse_derived_proof_value):
            with contextlib.suppress(InvalidSignature):
                parse("u" + b64url_encode(raw), path="/proof/proofValue")
    parse_derived_proof_value(_text(data), path="/proof/proofValue")


def _sd_proof_value_seeds() -> list[bytes]:
    from vcbadge._b64url import b64url_decode
    from vcbadge.jsonld.loader import default_loader
    from vcbadge.jsonld.rdfc import Canonicalizer
    from vcbadge.keys import EcKey
    from vcbadge.proofs.selective_disclosure import create_base_proof, derive

    key = EcKey.from_private_scalar(bytes([7]) * 32, "P-256")
    credential = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential"],
        "issuer": key.did,
        "validFrom": "2025-01-01T00:00:00Z",
        "name": "Python 101",
        "credentialSubject": {"id": "did:example:ada", "name": "Ada"},
    }
    canonicalizer = Canonicalizer(default_loader())
    proof = create_base_proof(
        credential,
        signer=key,
        canonicalizer=canonicalizer,
        mandatory_pointers=["/issuer"],
        created=NOW,
    )
    derived = derive(
        {**credential, "proof": proof},
        selective_pointers=["/credentialSubject/name"],
        canonicalizer=canonicalizer,
    )
    values = [proof["proofValue"], derived["proof"]["proofValue"]]
    return [b64url_decode(value[1:]) for value in values]


def _targets() -> Iterator[Target]:
    from vcbadge.errors import BakingError, DIDResolutionError, InputError, InvalidSignature

    yield Target("json_input", _json_input, (InputError,), _json_seeds)
    yield Target("jwt", _jwt, (InputError,), _jwt_seeds)
    yield Target("status_list", _status_list, (InputError,), _status_list_seeds)
    yield Target("unbake", _unbake_all, (BakingError, InputError), _unbake_seeds)
    # The did:web parser documents DIDResolutionError only: any other error, even another
    # VcbadgeError, is a change of its contract and counts as a crash.
    yield Target("did_web", _did_web, (DIDResolutionError,), _did_web_seeds)
    # ecdsa-sd-2023 proof values: everything refused is InvalidSignature (a VerificationError).
    yield Target("sd_proof_value", _sd_proof_value, (InvalidSignature,), _sd_proof_value_seeds)


TARGETS: dict[str, Target] = {target.name: target for target in _targets()}
"""Every fuzz target by name."""


def mutate(seed: bytes, edits: list[tuple[int, bytes]]) -> bytes:
    """``seed`` with each ``(position, replacement)`` written over it (positions wrap): how the
    hypothesis drivers (fuzz/run.py without atheris, tests/test_fuzz_targets.py) derive inputs
    from the seeds."""
    data = bytearray(seed)
    for position, replacement in edits:
        at = position % (len(data) + 1)
        data[at : at + len(replacement)] = replacement
    return bytes(data)


def atheris_main(name: str) -> None:
    """The atheris entry point of target ``name`` (``fuzz/<name>.py``): libFuzzer options and
    a corpus directory come from the command line, e.g. ``-max_total_time=20 corpus/``."""
    import sys

    import atheris

    target = TARGETS[name]
    # The modules a target imports lazily (by building its seeds, and on a first run) are
    # instrumented too: the entry script instrumented only what importing targets imported.
    with atheris.instrument_imports(include=["vcbadge"]):
        for seed in target.seeds():
            target.check(seed)
    atheris.Setup(sys.argv, target.check)
    atheris.Fuzz()
