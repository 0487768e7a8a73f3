"""The speed table: every proof format against plain pyld and the signature floor, in one run.

Run: ``.venv/bin/python benchmarks/run.py [--rounds N]`` (not a test: figures depend on the box);
``--format LABEL`` (repeatable) keeps only those proof rows, ``--skip-canonicalization`` and
``--skip-batch`` leave out the other tables, for a quick before/after of one change.

By default the sides are interleaved, input by input, and that is the conservative figure:
each pyld call leaves the CPU caches full of its own objects, and vcbadge's next call runs
cold (about a third slower than in a loop of its own). ``--blocks`` times each side over all
its inputs in turn, the steady state of a service that verifies one badge after another.

Every figure is a median over ``rounds`` *distinct* credentials (each its own ``id``), so no
cache keyed by document helps. Ratios, all measured in this process and run:

* ``x pyld``: plain pyld's time for the same proof divided by vcbadge's (higher is faster).
  The plain pipeline is what a careful implementer writes with pyld 3.x alone: a loader serving
  the same bundled documents tagged ``static`` (so pyld caches processed contexts),
  ``jsonld.normalize`` (URDNA2015) of the document and of the proof options, the two hashes and
  the key operation. It encodes no ``proofValue`` and parses nothing, so it is a lower bound of
  what such a pipeline costs and the ratios are conservative. JCS and JWT formats are compared
  with the same RDFC pipeline for their key (what the proof would cost through pyld).
* ``x floor``: vcbadge's time divided by the bare key operation (Ed25519, ECDSA or RSA sign or
  verify of the same bytes, with the library vcbadge uses: ``cryptography``, and libsodium
  through PyNaCl for Ed25519 verification): how far above the cryptography it runs. The plain
  pipeline verifies Ed25519 with ``cryptography`` (OpenSSL), as the issue measured it; with
  libsodium it would be about 0.05 ms faster per verification.
* Every row signs with ``check_schema=False``, since the plain pipeline validates nothing
  either; the ``+schema`` row is the ``Issuer`` default (OB JSON Schema validation on every
  sign).
* ``KiB``: peak Python memory (tracemalloc) of one sign and one verify, per credential.

Canonicalization alone compares ``Canonicalizer.canonicalize`` with pyld's ``normalize`` on the
credential (also with ``compiled_expansion=False``, to show what the compiled path saves), on
every reference example both can read (bundled contexts), and on the RDFC-1.0 suite inputs
(N-Quads). Batch throughput rows come from ``benchmarks/batch_throughput.py``'s
``measure(workers)`` when that file exists.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import importlib.metadata
import importlib.util
import json
import os
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from _common import benchmark_credential
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from nacl.signing import VerifyKey
from pyld import jsonld

from vcbadge import FixedClock, Issuer, Profile, Verifier
from vcbadge.issue.jwt import JwtIssuer
from vcbadge.jsonld.loader import default_loader
from vcbadge.jsonld.rdfc import Canonicalizer
from vcbadge.keys import EcKey, Ed25519Key, RsaKey
from vcbadge.protocols import Signer

NOW = datetime(2025, 3, 1, tzinfo=timezone.utc)
HERE = Path(__file__).resolve().parent
REFERENCE = Path(os.environ.get("VCBADGE_REFERENCE") or HERE.parents[1] / "shared" / "reference")
# What the key signs in the floor rows: the size of an eddsa-rdfc-2022 / P-384 hash input.
HASH_DATA = bytes(96)
NORMALIZE = {"algorithm": "URDNA2015", "format": "application/n-quads"}

Timed = Callable[[Any], object]


# --blocks: each action over all its inputs before the next action starts (see main).
BLOCKS = False


def paired_medians(actions: Sequence[tuple[Timed, Sequence[Any]]]) -> list[float]:
    """Median milliseconds of each action over its inputs, the actions interleaved (input i of
    every action, then input i + 1...) so that a busy moment on the box hits all of them; with
    ``--blocks``, one action after the other.

    Times are this process's CPU time (``time.process_time``), so other work on a shared box
    does not count: the operations are single-threaded and do no I/O."""
    samples: list[list[float]] = [[] for _ in actions]
    if BLOCKS:
        for position, (action, inputs) in enumerate(actions):
            for item in inputs:
                start = time.process_time()
                action(item)
                samples[position].append(time.process_time() - start)
        return [statistics.median(series) * 1000 for series in samples]
    for index in range(len(actions[0][1])):
        for position, (action, inputs) in enumerate(actions):
            start = time.process_time()
            action(inputs[index])
            samples[position].append(time.process_time() - start)
    return [statistics.median(series) * 1000 for series in samples]


def peak_kib(action: Timed, item: Any) -> float:
    """Peak traced Python memory of one call, in KiB."""
    tracemalloc.start()
    try:
        action(item)
        return tracemalloc.get_traced_memory()[1] / 1024
    finally:
        tracemalloc.stop()


def static_loader() -> Callable[..., dict[str, Any]]:
    """pyld's loader for the same bundled documents, tagged static so pyld caches them."""
    bundled = default_loader()

    def load(url: str, options: Mapping[str, Any] | None = None) -> dict[str, Any]:
        remote = bundled(url, options)
        return {
            "contextUrl": None,
            "documentUrl": url,
            "document": copy.deepcopy(remote["document"]),
            "tag": "static",
        }

    return load


@dataclass(frozen=True, kw_only=True)
class FloorKey:
    """A bare key doing what a proof's key operation does, with the library vcbadge uses
    (``verify``); ``baseline_verify`` is the plain pipeline's, ``cryptography`` everywhere."""

    sign: Callable[[bytes], bytes]
    verify: Callable[[bytes, bytes], object]
    digest: str
    baseline_verify: Callable[[bytes, bytes], object] | None = None


def ed25519_floor() -> FloorKey:
    key = ed25519.Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
    # vcbadge verifies Ed25519 with libsodium (vcbadge.keys.ed25519); the plain pipeline
    # keeps cryptography's OpenSSL, as the issue measured it.
    sodium = VerifyKey(key.public_key().public_bytes_raw())
    return FloorKey(
        sign=key.sign,
        verify=lambda signature, data: sodium.verify(data, signature),
        digest="sha256",
        baseline_verify=key.public_key().verify,
    )


def ecdsa_floor(curve: ec.EllipticCurve, digest: str) -> FloorKey:
    key = ec.derive_private_key(7, curve)
    algorithm = ec.ECDSA(hashes.SHA256() if digest == "sha256" else hashes.SHA384())
    return FloorKey(
        sign=lambda data: key.sign(data, algorithm),
        verify=lambda signature, data: key.public_key().verify(signature, data, algorithm),
        digest=digest,
    )


def rsa_floor(key: rsa.RSAPrivateKey) -> FloorKey:
    scheme = padding.PKCS1v15()
    return FloorKey(
        sign=lambda data: key.sign(data, scheme, hashes.SHA256()),
        verify=lambda sig, data: key.public_key().verify(sig, data, scheme, hashes.SHA256()),
        digest="sha256",
    )


class PlainPyld:
    """The plain pyld proof pipeline (see the module docstring)."""

    def __init__(self, floor: FloorKey, verification_method: str) -> None:
        self.floor = floor
        self.options = {**NORMALIZE, "documentLoader": static_loader()}
        self.verification_method = verification_method

    def _hash_data(self, document: Mapping[str, Any]) -> bytes:
        proof_options = {
            "@context": document["@context"],
            "type": "DataIntegrityProof",
            "cryptosuite": "eddsa-rdfc-2022",
            "created": "2025-03-01T00:00:00Z",
            "verificationMethod": self.verification_method,
            "proofPurpose": "assertionMethod",
        }
        canonical_proof = jsonld.normalize(proof_options, self.options)
        canonical_document = jsonld.normalize(document, self.options)
        digest = self.floor.digest
        return (
            hashlib.new(digest, canonical_proof.encode()).digest()
            + hashlib.new(digest, canonical_document.encode()).digest()
        )

    def sign(self, document: Mapping[str, Any]) -> bytes:
        return self.floor.sign(self._hash_data(document))

    def verify(self, signed: tuple[Mapping[str, Any], bytes]) -> None:
        document, signature = signed
        verify = self.floor.baseline_verify or self.floor.verify
        verify(signature, self._hash_data(document))


def distinct_credentials(count: int) -> list[dict[str, Any]]:
    base = benchmark_credential()
    return [
        {**base, "id": f"urn:uuid:1b0d4d35-0f7c-4c8e-9d6b-{index:012x}"} for index in range(count)
    ]


@dataclass(frozen=True, kw_only=True)
class Format:
    label: str
    sign: Timed
    verify_input: Callable[[dict[str, Any]], Any]
    floor: FloorKey
    verification_method: str


def formats() -> list[Format]:
    clock = FixedClock(NOW)
    ed = Ed25519Key.from_seed(bytes(range(32)))
    p256 = EcKey.from_private_scalar((7).to_bytes(32, "big"), "P-256")
    p384 = EcKey.from_private_scalar((7).to_bytes(48, "big"), "P-384")
    rsa_private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    rsa_key = RsaKey.generate()
    ed_floor = ed25519_floor()
    floors = {
        "Ed25519": ed_floor,
        "P-256": ecdsa_floor(ec.SECP256R1(), "sha256"),
        "P-384": ecdsa_floor(ec.SECP384R1(), "sha384"),
    }
    result = []
    for label, suite, key, algorithm, check_schema in (
        ("eddsa-rdfc-2022", "eddsa-rdfc-2022", ed, "Ed25519", False),
        ("eddsa-rdfc-2022 +schema", "eddsa-rdfc-2022", ed, "Ed25519", True),
        ("Ed25519Signature2020", "Ed25519Signature2020", ed, "Ed25519", False),
        ("ecdsa-rdfc-2019 P-256", "ecdsa-rdfc-2019", p256, "P-256", False),
        ("ecdsa-rdfc-2019 P-384", "ecdsa-rdfc-2019", p384, "P-384", False),
        ("eddsa-jcs-2022", "eddsa-jcs-2022", ed, "Ed25519", False),
        ("ecdsa-jcs-2019 P-256", "ecdsa-jcs-2019", p256, "P-256", False),
    ):
        issuer = Issuer(
            Profile(id=key.controller),
            key=key,
            suite=suite,
            clock=clock,
            check_schema=check_schema,
        )
        result.append(
            Format(
                label=label,
                sign=issuer.issue,
                verify_input=issuer.issue,
                floor=floors[algorithm],
                verification_method=key.verification_method,
            )
        )
    jwt_keys: tuple[tuple[str, Signer, FloorKey], ...] = (
        ("VC-JWT EdDSA", ed, ed_floor),
        ("VC-JWT ES256", p256, floors["P-256"]),
        ("VC-JWT RS256", rsa_key, rsa_floor(rsa_private)),
    )
    for label, jwt_key, floor in jwt_keys:
        jwt_issuer = JwtIssuer(
            Profile(id=jwt_key.controller), key=jwt_key, clock=clock, check_schema=False
        )
        result.append(
            Format(
                label=label,
                sign=jwt_issuer.issue_jwt,
                verify_input=jwt_issuer.issue_jwt,
                floor=floor,
                verification_method=jwt_key.verification_method,
            )
        )
    return result


def proof_rows(rounds: int, only: Sequence[str] = ()) -> None:
    credentials = distinct_credentials(rounds)
    verifier = Verifier.offline(clock=FixedClock(NOW))
    print(
        f"Per credential, median of {rounds} distinct credentials "
        "(x pyld: plain pyld time / vcbadge time; x floor: vcbadge time / bare key operation)"
    )
    header = (
        f"{'format':<24} {'sign ms':>8} {'x pyld':>7} {'x floor':>8} "
        f"{'verify ms':>9} {'x pyld':>7} {'x floor':>8} {'sign KiB':>9} {'verify KiB':>10}"
    )
    print(header)
    print("-" * len(header))
    selected = [fmt for fmt in formats() if not only or fmt.label in only]
    # One row measured first and thrown away: the first timings of a process are slower
    # (allocator arenas, caches), and they would fall on whichever row comes first.
    runs = [(selected[0], True), *((fmt, False) for fmt in selected)] if selected else []
    for fmt, warm_up in runs:
        plain = PlainPyld(fmt.floor, fmt.verification_method)
        secured = [fmt.verify_input(credential) for credential in credentials]
        for item in secured[:3]:
            outcome = verifier.verify(item).outcome.value
            assert outcome == "VALID", (fmt.label, outcome)
        plain_signed = [(credential, plain.sign(credential)) for credential in credentials]
        plain.verify(plain_signed[0])  # the baseline really verifies what it signed
        signatures = [fmt.floor.sign(HASH_DATA) for _ in range(rounds)]
        sign_ms, pyld_sign_ms, floor_sign_ms = paired_medians(
            [
                (fmt.sign, credentials),
                (plain.sign, credentials),
                (fmt.floor.sign, [HASH_DATA] * rounds),
            ]
        )

        def floor_verify(signature: bytes, floor: FloorKey = fmt.floor) -> object:
            return floor.verify(signature, HASH_DATA)

        verify_ms, pyld_verify_ms, floor_verify_ms = paired_medians(
            [
                (verifier.verify, secured),
                (plain.verify, plain_signed),
                (floor_verify, signatures),
            ]
        )
        if warm_up:
            continue
        print(
            f"{fmt.label:<24} {sign_ms:8.3f} {pyld_sign_ms / sign_ms:7.2f} "
            f"{sign_ms / floor_sign_ms:8.1f} {verify_ms:9.3f} {pyld_verify_ms / verify_ms:7.2f} "
            f"{verify_ms / floor_verify_ms:8.1f} {peak_kib(fmt.sign, credentials[0]):9.0f} "
            f"{peak_kib(verifier.verify, secured[0]):10.0f}"
        )


def _reference_documents() -> list[dict[str, Any]]:
    index_file = REFERENCE / "examples" / "index.json"
    if not index_file.is_file():
        return []
    documents = []
    for entry in json.loads(index_file.read_text(encoding="utf-8"))["examples"]:
        path = REFERENCE / "examples" / entry["file"]
        if path.suffix != ".json":
            continue
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            continue
        if isinstance(document, dict):
            documents.append(document)
    return documents


def _suite_inputs() -> list[str]:
    manifest_file = REFERENCE / "rdf-canon" / "manifest.jsonld"
    if not manifest_file.is_file():
        return []
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    return [
        (REFERENCE / "rdf-canon" / entry["action"]).read_text(encoding="utf-8")
        for entry in manifest["entries"]
        if entry["type"] == "rdfc:RDFC10EvalTest"
    ]


def canonicalization_rows(rounds: int) -> None:
    loader = default_loader()
    canonicalizer = Canonicalizer(loader)
    options = {**NORMALIZE, "documentLoader": static_loader()}
    credentials = distinct_credentials(rounds)
    canonicalizer.canonicalize(credentials[0])
    jsonld.normalize(credentials[0], options)
    print()
    print("Canonicalization alone (x pyld: pyld normalize time / Canonicalizer time)")
    ours, theirs = paired_medians(
        [
            (canonicalizer.canonicalize, credentials),
            (lambda doc: jsonld.normalize(doc, options), credentials),
        ]
    )
    print(f"  {'OB 3.0 credential (median)':<44} {ours:8.3f} ms {theirs / ours:7.2f}")
    # The same with the compiled path off (pyld's expansion, one-pass RDF): what it saves.
    pyld_path = Canonicalizer(loader, compiled_expansion=False)
    pyld_path.canonicalize(credentials[0])
    ours, theirs = paired_medians(
        [
            (pyld_path.canonicalize, credentials),
            (lambda doc: jsonld.normalize(doc, options), credentials),
        ]
    )
    label = "OB 3.0 credential, compiled path off (median)"
    print(f"  {label:<44} {ours:8.3f} ms {theirs / ours:7.2f}")

    readable = []
    for document in _reference_documents():
        try:
            canonicalizer.canonicalize(document)
            jsonld.normalize(document, options)
        except Exception:  # a benchmark skips what either side cannot read
            continue
        readable.append(document)
    if readable:
        ours = _total_ms(canonicalizer.canonicalize, readable)
        theirs = _total_ms(lambda doc: jsonld.normalize(doc, options), readable)
        label = f"{len(readable)} reference examples (total)"
        print(f"  {label:<44} {ours:8.1f} ms {theirs / ours:7.2f}")
        _print_slowest(
            canonicalizer.canonicalize, lambda doc: jsonld.normalize(doc, options), readable
        )
    else:
        print("  reference examples: corpus not found, skipped")

    inputs = _suite_inputs()
    if inputs:
        nquads_options = {**NORMALIZE, "inputFormat": "application/n-quads"}
        ours = _total_ms(canonicalizer.canonicalize_nquads, inputs)
        theirs = _total_ms(lambda text: jsonld.normalize(text, nquads_options), inputs)
        label = f"{len(inputs)} RDFC-1.0 suite inputs (total)"
        print(f"  {label:<44} {ours:8.1f} ms {theirs / ours:7.2f}")
        _print_slowest(
            canonicalizer.canonicalize_nquads,
            lambda text: jsonld.normalize(text, nquads_options),
            inputs,
        )
    else:
        print("  RDFC-1.0 suite: corpus not found, skipped")


def _print_slowest(ours: Timed, theirs: Timed, inputs: Sequence[Any], repeats: int = 5) -> None:
    """The goal is "never slower than pyld" for every input, not on the total: each input's
    own ratio (the median of ``repeats`` paired runs), the smallest one, and how many are
    below 1."""
    ratios = []
    for item in inputs:
        mine, pylds = paired_medians([(ours, [item] * repeats), (theirs, [item] * repeats)])
        ratios.append(pylds / mine if mine else float("inf"))
    slower = sum(ratio < 1 for ratio in ratios)
    label = "    each input: slowest ratio"
    print(f"  {label:<44} {min(ratios):8.2f}x    inputs below 1x: {slower} of {len(ratios)}")


def _total_ms(action: Timed, inputs: Sequence[Any]) -> float:
    start = time.process_time()
    for item in inputs:
        action(item)
    return (time.process_time() - start) * 1000


def batch_rows() -> None:
    print()
    path = HERE / "batch_throughput.py"
    if not path.is_file():
        print("Batch throughput: benchmarks/batch_throughput.py not present, rows skipped")
        return
    spec = importlib.util.spec_from_file_location("batch_throughput", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    print("Batch throughput (benchmarks/batch_throughput.py measure(workers); 0: the caller alone)")
    for figures in (module.measure(workers) for workers in (0, 1, 2)):
        shown = ", ".join(
            f"{name}={value:.4g}" if isinstance(value, float) else f"{name}={value}"
            for name, value in figures.items()
        )
        print(f"  {shown}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=100)
    parser.add_argument("--skip-batch", action="store_true", help="leave out the batch rows")
    parser.add_argument(
        "--format",
        action="append",
        default=[],
        help="only this proof row (its label, e.g. 'eddsa-rdfc-2022 +schema'); repeatable",
    )
    parser.add_argument(
        "--skip-canonicalization", action="store_true", help="leave out canonicalization alone"
    )
    parser.add_argument(
        "--blocks",
        action="store_true",
        help="time each side over all its inputs in turn instead of interleaved",
    )
    arguments = parser.parse_args()
    global BLOCKS
    BLOCKS = arguments.blocks
    mode = "blocks (steady state)" if BLOCKS else "interleaved (conservative)"
    print(f"python {sys.version.split()[0]}, pyld {importlib.metadata.version('PyLD')}, {mode}")
    proof_rows(arguments.rounds, arguments.format)
    if not arguments.skip_canonicalization:
        canonicalization_rows(arguments.rounds)
    if not arguments.skip_batch:
        batch_rows()


if __name__ == "__main__":
    main()
