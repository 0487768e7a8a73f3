"""``vcbadge vectors run``: another implementation's verifier or signer over the vector set,
reported case by case. vcbadge runs itself through it; deliberately broken implementations
(fixtures/) are reported with the right counts and reasons."""

from __future__ import annotations

import hashlib
import json
import shlex
import shutil
import sys
import time
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from typing import Any

import pytest

from vcbadge.cli import main
from vcbadge.conformance.runner import (
    VCBADGE_SIGNER,
    VCBADGE_VERIFIER,
    VERIFIER_PLACEHOLDERS,
    CommandTemplate,
    TemplateError,
    verifier_files,
)
from vcbadge.conformance.vectors import VectorSet, default_vector_directory, selected
from vcbadge.errors import InputError

FIXTURES = Path(__file__).resolve().parent / "fixtures"
VECTORS = VectorSet.load()
VERIFIABLE = VECTORS.of_type("verify", "status")
SIGN = VECTORS.of_type("sign")
PYTHON = shlex.quote(sys.executable)
SELF_VERIFIER = VCBADGE_VERIFIER
SELF_SIGNER = VCBADGE_SIGNER
# One case of each shape the verifier template must handle: a presentation (challenge and a
# domain set), documents (did:web issuer), a failure with codes, a status list, a VC-JWT text
# input, a PNG image input with a recipient; and signers: deterministic Data Integrity,
# randomizable ECDSA, JWS with ES256.
RECIPIENT_IMAGE_CASE = "ob2/verify-baked-png-wrong-recipient"
FAST_CASES = [
    RECIPIENT_IMAGE_CASE,
    "presentations/verify-domain-set-valid",
    "eddsa-rdfc-2022/verify-valid-https-issuer",
    "eddsa-rdfc-2022/verify-tampered",
    "status/verify-revoked",
    "vc-jwt-eddsa/verify-valid",
    "eddsa-rdfc-2022/sign-did-key",
    "ecdsa-rdfc-2019-p256/sign-did-key",
    "vc-jwt-es256/sign",
]


def fixture(name: str, *placeholders: str) -> str:
    return shlex.join([sys.executable, str(FIXTURES / name), *placeholders])


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["vectors", "run", *argv])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, captured.out, captured.err


def report(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, dict[str, Any]]:
    code, out, _ = run(capsys, *argv, "--json")
    return code, json.loads(out)


def test_the_fast_cases_exist_and_cover_every_shape() -> None:
    ids = {case.id for case in VECTORS}
    assert set(FAST_CASES) <= ids
    chosen = [case for case in VECTORS if case.id in FAST_CASES]
    assert any(case.is_presentation and len(case.domains) > 1 for case in chosen)
    assert any(case.documents for case in chosen)
    assert any(isinstance(case.data["input"], str) for case in chosen)
    assert any(case.image_type == "png" and case.recipient for case in chosen)
    assert {case.type for case in chosen} == {"verify", "status", "sign"}


def test_vcbadge_agrees_with_itself_on_one_case_of_each_shape(
    capsys: pytest.CaptureFixture[str],
) -> None:
    only = [argument for case in FAST_CASES for argument in ("--only", case)]
    code, body = report(capsys, "--verifier", SELF_VERIFIER, "--issuer", SELF_SIGNER, *only)
    assert code == 0, body
    assert body["summary"] == {
        "cases": len(FAST_CASES),
        "agree": len(FAST_CASES),
        "disagree_codes": 0,
        "disagree": 0,
        "error": 0,
    }
    # The failure codes were compared, not only the outcome.
    tampered = next(r for r in body["results"] if r["id"] == "eddsa-rdfc-2022/verify-tampered")
    assert tampered["got"] == tampered["expected"] == "INVALID [invalid_signature]"


@pytest.mark.slow
def test_vcbadge_agrees_with_itself_on_every_verify_status_and_sign_case(
    capsys: pytest.CaptureFixture[str],
) -> None:
    started = time.monotonic()
    code, body = report(capsys, "--verifier", SELF_VERIFIER, "--issuer", SELF_SIGNER, "--jobs", "2")
    assert code == 0, [r for r in body["results"] if r["status"] != "agree"]
    assert body["summary"]["cases"] == len(VERIFIABLE) + len(SIGN)
    assert body["summary"]["agree"] == len(VERIFIABLE) + len(SIGN)
    assert time.monotonic() - started < 280


def _expected_valid(case_id: str) -> bool:
    return bool(next(c for c in VERIFIABLE if c.id == case_id).expected["outcome"] == "VALID")


@pytest.mark.parametrize("script", ["say_valid.py", "exit_valid.py"])
def test_a_verifier_that_says_valid_to_everything_is_reported_case_by_case(
    script: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, body = report(capsys, "--verifier", fixture(script, "{file}"))
    assert code == 1
    # The command takes no recipient: the recipient cases are errors (it cannot be asked).
    asked = [case for case in VERIFIABLE if case.recipient is None]
    recipients = {case.id for case in VERIFIABLE if case.recipient is not None}
    valid = [case for case in asked if case.expected["outcome"] == "VALID"]
    assert body["summary"] == {
        "cases": len(VERIFIABLE),
        "agree": len(valid),
        "disagree_codes": 0,
        "disagree": len(asked) - len(valid),
        "error": len(recipients),
    }
    assert [r["id"] for r in body["results"]] == [case.id for case in VERIFIABLE]
    for result in body["results"]:
        if result["id"] in recipients:
            assert result["status"] == "error"
        elif _expected_valid(result["id"]):
            assert result["status"] == "agree"
        else:
            assert result["status"] == "disagrees"
            assert result["got"] == "VALID"
            assert result["reason"].startswith("outcome VALID, expected IN")


def test_the_table_names_each_disagreement(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys, "--verifier", fixture("say_valid.py", "{file}"), "--only", "status/*"
    )
    assert code == 1
    header, _, *rows = out.splitlines()
    assert header.split() == ["status", "case", "spec", "expected", "got", "why"]
    statuses = [case for case in VECTORS.of_type("status")]
    wrong = [case for case in statuses if case.expected["outcome"] != "VALID"]
    for case in wrong:
        row = next(line for line in rows if f" {case.id} " in line)
        assert row.startswith("disagrees")
        assert f"outcome VALID, expected {case.expected['outcome']}" in row
    assert rows[-1] == (
        f"vector set {VECTORS.version}: {len(statuses) - len(wrong)}/{len(statuses)} cases "
        f"agree, {len(wrong)} disagree, 0 disagree on codes, 0 errors"
    )
    # --all lists the cases that agree too.
    code, out, _ = run(
        capsys, "--verifier", fixture("say_valid.py", "{file}"), "--only", "status/*", "--all"
    )
    _, _, *rows = out.splitlines()
    assert len([row for row in rows if row.startswith(("agree ", "disagrees "))]) == len(statuses)


def test_other_failure_codes_are_their_own_level(capsys: pytest.CaptureFixture[str]) -> None:
    verifier = fixture("wrong_codes.py", "{case}", "{recipientargs}")
    code, body = report(capsys, "--verifier", verifier)
    failing = [case for case in VERIFIABLE if case.expected["outcome"] != "VALID"]
    assert code == 1
    assert body["summary"]["disagree_codes"] == len(failing)
    assert body["summary"]["disagree"] == body["summary"]["error"] == 0
    result = body["results"][[c.id for c in VERIFIABLE].index(failing[0].id)]
    assert result["status"] == "disagrees on codes"
    assert "my_failure" in result["reason"]
    # An implementation with its own codes compares outcomes only.
    code, body = report(capsys, "--verifier", verifier, "--ignore-codes")
    assert code == 0
    assert body["summary"]["agree"] == len(VERIFIABLE)


def test_a_signer_that_writes_garbage_disagrees_on_every_sign_case(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, body = report(capsys, "--issuer", fixture("garbage_signer.py", "{out}"))
    assert code == 1
    assert body["summary"]["disagree"] == len(SIGN) == body["summary"]["cases"]
    for result, case in zip(body["results"], SIGN, strict=True):
        assert result["id"] == case.id
        jws = isinstance(case.expected["output"], str)
        assert result["reason"] == (
            "the output is not a compact JWS"
            if jws
            else "the output is not JSON: 'this is not a credential'"
        )


def test_a_signer_that_fails_is_an_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, body = report(capsys, "--issuer", f"{PYTHON} -c 'raise SystemExit(3)'", "--only", "sign*")
    assert code == 1
    assert {r["status"] for r in body["results"]} == {"error"}
    assert body["results"][0]["reason"].startswith("exit status 3")


def test_a_changed_signature_is_caught(capsys: pytest.CaptureFixture[str]) -> None:
    issuer = fixture("tamper_signer.py", "{input}", "{key}", "{out}")
    only = ["--only", "eddsa-rdfc-2022/sign-did-key", "--only", "ecdsa-rdfc-2019-p256/sign*"]
    code, body = report(capsys, "--issuer", issuer, *only)
    assert code == 1
    reasons = {r["id"]: r["reason"] for r in body["results"]}
    assert reasons == {
        "eddsa-rdfc-2022/sign-did-key": (
            "proofValue differs (eddsa-rdfc-2022 signatures are deterministic)"
        ),
        "ecdsa-rdfc-2019-p256/sign-did-key": "vcbadge does not verify the output",
    }


def test_only_and_skip_select_by_id_or_type(capsys: pytest.CaptureFixture[str]) -> None:
    verifier = fixture("say_valid.py", "{file}")
    code, body = report(
        capsys, "--verifier", verifier, "--only", "presentations/*", "--only", "status",
        "--skip", "*-valid",
    )  # fmt: skip
    wanted = selected(VERIFIABLE, only=["presentations/*", "status"], skip=["*-valid"])
    assert [r["id"] for r in body["results"]] == [case.id for case in wanted]
    assert {case.type for case in wanted} == {"verify", "status"}
    assert not any(case.id.endswith("-valid") for case in wanted)
    assert len(wanted) >= 5
    assert code == 1  # every remaining case expects a failure


def test_junit_xml_counts_the_failures(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    junit = tmp_path / "vectors.xml"
    verifier = fixture("say_valid.py", "{file}", "{recipientargs}")
    code, _, _ = run(capsys, "--verifier", verifier, "--junit", str(junit))
    assert code == 1
    suite = ElementTree.parse(junit).getroot().find("testsuite")
    assert suite is not None
    failing = [case for case in VERIFIABLE if case.expected["outcome"] != "VALID"]
    assert suite.get("tests") == str(len(VERIFIABLE))
    assert suite.get("failures") == str(len(failing))
    assert suite.get("errors") == "0"
    failures = [case for case in suite.iter("testcase") if case.find("failure") is not None]
    assert sorted(case.get("name") or "" for case in failures) == sorted(c.id for c in failing)


def test_a_command_that_times_out_is_a_failure(capsys: pytest.CaptureFixture[str]) -> None:
    started = time.monotonic()
    code, body = report(
        capsys, "--verifier", fixture("sleeper.py"), "--timeout", "1",
        "--only", "eddsa-rdfc-2022/verify-tampered",
    )  # fmt: skip
    assert time.monotonic() - started < 10
    assert code == 1
    (result,) = body["results"]
    assert (result["status"], result["reason"]) == ("error", "timeout")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        ([], "give --verifier CMD, --issuer CMD, or both"),
        (["--verifier", "check {nothing}"], "unknown placeholder {nothing}"),
        (["--verifier", "check x{docargs}"], "{docargs} stands for several words"),
        (["--issuer", "sign {file}"], "unknown placeholder {file}"),
        (["--verifier", "check {file}", "--only", "no-such-case"], "no case selected"),
        (["--verifier", ""], "the command is empty"),
    ],
)
def test_usage_errors(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, *argv)
    assert code == 64
    assert message in err


def test_a_missing_or_stale_vector_set_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "--verifier", "x {file}", "--vectors", str(tmp_path))
    assert code == 66
    assert "[vectors_missing]" in err
    source = default_vector_directory()
    assert source is not None
    copy = tmp_path / "copy"
    shutil.copytree(source, copy)
    edited = copy / VERIFIABLE[0].file
    edited.write_text(edited.read_text(encoding="utf-8").replace("VALID", "INVALID", 1))
    code, _, err = run(capsys, "--verifier", "x {file}", "--vectors", str(copy))
    assert code == 66
    assert "[vectors_stale]" in err
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "manifest.json").write_text(
        json.dumps({"version": "1", "cases": [{"id": "x", "type": "verify", "file": "../x.json"}]}),
        encoding="utf-8",
    )
    code, _, err = run(capsys, "--verifier", "x {file}", "--vectors", str(outside))
    assert code == 66
    assert "[vectors_malformed]" in err


def test_placeholders_expand_to_the_case_files(tmp_path: Path) -> None:
    case = next(c for c in VERIFIABLE if c.id == "presentations/verify-domain-set-valid")
    values, lists = verifier_files(case, tmp_path)
    template = CommandTemplate.parse(
        "verify {file} --at {at} {docargs} {presentationargs} --docs={docs} {domain}",
        allowed=frozenset(values) | frozenset(lists),
    )
    argv = template.expand(values, lists)
    assert argv[:4] == ["verify", str(tmp_path / "input.json"), "--at", case.at]
    assert argv[-2] == f"--docs={tmp_path / 'documents'}"
    assert argv[-1] == ",".join(case.domains)
    challenge = argv.index("--challenge")
    assert argv[challenge + 1] == case.data["challenge"]
    assert [argv[i + 1] for i, word in enumerate(argv) if word == "--domain"] == case.domains
    index = json.loads((tmp_path / "documents" / "index.json").read_text(encoding="utf-8"))
    assert sorted(index) == sorted(case.documents)
    for identifier, name in index.items():
        document = json.loads((tmp_path / "documents" / name).read_text(encoding="utf-8"))
        assert document == case.documents[identifier]
        assert f"{identifier}={tmp_path / 'documents' / name}" in argv
    assert json.loads((tmp_path / "input.json").read_text(encoding="utf-8")) == case.data["input"]


def test_an_image_case_is_written_as_the_image_and_its_recipient_passed(tmp_path: Path) -> None:
    case = next(c for c in VERIFIABLE if c.id == RECIPIENT_IMAGE_CASE)
    values, lists = verifier_files(case, tmp_path)
    template = CommandTemplate.parse(
        "check {file} {recipientargs} --for={recipient}", allowed=VERIFIER_PLACEHOLDERS
    )
    argv = template.expand(values, lists)
    assert case.recipient is not None
    assert argv == [
        "check",
        str(tmp_path / "input.png"),
        "--recipient",
        case.recipient,
        f"--for={case.recipient}",
    ]
    written = (tmp_path / "input.png").read_bytes()
    assert written == case.input
    assert written.startswith(b"\x89PNG\r\n\x1a\n")
    # A case without a recipient: nothing is passed.
    other = next(c for c in VERIFIABLE if c.id == "eddsa-rdfc-2022/verify-tampered")
    (tmp_path / "other").mkdir()
    values, lists = verifier_files(other, tmp_path / "other")
    assert template.expand(values, lists) == ["check", values["file"], "--for="]


def test_a_recipient_case_needs_a_recipient_placeholder(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # A verifier command that cannot be told the recipient cannot answer the case's question:
    # an error, not a disagreement (the say-VALID fixture would otherwise "agree" or not by luck).
    verifier = fixture("say_valid.py", "{file}")
    code, body = report(capsys, "--verifier", verifier, "--only", RECIPIENT_IMAGE_CASE)
    assert code == 1
    (result,) = body["results"]
    assert result["status"] == "error"
    assert "{recipientargs}" in result["reason"]


def test_a_malformed_image_input_is_refused(tmp_path: Path) -> None:
    case = next(c for c in VERIFIABLE if c.id == RECIPIENT_IMAGE_CASE)
    data = json.loads(json.dumps(dict(case.data)))
    data["input"]["image"] = "gif"
    text = json.dumps(data).encode()
    (tmp_path / "case.json").write_bytes(text)
    manifest = {
        "version": "x",
        "cases": [
            {
                "file": "case.json",
                "id": case.id,
                "type": case.type,
                "sha256": hashlib.sha256(text).hexdigest(),
            }
        ],
    }
    (tmp_path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(InputError) as refused:
        VectorSet.load(tmp_path)
    assert refused.value.code == "vectors_malformed"


def test_vcbadge_as_the_program_is_the_running_vcbadge() -> None:
    template = CommandTemplate.parse("vcbadge verify {file}", allowed=frozenset({"file"}))
    argv = template.expand({"file": "x.json"}, {})
    assert argv[0] == sys.executable
    assert argv[-2:] == ["verify", "x.json"]
    with pytest.raises(TemplateError):
        CommandTemplate.parse("'unterminated", allowed=frozenset())


def test_relative_paths_in_the_commands_are_the_callers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A command runs where ``vectors run`` was started, as the how-to's ``python db_sign.py``
    and ``node oracle/verify.mjs`` expect; the case files are given as absolute paths."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "adapters").mkdir()
    shutil.copy(FIXTURES / "say_valid.py", tmp_path / "adapters" / "say_valid.py")
    shutil.copy(FIXTURES / "garbage_signer.py", tmp_path / "adapters" / "garbage_signer.py")
    valid_case = next(c.id for c in VERIFIABLE if _expected_valid(c.id))
    code, out, _ = run(
        capsys, "--only", valid_case, "--verifier", f"{PYTHON} adapters/say_valid.py {{file}}"
    )
    assert code == 0, out
    sign_case = SIGN[0].id
    code, out, _ = run(
        capsys,
        "--only",
        sign_case,
        "--issuer",
        f"{PYTHON} adapters/garbage_signer.py {{out}}",
    )
    # The signer ran, and its output disagrees: not an error such as "can't open file".
    assert code == 1
    assert out.strip().splitlines()[-1].endswith("1 disagree, 0 disagree on codes, 0 errors"), out
