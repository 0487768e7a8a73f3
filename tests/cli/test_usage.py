"""Usage errors exit 64, --help/--version (and a bare ``vcbadge``) exit 0, and no input ever
gives a traceback."""

from __future__ import annotations

import pytest

import vcbadge


def test_version(cli):
    result = cli("--version")
    assert result.code == 0
    assert result.out.strip() == f"vcbadge {vcbadge.__version__}"


@pytest.mark.parametrize("command", [[], ["keygen"], ["issue"], ["verify"], ["demo"]])
def test_help(cli, command):
    result = cli(*command, "--help")
    assert result.code == 0
    assert result.out.startswith("usage: vcbadge")


def test_bare_vcbadge_prints_the_help(cli):
    result = cli()
    assert result.code == 0
    assert result.out == cli("--help").out
    assert result.err == ""


def test_verify_help_mentions_offline_resolution(cli):
    text = " ".join(cli("verify", "--help").out.split())
    assert "Keys are resolved online by default" in text
    assert "With --offline nothing is fetched" in text


@pytest.mark.parametrize(
    "argv",
    [
        ["frobnicate"],
        ["--bogus"],
        ["verify"],
        ["verify", "x.json", "--bogus"],
        ["verify", "x.json", "extra.json"],
        ["issue", "x.json"],
        ["canonicalize"],
        ["demo", "--dir"],
    ],
)
def test_usage_errors_exit_64(cli, argv):
    result = cli(*argv)
    assert result.code == 64
    assert result.err.startswith("usage: vcbadge")
    assert result.err.rstrip().splitlines()[-1].startswith("vcbadge: error: ")
    assert result.out == ""


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"\xff\xfe",
        b"{",
        b"[" * 10_000,
        b'{"a": NaN}',
        b'{"a": 1e999}',
        b'{"a": "\\ud800"}',
        b'{"@context": 5}',
        b'{"@context": ["https://www.w3.org/ns/credentials/v2"], "type": 1}',
        b'{"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],'
        b' "issuer": "did:key:z6Mk", "credentialSubject": {"id": "x:y"}, "proof": 7}',
    ],
)
def test_no_traceback_on_bad_input(cli, tmp_path, key_file, content):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    verified = cli("verify", path)
    assert verified.code in (1, 2)
    assert verified.out.splitlines()[0] in ("INVALID", "INDETERMINATE")
    for argv in (["issue", path, "--key", key_file], ["canonicalize", path]):
        result = cli(*argv)
        assert result.code in (0, 65), result.err
        if result.code:
            assert result.err.startswith("vcbadge: error: ")
            assert result.err.count("\n") == 1
