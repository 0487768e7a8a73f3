"""BundledLoader: offline, immutable, fails closed."""

from __future__ import annotations

import copy
import json
import pickle
import socket
from typing import Any

import pytest
from pyld import jsonld

from vcbadge.errors import CanonicalizationError, ContextNotAllowed
from vcbadge.jsonld.contexts import bundled_contexts, load_bundled_document
from vcbadge.jsonld.loader import BundledLoader, default_loader
from vcbadge.protocols import DocumentLoader

V2 = "https://www.w3.org/ns/credentials/v2"
OB_303 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB = "https://purl.imsglobal.org/spec/ob/v3p0/context.json"
OB_ALIAS = "https://purl.imsglobal.org/spec/ob/v3p0/context/ob_v3p0.jsonld"
EXTRA = "https://example.org/contexts/extra/v1"
EXTRA_DOC = {"@context": {"@protected": True, "extra": "https://example.org/vocab#extra"}}


def test_is_a_document_loader() -> None:
    assert isinstance(default_loader(), DocumentLoader)
    assert default_loader() is default_loader()


def test_serves_every_bundled_url_in_pyld_shape() -> None:
    loader = default_loader()
    assert loader.urls == frozenset(bundled_contexts())
    for url in bundled_contexts():
        remote = loader(url, {"headers": {"Accept": "application/ld+json"}})
        assert remote == {
            "contextUrl": None,
            "documentUrl": url,
            "document": load_bundled_document(url),
        }
        assert "tag" not in remote  # pyld would share a cached resolution across loaders


def test_alias_url_served_with_the_same_document() -> None:
    loader = default_loader()
    assert OB_ALIAS in loader.urls
    alias = loader(OB_ALIAS)
    assert alias["documentUrl"] == OB_ALIAS
    assert alias["document"] == loader(OB)["document"]


@pytest.mark.parametrize(
    "url",
    [
        "https://example.org/unknown/context",
        V2 + "#",
        V2 + "/",
        V2.replace("https:", "http:"),
        V2.upper(),
        " " + V2,
        "https://w3id.org/citizenship/v4rc1",
        "https://www.w3.org/2018/credentials/examples/v2",
        "",
    ],
)
def test_unknown_url_fails_closed(url: str) -> None:
    with pytest.raises(ContextNotAllowed) as caught:
        default_loader()(url)
    assert caught.value.code == "context_not_allowed"
    assert repr(url) in str(caught.value)
    assert isinstance(caught.value, CanonicalizationError)


def test_non_string_url_fails_closed() -> None:
    with pytest.raises(ContextNotAllowed):
        default_loader()(None)  # type: ignore[arg-type]


def test_with_documents_returns_a_new_loader() -> None:
    original = default_loader()
    before = original.urls
    extended = original.with_documents({EXTRA: EXTRA_DOC})
    assert extended is not original
    assert extended.urls == before | {EXTRA}
    assert extended(EXTRA)["document"] == EXTRA_DOC
    assert original.urls == before
    assert EXTRA not in original
    with pytest.raises(ContextNotAllowed, match="extra"):
        original(EXTRA)
    # the extended loader still serves the bundled documents
    assert extended(V2)["document"] == original(V2)["document"]


def test_with_documents_accepts_json_text() -> None:
    loader = default_loader().with_documents(
        {EXTRA: json.dumps(EXTRA_DOC), EXTRA + "b": json.dumps(EXTRA_DOC).encode()}
    )
    assert loader(EXTRA)["document"] == EXTRA_DOC
    assert loader(EXTRA + "b")["document"] == EXTRA_DOC


@pytest.mark.parametrize(
    ("document", "error"),
    [
        ("not json", ValueError),
        ("[1, 2]", ValueError),
        ('{"@context": {}, "@context": {"a": "b"}}', ValueError),
        ({"bad": {1, 2}}, ValueError),
        ({"bad": float("nan")}, ValueError),
        (42, TypeError),
        (["@context"], TypeError),
    ],
)
def test_with_documents_rejects_what_is_not_a_json_object(document: Any, error: type) -> None:
    with pytest.raises(error):
        default_loader().with_documents({EXTRA: document})


def test_with_documents_rejects_non_string_urls() -> None:
    with pytest.raises(TypeError):
        default_loader().with_documents({1: EXTRA_DOC})  # type: ignore[dict-item]


def test_replacing_a_served_document_needs_replace() -> None:
    other = {"@context": {"@vocab": "https://attacker.example/#"}}
    with pytest.raises(ValueError, match="replace=True"):
        default_loader().with_documents({V2: other})
    with pytest.raises(ValueError, match="replace=True"):
        default_loader().with_documents({EXTRA: EXTRA_DOC}).with_documents({EXTRA: other})
    # the same document again is fine
    same = default_loader().with_documents({V2: load_bundled_document(V2)})
    assert same(V2)["document"] == load_bundled_document(V2)
    replaced = default_loader().with_documents({V2: other}, replace=True)
    assert replaced(V2)["document"] == other
    assert default_loader()(V2)["document"] == load_bundled_document(V2)


def test_loader_without_bundled_documents() -> None:
    loader = BundledLoader({EXTRA: EXTRA_DOC}, bundled=False)
    assert loader.urls == {EXTRA}
    with pytest.raises(ContextNotAllowed):
        loader(V2)


def test_caller_objects_cannot_change_the_loader() -> None:
    given = copy.deepcopy(EXTRA_DOC)
    loader = default_loader().with_documents({EXTRA: given})
    given["@context"]["extra"] = "https://attacker.example/#"
    assert loader(EXTRA)["document"] == EXTRA_DOC


def test_returned_documents_cannot_change_the_loader() -> None:
    loader = default_loader().with_documents({EXTRA: EXTRA_DOC})
    for url in (V2, OB_ALIAS, EXTRA):
        expected = copy.deepcopy(loader(url)["document"])
        returned = loader(url)
        returned["document"]["@context"] = {"@vocab": "https://attacker.example/#"}
        returned["document"]["injected"] = True
        assert loader(url)["document"] == expected
    assert default_loader()(V2)["document"] == load_bundled_document(V2)


def test_loader_is_immutable() -> None:
    loader = default_loader()
    with pytest.raises(AttributeError):
        loader._extra = {}
    with pytest.raises(AttributeError):
        loader.something = 1
    with pytest.raises(AttributeError):
        del loader._bundled
    with pytest.raises(TypeError):
        loader._extra[EXTRA] = "{}"  # type: ignore[index]


def test_loader_pickles() -> None:
    loader = default_loader().with_documents({EXTRA: EXTRA_DOC})
    clone = pickle.loads(pickle.dumps(loader))
    assert clone.urls == loader.urls
    assert clone(EXTRA) == loader(EXTRA)
    assert "1 added" in repr(clone)


def test_no_network_for_any_document(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    loader = default_loader().with_documents({EXTRA: EXTRA_DOC})
    for url in loader.urls:
        assert isinstance(loader(url)["document"], dict)
    with pytest.raises(ContextNotAllowed):
        loader("https://example.com/not-bundled")
    # pyld, driven by the loader, resolves a whole credential's contexts offline
    credential = {
        "@context": [V2, OB_303],
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {"id": "https://example.edu/issuer", "type": "Profile", "name": "Example U"},
        "credentialSubject": {
            "type": "AchievementSubject",
            "achievement": {"id": "urn:example:a", "type": "Achievement", "name": "A"},
        },
    }
    expanded = jsonld.expand(credential, {"documentLoader": loader})
    assert expanded
    with pytest.raises(jsonld.JsonLdError) as caught:
        jsonld.expand(
            {**credential, "@context": [V2, EXTRA + "/missing"]}, {"documentLoader": loader}
        )
    assert isinstance(caught.value.__cause__, ContextNotAllowed)
