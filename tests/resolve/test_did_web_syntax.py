"""did:web method-specific ids are parsed completely before anything is looked up: each refused
form has its code and reason, and neither a DNS lookup nor a fetch happens for it."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from vcbadge.errors import ConnectionFailed, DIDResolutionError
from vcbadge.http import GuardedTransport
from vcbadge.protocols import Response
from vcbadge.resolve import DidWebResolver, did_web_to_url
from vcbadge.resolve.did_web import MAX_PATH_LENGTH, MAX_PATH_SEGMENTS


class Recorder:
    """The real transport, with a resolver and a ``get`` that record every attempt. The
    resolver knows no address, so whatever gets through ends as ``connection_failed``."""

    def __init__(self) -> None:
        self.lookups: list[str] = []
        self.fetched: list[str] = []
        self._transport = GuardedTransport(
            resolve_host=self._resolve, allowed_hosts=["issuer.example.test"]
        )

    def _resolve(self, host: str, port: int) -> Sequence[str]:
        self.lookups.append(host)
        return []

    def get(self, url: str, *, accept: Sequence[str]) -> Response:
        self.fetched.append(url)
        return self._transport.get(url, accept=accept)


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


def _refused(recorder: Recorder, did: str, code: str, reason: str, **options: object) -> None:
    resolver = DidWebResolver(recorder, **options)  # type: ignore[arg-type]
    with pytest.raises(DIDResolutionError) as caught:
        resolver.resolve(did)
    assert caught.value.code == code, caught.value
    assert reason in caught.value.message
    assert recorder.lookups == []
    assert recorder.fetched == []


# The host: a DNS name (RFC 1123), never an IP address in any notation.


@pytest.mark.parametrize(
    ("did", "reason"),
    [
        ("did:web:127.0.0.1", "IP address"),
        ("did:web:93.184.215.14", "IP address"),
        ("did:web:2130706433", "IP address"),  # decimal
        ("did:web:0x7f000001", "IP address"),  # hex
        ("did:web:0x7f.1", "IP address"),
        ("did:web:0177.0.0.1", "IP address"),  # octal
        ("did:web:127.1", "IP address"),
        ("did:web:[::1]", "IP address"),
        ("did:web:%5B%3A%3A1%5D", "IP address"),
        ("did:web:%5B%3A%3Affff%3A127.0.0.1%5D", "IP address"),
        ("did:web:example.com.", "ends with a dot"),
        ("did:web:example..com", "label"),
        ("did:web:exa_mple.com", "label"),
        ("did:web:-example.com", "label"),
        ("did:web:example-.com", "label"),
        ("did:web:" + "a" * 64 + ".com", "label"),
        ("did:web:" + ("a" * 60 + ".") * 5 + "com", "longer than 253"),
        ("did:web:example.123", "numeric"),
        ("did:web:exa%6Dple.com", "percent-encoded"),
        ("did:web:bücher.example.com", "ASCII"),
        ("did:web:user@example.com", "label"),
    ],
)
def test_host_syntax(recorder: Recorder, did: str, reason: str) -> None:
    _refused(recorder, did, "invalid_did", reason)


@pytest.mark.parametrize(
    ("did", "reason"),
    [
        ("did:web:localhost", "special-use"),
        ("did:web:api.localhost", ".localhost"),
        ("did:web:printer.local", ".local"),
        ("did:web:db.internal", ".internal"),
        ("did:web:box.localdomain", ".localdomain"),
        ("did:web:router.home.arpa", ".arpa"),
        ("did:web:nowhere.invalid", ".invalid"),
        ("did:web:badges.example.test", ".test"),
        ("did:web:site.example", ".example"),
        ("did:web:hidden.onion", ".onion"),
        ("did:web:fileserver", "single-label"),
        ("did:web:LOCALHOST%3A8443", "special-use"),  # case does not matter; host before port
    ],
)
def test_local_hosts(recorder: Recorder, did: str, reason: str) -> None:
    _refused(recorder, did, "did_web_host", reason)


def test_allowed_hosts(recorder: Recorder) -> None:
    resolver = DidWebResolver(recorder, allowed_hosts={"Issuer.Example.Test"})
    with pytest.raises(ConnectionFailed):
        resolver.resolve("did:web:issuer.example.test")
    assert recorder.lookups == ["issuer.example.test"]
    # Only that name: a sibling is still refused, before any lookup.
    with pytest.raises(DIDResolutionError) as caught:
        resolver.resolve("did:web:other.example.test")
    assert caught.value.code == "did_web_host"
    assert recorder.lookups == ["issuer.example.test"]


# The port: percent-encoded (%3A), 1..65535 without leading zeros; by default only 443.


@pytest.mark.parametrize(
    "did",
    [
        "did:web:example.com%3A",
        "did:web:example.com%3A0",
        "did:web:example.com%3A65536",
        "did:web:example.com%3A99999999999999999999",
        "did:web:example.com%3A08443",
        "did:web:example.com%3A+443",
        "did:web:example.com%3A-1",
        "did:web:example.com%3Ahttp",
        "did:web:example.com%3A443%3A443",
        "did:web:example.com%3A%34%34%33",
    ],
)
def test_port_syntax(recorder: Recorder, did: str) -> None:
    _refused(recorder, did, "invalid_did", "port")


@pytest.mark.parametrize("port", [8443, 22, 6379, 65535, 1])
def test_other_ports_are_refused_by_default(recorder: Recorder, port: int) -> None:
    _refused(recorder, f"did:web:example.com%3A{port}", "did_web_port", f"port {port}")


def test_allowed_ports(recorder: Recorder) -> None:
    resolver = DidWebResolver(recorder, allowed_ports={8443})
    with pytest.raises(ConnectionFailed):
        resolver.resolve("did:web:example.com%3A8443")
    assert recorder.fetched == ["https://example.com:8443/.well-known/did.json"]
    with pytest.raises(DIDResolutionError) as caught:
        resolver.resolve("did:web:example.com%3A8444")
    assert caught.value.code == "did_web_port"
    assert len(recorder.fetched) == 1


def test_the_default_port_may_be_written(recorder: Recorder) -> None:
    with pytest.raises(ConnectionFailed):
        DidWebResolver(recorder).resolve("did:web:example.com%3A443")
    assert recorder.fetched == ["https://example.com:443/.well-known/did.json"]


def test_allowed_ports_are_port_numbers() -> None:
    with pytest.raises(ValueError, match="allowed_ports"):
        DidWebResolver(Recorder(), allowed_ports={0})


# The path: DID idchars, no segment that changes the URL, at most so many segments and
# characters.


@pytest.mark.parametrize(
    ("did", "reason"),
    [
        ("did:web:example.com:..", "change the URL's path"),
        ("did:web:example.com:.", "change the URL's path"),
        ("did:web:example.com:%2e%2e:x", "change the URL's path"),
        ("did:web:example.com:a%2Fb", "separator"),
        ("did:web:example.com:a%5Cb", "separator"),
        ("did:web:example.com:a%3Fb", "separator"),
        ("did:web:example.com:a%23b", "separator"),
        ("did:web:example.com:a%00b", "control"),
        ("did:web:example.com:a%0Ab", "control"),
        ("did:web:example.com:a%zzb", "characters a DID cannot contain"),
        ("did:web:example.com:a~b", "characters a DID cannot contain"),
        ("did:web:example.com:", "empty segment"),
        ("did:web:example.com::x", "empty segment"),
        ("did:web:example.com/path", "path, query or fragment"),
    ],
)
def test_path_syntax(recorder: Recorder, did: str, reason: str) -> None:
    _refused(recorder, did, "invalid_did", reason)


def test_too_many_path_segments(recorder: Recorder) -> None:
    did = "did:web:example.com" + ":a" * (MAX_PATH_SEGMENTS + 1)
    _refused(recorder, did, "did_web_path", "path segments")


def test_too_long_a_path(recorder: Recorder) -> None:
    did = "did:web:example.com:" + "a" * MAX_PATH_LENGTH
    _refused(recorder, did, "did_web_path", "longer than")


def test_the_path_caps_are_inclusive() -> None:
    segments = "did:web:example.com" + ":a" * MAX_PATH_SEGMENTS
    assert did_web_to_url(segments).endswith("/a/did.json")
    long = "did:web:example.com:" + "a" * (MAX_PATH_LENGTH - 1)
    assert did_web_to_url(long).endswith("a/did.json")


def test_a_public_host_is_fetched(recorder: Recorder) -> None:
    # What passes every rule reaches the transport (the refusals above are not vacuous).
    with pytest.raises(ConnectionFailed):
        DidWebResolver(recorder).resolve("did:web:badges.example.com:issuers:7#key-1")
    assert recorder.lookups == ["badges.example.com"]
    assert recorder.fetched == ["https://badges.example.com/issuers/7/did.json"]


def test_the_mapping_alone_applies_no_policy() -> None:
    # did_web_to_url is the method's rule; ports and local names are the resolver's policy.
    assert (
        did_web_to_url("did:web:localhost%3A4443") == "https://localhost:4443/.well-known/did.json"
    )
