"""Run another implementation's verifier or signer over the vector set, case by case.

A command is a template split like a shell line (``shlex``), never run through a shell. Each
word may hold placeholders, filled per case from files written to a fresh temporary directory:

==================== =====================================================================
``{file}``           the case's input: ``input.json`` (JSON), ``input.jwt`` (a compact JWS or
                     SVG text) or ``input.png`` / ``input.svg`` (a badge image's bytes)
``{case}``           the whole case file
``{at}``             the verification time (ISO 8601)
``{docs}``           a directory with one file per document and ``index.json`` (id -> file)
``{docargs}``        (a whole word) ``--doc ID=FILE`` for each document, as separate words
``{challenge}``      a presentation case's challenge (empty otherwise)
``{domain}``         its domain, or its domains joined with commas (empty when none)
``{presentationargs}`` (a whole word) ``--challenge C`` and ``--domain D`` per domain, or nothing
``{recipient}``      the recipient the badge must be awarded to (empty when the case names none)
``{recipientargs}``  (a whole word) ``--recipient R``, or nothing
``{input}``          sign cases: the case's ``input`` (credential, issuer, created, suite/format)
``{key}``            sign cases: the case's ``keys[0]`` entry, with its private key
``{out}``            sign cases: where the signer writes its output (JSON or the JWS text)
==================== =====================================================================

A command whose program is ``vcbadge`` runs the vcbadge doing the testing (same Python).
vcbadge itself runs as :data:`VCBADGE_VERIFIER` and :data:`VCBADGE_SIGNER`. A case that names
a ``recipient`` is an error for a verifier command with neither ``{recipient}`` nor
``{recipientargs}``: it could not be asked the case's question.

A verifier's answer is its JSON output's ``outcome`` when standard output is a JSON object with
one (``VALID``, ``INVALID``, ``INDETERMINATE``), else its exit status (0, 1, 2). Codes are
compared when the case declares them and the output has them (``checks[].code`` of the checks
that are not VALID, or a ``codes`` array): a difference there is its own level, "disagrees on
codes", because another implementation names failures its own way.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re
import shlex
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from vcbadge._time import parse_datetime
from vcbadge.conformance.vectors import EXIT_STATUS_OF_OUTCOME, VectorCase
from vcbadge.errors import VcbadgeError
from vcbadge.jsonld.jcs import canonicalize_jcs
from vcbadge.jsonld.loader import default_loader
from vcbadge.jsonld.rdfc import canonicalize
from vcbadge.verify import Verifier

__all__ = [
    "DEFAULT_TIMEOUT",
    "SIGNER_PLACEHOLDERS",
    "VCBADGE_SIGNER",
    "VCBADGE_VERIFIER",
    "VERIFIER_PLACEHOLDERS",
    "CaseResult",
    "CommandTemplate",
    "Status",
    "TemplateError",
    "compare_signed",
    "run_cases",
    "run_signer",
    "run_verifier",
    "verifier_files",
]

DEFAULT_TIMEOUT = 30.0

VERIFIER_PLACEHOLDERS = frozenset(
    {
        "file",
        "case",
        "at",
        "docs",
        "docargs",
        "challenge",
        "domain",
        "presentationargs",
        "recipient",
        "recipientargs",
    }
)
SIGNER_PLACEHOLDERS = frozenset({"input", "key", "out", "case", "at"})
# Placeholders that stand for zero or more words, so they must be a whole word.
_WORD_LISTS = frozenset({"docargs", "presentationargs", "recipientargs"})
_RECIPIENT_PLACEHOLDERS = frozenset({"recipient", "recipientargs"})

VCBADGE_VERIFIER = (
    "vcbadge verify {file} --offline --json --at {at} {docargs} {presentationargs} {recipientargs}"
)
"""vcbadge's own verifier command line over a case (the CLI contract of test_vectors/README.md)."""
VCBADGE_SIGNER = "vcbadge vectors sign {input} {key} {out}"
"""vcbadge's own signer command line over a sign case."""
_PLACEHOLDER = re.compile(r"\{([a-z]+)\}")
_THIS_VCBADGE = (sys.executable, "-c", "from vcbadge.cli import main; raise SystemExit(main())")

# Suites and JWS algorithms whose signatures are a function of key and data: the output must
# be the expected one exactly. ECDSA signers may draw a random nonce: their output is verified.
_DETERMINISTIC_SUITES = frozenset({"eddsa-rdfc-2022", "eddsa-jcs-2022", "Ed25519Signature2020"})
_DETERMINISTIC_ALGS = frozenset({"EdDSA", "RS256"})
_OUTCOMES = frozenset(EXIT_STATUS_OF_OUTCOME)
_OUTCOME_OF_EXIT = {status: outcome for outcome, status in EXIT_STATUS_OF_OUTCOME.items()}


class Status(str, Enum):
    """How a case went, from best to worst."""

    AGREE = "agree"
    CODES = "disagrees on codes"
    DISAGREE = "disagrees"
    ERROR = "error"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, kw_only=True)
class CaseResult:
    """One case's result: what was expected, what the command gave, and why they differ."""

    id: str
    type: str
    spec: str
    status: Status
    expected: str
    got: str
    reason: str = ""
    seconds: float = 0.0

    @property
    def agrees(self) -> bool:
        return self.status is Status.AGREE

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "spec": self.spec,
            "status": self.status.value,
            "expected": self.expected,
            "got": self.got,
            "reason": self.reason,
            "seconds": round(self.seconds, 3),
        }


class TemplateError(ValueError):
    """A command template that cannot be used (unknown placeholder, list placeholder inside a
    word, empty command)."""


@dataclass(frozen=True)
class CommandTemplate:
    """A command line with placeholders, checked once against the names it may use."""

    words: tuple[str, ...]

    @classmethod
    def parse(cls, text: str, *, allowed: frozenset[str]) -> CommandTemplate:
        try:
            words = tuple(shlex.split(text))
        except ValueError as exc:
            raise TemplateError(f"cannot split the command: {exc}") from None
        if not words:
            raise TemplateError("the command is empty")
        for word in words:
            for name in _PLACEHOLDER.findall(word):
                if name not in allowed:
                    known = ", ".join("{" + item + "}" for item in sorted(allowed))
                    raise TemplateError(f"unknown placeholder {{{name}}} (known: {known})")
                if name in _WORD_LISTS and word != "{" + name + "}":
                    raise TemplateError(f"{{{name}}} stands for several words: use it alone")
        return cls(words)

    def uses(self, names: frozenset[str]) -> bool:
        """Whether any word holds one of the placeholders ``names``."""
        return any(name in names for word in self.words for name in _PLACEHOLDER.findall(word))

    def expand(self, values: Mapping[str, str], lists: Mapping[str, Sequence[str]]) -> list[str]:
        """The argument vector for one case. A program named ``vcbadge`` is this vcbadge,
        run with the running Python: what is tested is the vcbadge doing the testing, whether
        or not its script is on ``PATH``."""
        if self.words[0] == "vcbadge":
            return [*_THIS_VCBADGE, *self.expand_arguments(values, lists)]
        return [
            *self._expanded(self.words[:1], values, lists),
            *self.expand_arguments(values, lists),
        ]

    def expand_arguments(
        self, values: Mapping[str, str], lists: Mapping[str, Sequence[str]]
    ) -> list[str]:
        """The arguments after the program, expanded: for ``vcbadge ...`` templates, what
        ``vcbadge.cli.main`` takes in the same process."""
        return self._expanded(self.words[1:], values, lists)

    @staticmethod
    def _expanded(
        words: Sequence[str], values: Mapping[str, str], lists: Mapping[str, Sequence[str]]
    ) -> list[str]:
        argv: list[str] = []
        for word in words:
            name = word[1:-1] if word.startswith("{") and word.endswith("}") else ""
            if name in lists:
                argv.extend(lists[name])
            else:
                argv.append(_PLACEHOLDER.sub(lambda match: values[match.group(1)], word))
        return argv


@dataclass(frozen=True)
class _Completed:
    exit_status: int | None  # None: killed after the timeout
    stdout: str
    stderr: str
    seconds: float


def _run(argv: Sequence[str], *, timeout: float) -> _Completed:
    """Run ``argv`` in its own process group; after ``timeout`` seconds kill the whole group
    (a wrapper script's children included). It runs in the caller's working directory, as a
    command typed there would: a relative path in the template (``python db_sign.py``,
    ``node oracle/verify.mjs``) names what the user sees, and every case file it is given is
    an absolute path."""
    started = time.monotonic()
    process = subprocess.Popen(
        list(argv),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    try:
        out, err = process.communicate(timeout=timeout)
        status: int | None = process.returncode
    except subprocess.TimeoutExpired:
        _kill_group(process)
        out, err = process.communicate()
        status = None
    return _Completed(
        exit_status=status,
        stdout=out.decode("utf-8", "replace"),
        stderr=err.decode("utf-8", "replace"),
        seconds=time.monotonic() - started,
    )


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    killpg = getattr(os, "killpg", None)
    try:
        if killpg is not None:
            killpg(process.pid, signal.SIGKILL)
        else:  # pragma: no cover - no process groups (Windows)
            process.kill()
    except ProcessLookupError:
        pass


def _write_json(path: Path, value: Any) -> Path:
    path.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
    return path


def _write_input(directory: Path, case: VectorCase) -> Path:
    name, data = case.input_file()
    path = directory / name
    path.write_bytes(data)
    return path


def _tail(text: str, limit: int = 200) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else "..." + text[-limit:]


def _result(case: VectorCase, status: Status, **fields: Any) -> CaseResult:
    return CaseResult(id=case.id, type=case.type, spec=case.spec, status=status, **fields)


# Verifier


def verifier_files(
    case: VectorCase, directory: Path
) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Write a verify/status case's files to ``directory``; return the placeholder values and
    word lists (see the module docstring)."""
    documents = directory / "documents"
    documents.mkdir()
    index: dict[str, str] = {}
    docargs: list[str] = []
    for number, (identifier, document) in enumerate(case.documents.items()):
        path = _write_json(documents / f"document-{number}.json", document)
        index[identifier] = path.name
        docargs += ["--doc", f"{identifier}={path}"]
    _write_json(documents / "index.json", index)
    presentationargs: list[str] = []
    if case.is_presentation:
        presentationargs += ["--challenge", str(case.data["challenge"])]
        for domain in case.domains:
            presentationargs += ["--domain", domain]
    recipient = case.recipient
    values = {
        "file": str(_write_input(directory, case)),
        "case": str(_write_json(directory / "case.json", dict(case.data))),
        "at": case.at,
        "docs": str(documents),
        "challenge": str(case.data.get("challenge", "")),
        "domain": ",".join(case.domains),
        "recipient": recipient or "",
    }
    lists = {
        "docargs": docargs,
        "presentationargs": presentationargs,
        "recipientargs": [] if recipient is None else ["--recipient", recipient],
    }
    return values, lists


def _answer(completed: _Completed) -> tuple[str | None, list[str] | None, str]:
    """(outcome, codes, problem) from a verifier's output: the JSON ``outcome`` when there is
    one, else the exit status."""
    text = completed.stdout.strip()
    if text.startswith("{"):
        try:
            report = json.loads(text)
        except ValueError:
            report = None
        if isinstance(report, dict) and "outcome" in report:
            outcome = report["outcome"]
            if outcome not in _OUTCOMES:
                said = report.get("message") or report.get("code") or outcome
                return None, None, f"its JSON output says {outcome!r}: {_tail(str(said))}"
            return str(outcome), _codes(report), ""
    if completed.exit_status in _OUTCOME_OF_EXIT:
        return _OUTCOME_OF_EXIT[completed.exit_status], None, ""
    return None, None, f"exit status {completed.exit_status}: {_tail(completed.stderr)}"


def _codes(report: Mapping[str, Any]) -> list[str] | None:
    checks = report.get("checks")
    if isinstance(checks, list) and all(isinstance(check, dict) for check in checks):
        return [str(c.get("code")) for c in checks if c.get("outcome") != "VALID"]
    codes = report.get("codes")
    if isinstance(codes, list):
        return [str(code) for code in codes]
    return None


def run_verifier(
    case: VectorCase,
    template: CommandTemplate,
    *,
    timeout: float = DEFAULT_TIMEOUT,
    compare_codes: bool = True,
) -> CaseResult:
    """Run ``template`` over one verify/status case and compare its answer."""
    expected_outcome = str(case.expected["outcome"])
    expected_codes = case.expected.get("codes")
    expected = expected_outcome
    if expected_codes:
        expected += f" [{', '.join(expected_codes)}]"
    if case.recipient is not None and not template.uses(_RECIPIENT_PLACEHOLDERS):
        return _result(
            case,
            Status.ERROR,
            expected=expected,
            got="-",
            reason="the case names a recipient: give the command {recipient} or {recipientargs}",
        )
    with tempfile.TemporaryDirectory(prefix="vcbadge-vector-") as scratch:
        directory = Path(scratch)
        values, lists = verifier_files(case, directory)
        argv = template.expand(values, lists)
        try:
            completed = _run(argv, timeout=timeout)
        except OSError as exc:
            return _result(
                case, Status.ERROR, expected=expected, got="-", reason=f"cannot run: {exc}"
            )
    if completed.exit_status is None:
        return _result(
            case,
            Status.ERROR,
            expected=expected,
            got="-",
            reason="timeout",
            seconds=completed.seconds,
        )
    outcome, codes, problem = _answer(completed)
    if outcome is None:
        return _result(
            case,
            Status.ERROR,
            expected=expected,
            got="-",
            reason=problem,
            seconds=completed.seconds,
        )
    got = outcome + (f" [{', '.join(codes)}]" if codes else "")
    if outcome != expected_outcome:
        return _result(
            case,
            Status.DISAGREE,
            expected=expected,
            got=got,
            reason=f"outcome {outcome}, expected {expected_outcome}",
            seconds=completed.seconds,
        )
    if (
        compare_codes
        and expected_codes is not None
        and codes is not None
        and list(codes) != list(expected_codes)
    ):
        return _result(
            case,
            Status.CODES,
            expected=expected,
            got=got,
            reason=f"codes {codes}, expected {list(expected_codes)}",
            seconds=completed.seconds,
        )
    return _result(case, Status.AGREE, expected=expected, got=got, seconds=completed.seconds)


# Signer


def run_signer(
    case: VectorCase, template: CommandTemplate, *, timeout: float = DEFAULT_TIMEOUT
) -> CaseResult:
    """Run ``template`` over one sign case and compare what it wrote to ``{out}``."""
    expected = _describe_sign(case)
    with tempfile.TemporaryDirectory(prefix="vcbadge-vector-") as scratch:
        directory = Path(scratch)
        out = directory / "output"
        values = {
            "input": str(_write_json(directory / "input.json", case.data["input"])),
            "key": str(_write_json(directory / "key.json", case.data["keys"][0])),
            "out": str(out),
            "case": str(_write_json(directory / "case.json", dict(case.data))),
            "at": case.at,
        }
        try:
            completed = _run(template.expand(values, {}), timeout=timeout)
        except OSError as exc:
            return _result(
                case, Status.ERROR, expected=expected, got="-", reason=f"cannot run: {exc}"
            )
        if completed.exit_status is None:
            return _result(
                case,
                Status.ERROR,
                expected=expected,
                got="-",
                reason="timeout",
                seconds=completed.seconds,
            )
        if completed.exit_status != 0:
            reason = f"exit status {completed.exit_status}: {_tail(completed.stderr)}"
            return _result(
                case,
                Status.ERROR,
                expected=expected,
                got="-",
                reason=reason,
                seconds=completed.seconds,
            )
        try:
            written = out.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            return _result(
                case,
                Status.ERROR,
                expected=expected,
                got="-",
                reason=f"no readable output at {{out}}: {exc}",
                seconds=completed.seconds,
            )
    status, got, reason = compare_signed(case, written)
    return _result(
        case, status, expected=expected, got=got, reason=reason, seconds=completed.seconds
    )


def _describe_sign(case: VectorCase) -> str:
    given = case.data["input"]
    if "suite" in given:
        return f"{given['suite']} proof"
    return f"{given.get('format')} {given.get('alg')}"


def compare_signed(case: VectorCase, written: str) -> tuple[Status, str, str]:
    """Compare a signer's output (the text it wrote) with a sign case's expected output:
    the document (by the suite's canonical form), the proof options, and the signature
    (exactly for deterministic suites and algorithms, by verification with vcbadge for ECDSA)."""
    expected = case.expected["output"]
    if isinstance(expected, str):
        return _compare_jws(case, expected, written.strip())
    try:
        output = json.loads(written)
    except ValueError:
        return Status.DISAGREE, "not JSON", f"the output is not JSON: {_tail(written, 60)!r}"
    if not isinstance(output, dict):
        return Status.DISAGREE, "not a JSON object", "the output is not a JSON object"
    suite = str(case.data["input"]["suite"])
    body, want_body = _without(output, "proof"), _without(expected, "proof")
    got_hash, want_hash = _canonical_hash(body, suite), _canonical_hash(want_body, suite)
    if got_hash != want_hash:
        where = _first_difference(want_body, body)
        return (
            Status.DISAGREE,
            f"document {got_hash[:12]}",
            f"the signed document differs at {where or '/'} (canonical SHA-256 {got_hash[:12]}, "
            f"expected {want_hash[:12]})",
        )
    got_proof, want_proof = output.get("proof"), expected["proof"]
    if not isinstance(got_proof, dict):
        return Status.DISAGREE, "no single proof", "the output has no proof object"
    got_options, want_options = (
        _without(got_proof, "proofValue"),
        _without(want_proof, "proofValue"),
    )
    if got_options != want_options:
        where = _first_difference(want_options, got_options)
        return Status.DISAGREE, "other proof options", f"the proof options differ at /proof{where}"
    if suite in _DETERMINISTIC_SUITES:
        if got_proof.get("proofValue") != want_proof.get("proofValue"):
            return (
                Status.DISAGREE,
                "other proofValue",
                f"proofValue differs ({suite} signatures are deterministic)",
            )
        return Status.AGREE, f"identical ({want_hash[:12]})", ""
    return _verified(case, output, f"same document ({want_hash[:12]}), signature verified")


def _compare_jws(case: VectorCase, expected: str, written: str) -> tuple[Status, str, str]:
    alg = str(case.data["input"].get("alg"))
    parts = written.split(".")
    if len(parts) != 3:
        return Status.DISAGREE, "not a compact JWS", "the output is not a compact JWS"
    want = expected.split(".")
    for index, name in ((0, "header"), (1, "payload")):
        try:
            got_value = json.loads(_b64url(parts[index]))
        except ValueError:
            return Status.DISAGREE, f"bad {name}", f"the JWS {name} is not base64url JSON"
        want_value = json.loads(_b64url(want[index]))
        if got_value != want_value:
            where = _first_difference(want_value, got_value)
            return Status.DISAGREE, f"other {name}", f"the JWS {name} differs at {where or '/'}"
    if alg in _DETERMINISTIC_ALGS:
        if written != expected:
            return (
                Status.DISAGREE,
                "other signature",
                f"the signature differs ({alg} is deterministic)",
            )
        return Status.AGREE, "identical", ""
    return _verified(case, written, "same header and payload, signature verified")


def _verified(case: VectorCase, output: Any, agreed: str) -> tuple[Status, str, str]:
    verifier = Verifier.offline(documents=case.documents)
    result = verifier.verify(output, at=parse_datetime(case.at))
    if result.outcome.value == "VALID":
        return Status.AGREE, agreed, ""
    codes = ", ".join(check.code for check in result.failed)
    return (
        Status.DISAGREE,
        f"{result.outcome.value} [{codes}]",
        "vcbadge does not verify the output",
    )


def _b64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _without(value: Mapping[str, Any], member: str) -> dict[str, Any]:
    return {key: item for key, item in value.items() if key != member}


def _canonical_hash(document: Mapping[str, Any], suite: str) -> str:
    """SHA-256 of the form the suite signs: JCS for the *-jcs-* suites, RDFC-1.0 N-Quads else.
    A document that cannot be canonicalized hashes its JCS form (and so differs)."""
    try:
        text = (
            canonicalize_jcs(dict(document))
            if "jcs" in suite
            else canonicalize(dict(document), default_loader())
        )
    except VcbadgeError as error:
        text = f"uncanonicalizable [{error.code}] " + canonicalize_jcs(dict(document))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _first_difference(expected: Any, got: Any, path: str = "") -> str:
    """The JSON pointer of the first place where ``got`` differs from ``expected``."""
    if isinstance(expected, dict) and isinstance(got, dict):
        for key in sorted(set(expected) | set(got)):
            if key not in expected or key not in got or expected[key] != got[key]:
                if key in expected and key in got:
                    return _first_difference(expected[key], got[key], f"{path}/{key}")
                return f"{path}/{key}"
    if isinstance(expected, list) and isinstance(got, list) and len(expected) == len(got):
        for index, (left, right) in enumerate(zip(expected, got, strict=True)):
            if left != right:
                return _first_difference(left, right, f"{path}/{index}")
    return path


# Many cases


def run_cases(
    cases: Iterable[VectorCase],
    run_one: Callable[[VectorCase], CaseResult],
    *,
    jobs: int = 1,
) -> list[CaseResult]:
    """``run_one`` over ``cases`` (``jobs`` at a time), results in the cases' order."""
    listed = list(cases)
    if jobs <= 1:
        return [run_one(case) for case in listed]
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(run_one, listed))
