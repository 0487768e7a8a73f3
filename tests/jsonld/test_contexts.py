"""vcbadge's own context documents define exactly the terms of the published documents.

The documents in ``contexts/`` are written by the project (own layout, own bytes). What must not
differ is what they mean: every term has to expand exactly as under the published document, or
signatures made elsewhere stop verifying. These tests compare them with the published documents
in the shared reference corpus in three ways: as parsed JSON, as pyld active contexts (every term
definition, every scoped context processed in turn, ``@vocab``/``@base``/protection), and by
expanding probe documents that use every term as a property and as a type.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from pyld import jsonld
from pyld.context_resolver import ContextResolver
from reference_corpus import reference_root, requires_reference

from vcbadge.jsonld import contexts as contexts_module
from vcbadge.jsonld.contexts import (
    BundledContext,
    bundled_contexts,
    contexts_directory,
    load_bundled_document,
)
from vcbadge.jsonld.loader import BundledLoader, default_loader

CONTEXTS = Path(__file__).resolve().parents[2] / "contexts"
ODRL = "https://www.w3.org/ns/odrl.jsonld"
CREDENTIALS_V1 = "https://www.w3.org/2018/credentials/v1"
CREDENTIALS_V2 = "https://www.w3.org/ns/credentials/v2"
OB_303 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB_ALIAS = "https://purl.imsglobal.org/spec/ob/v3p0/context/ob_v3p0.jsonld"
OB_UNVERSIONED = "https://purl.imsglobal.org/spec/ob/v3p0/context.json"
OB2_CONTEXT = "https://w3id.org/openbadges/v2"
OB2_CONTEXT_ALIAS = "https://openbadgespec.org/v2/context.json"

EXPECTED_URLS = {
    CREDENTIALS_V1,
    CREDENTIALS_V2,
    "https://www.w3.org/2018/credentials/examples/v1",
    "https://www.w3.org/ns/credentials/examples/v2",
    "https://www.w3.org/ns/credentials/undefined-terms/v2",
    "https://www.w3.org/ns/credentials/status/v1",
    "https://w3id.org/security/data-integrity/v1",
    "https://w3id.org/security/data-integrity/v2",
    "https://w3id.org/security/multikey/v1",
    "https://w3id.org/security/jwk/v1",
    "https://w3id.org/security/suites/ed25519-2020/v1",
    "https://w3id.org/security/suites/jws-2020/v1",
    "https://www.w3.org/ns/did/v1",
    "https://w3id.org/vc/status-list/2021/v1",
    "https://w3id.org/security/v1",
    "https://w3id.org/security/v2",
    OB_UNVERSIONED,
    OB_ALIAS,
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.1.json",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.2.json",
    OB_303,
    "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json",
    "https://purl.imsglobal.org/spec/clr/v2p0/context.json",
    "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json",
    OB2_CONTEXT,
    OB2_CONTEXT_ALIAS,
}

# Open Badges 2.0: the shared reference corpus holds no copy of the published context, so it
# is left out of the comparisons with the corpus and checked against the specification's
# vocabulary instead (test_ob2_context_terms_expand_as_the_specification_says).
NOT_IN_REFERENCE = {OB2_CONTEXT, OB2_CONTEXT_ALIAS}

# credentials/examples/v1 lists this context, which neither side bundles; both loaders serve the
# same stand-in so that the terms of examples/v1 itself can be compared.
ODRL_STAND_IN = {"@context": {"@vocab": "http://www.w3.org/ns/odrl/2/"}}


def _reference_index() -> dict[str, Any]:
    root = reference_root()
    if root is None:
        return {}
    index: dict[str, Any] = json.loads((root / "contexts" / "index.json").read_text("utf-8"))
    return index["contexts"]  # type: ignore[no-any-return]


def _compared_urls() -> list[str]:
    urls = sorted(url for url in _reference_index() if url in bundled_contexts())
    return urls or ["(reference corpus absent)"]


COMPARED = _compared_urls()

Loader = Callable[..., Any]


def _static_loader(documents: Mapping[str, str]) -> Loader:
    """A loader independent of the code under test: serves ``documents`` (URL -> JSON text)."""

    def load(url: str, options: Any = None) -> dict[str, Any]:
        if url not in documents:
            raise LookupError(f"not served: {url}")
        return {"contextUrl": None, "documentUrl": url, "document": json.loads(documents[url])}

    return load


@pytest.fixture(scope="module")
def published(reference: Path) -> dict[str, str]:
    """URL -> JSON text of the published document (for the URLs vcbadge bundles)."""
    index = _reference_index()
    texts = {
        url: (reference / "contexts" / entry["file"]).read_text("utf-8")
        for url, entry in index.items()
        if url in bundled_contexts()
    }
    texts[ODRL] = json.dumps(ODRL_STAND_IN)
    return texts


@pytest.fixture(scope="module")
def published_loader(published: dict[str, str]) -> Loader:
    return _static_loader(published)


@pytest.fixture(scope="module")
def our_loader() -> BundledLoader:
    return default_loader().with_documents({ODRL: ODRL_STAND_IN})


# --- pyld active-context comparison -----------------------------------------------------------

_PROCESSOR = jsonld.JsonLdProcessor()


def _options(loader: Loader) -> dict[str, Any]:
    # a private resolver cache per call: nothing processed under one loader is reused by another
    return {
        "documentLoader": loader,
        "contextResolver": ContextResolver({}, loader),
        "processingMode": "json-ld-1.1",
        "base": "",
    }


def _initial(loader: Loader) -> Any:
    return _PROCESSOR.process_context({}, None, _options(loader))


def _outcome(thunk: Callable[[], Any]) -> tuple[str, Any]:
    try:
        return ("ok", thunk())
    except jsonld.JsonLdError as exc:
        return ("error", getattr(exc, "code", None) or exc.type)


def _process(active: Any, local: Any, loader: Loader, **flags: bool) -> tuple[str, Any]:
    return _outcome(lambda: _PROCESSOR._process_context(active, local, _options(loader), **flags))


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=repr)


def _shallow(active: Mapping[str, Any]) -> dict[str, Any]:
    """The active context without pyld's bookkeeping; scoped contexts kept raw."""
    out = {k: v for k, v in active.items() if not k.startswith("_") and k != "mappings"}
    out.pop("previousContext", None)
    if "previousContext" in active:
        out["previousContext"] = _shallow(active["previousContext"])
    out["mappings"] = {
        term: (dict(definition) if definition is not None else None)
        for term, definition in active["mappings"].items()
    }
    return out


def _differences(
    ours: Any,
    theirs: Any,
    our_loader: Loader,
    their_loader: Loader,
    path: str,
    inherited: Mapping[str, Any] | None = None,
) -> Iterator[str]:
    """Every difference between two processed active contexts, scoped contexts included.

    The scoped context of every term is processed in turn, as a property-scoped and as a
    type-scoped context, and compared recursively. Below the top level only the terms the
    scoped context itself (re)defines are descended into: a term inherited unchanged from the
    enclosing context was compared there already (this keeps the walk finite).
    """
    a, b = _shallow(ours), _shallow(theirs)
    if set(a["mappings"]) != set(b["mappings"]):
        only_ours = sorted(set(a["mappings"]) - set(b["mappings"]))
        only_theirs = sorted(set(b["mappings"]) - set(a["mappings"]))
        yield f"{path}: terms only in ours {only_ours}, only in published {only_theirs}"
    for key in sorted((set(a) | set(b)) - {"mappings", "previousContext"}):
        if a.get(key) != b.get(key):
            yield f"{path}: {key} {a.get(key)!r} != {b.get(key)!r}"
    if _canonical(a.get("previousContext")) != _canonical(b.get("previousContext")):
        yield f"{path}: previousContext differs"
    for term in sorted(set(a["mappings"]) & set(b["mappings"])):
        da, db = a["mappings"][term], b["mappings"][term]
        if da is None or db is None:
            if da != db:
                yield f"{path}/{term}: {da!r} != {db!r}"
            continue
        plain_a = {k: v for k, v in da.items() if k != "@context"}
        plain_b = {k: v for k, v in db.items() if k != "@context"}
        if plain_a != plain_b:
            yield f"{path}/{term}: {plain_a!r} != {plain_b!r}"
        if ("@context" in da) != ("@context" in db):
            yield f"{path}/{term}: scoped @context only on one side"
            continue
        if "@context" not in da:
            continue
        if inherited is not None and _canonical(inherited.get(term)) == _canonical(da):
            continue
        # the scoped context as a property-scoped and as a type-scoped context, in turn
        for mode, flags in (
            ("property", {"override_protected": True}),
            ("type", {"propagate": False}),
        ):
            ra = _process(ours, da["@context"], our_loader, **flags)
            rb = _process(theirs, db["@context"], their_loader, **flags)
            where = f"{path}/{term}({mode})"
            if ra[0] != rb[0] or (ra[0] == "error" and ra[1] != rb[1]):
                yield f"{where}: {ra!r} != {rb!r}"
            elif ra[0] == "ok":
                yield from _differences(
                    ra[1], rb[1], our_loader, their_loader, where, a["mappings"]
                )


def _compare_contexts(local: Any, ours: Loader, theirs: Loader) -> list[str]:
    ra = _process(_initial(ours), local, ours)
    rb = _process(_initial(theirs), local, theirs)
    if ra[0] != rb[0] or (ra[0] == "error" and ra[1] != rb[1]):
        return [f"{local}: {ra!r} != {rb!r}"]
    if ra[0] == "error":
        return []
    return list(_differences(ra[1], rb[1], ours, theirs, str(local)))


# --- the bundled set and the manifest -----------------------------------------------------------


def test_bundled_urls_are_exactly_the_project_list() -> None:
    assert set(bundled_contexts()) == EXPECTED_URLS
    assert "https://w3id.org/citizenship/v4rc1" not in bundled_contexts()


def test_alias_served_from_the_same_file() -> None:
    alias, primary = bundled_contexts()[OB_ALIAS], bundled_contexts()[OB_UNVERSIONED]
    assert alias.alias_of == OB_UNVERSIONED
    assert (alias.file, alias.sha256) == (primary.file, primary.sha256)
    assert load_bundled_document(OB_ALIAS) == load_bundled_document(OB_UNVERSIONED)


def test_manifest_digests_match_our_files() -> None:
    manifest = json.loads((CONTEXTS / "manifest.json").read_text("utf-8"))
    listed = {entry["file"] for entry in manifest["contexts"]}
    assert listed | {"manifest.json"} == {path.name for path in CONTEXTS.iterdir()}
    for entry in manifest["contexts"]:
        data = (CONTEXTS / entry["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], entry["file"]
        assert entry["url"] in bundled_contexts()


def test_served_contexts_directory_holds_the_checkout_files() -> None:
    # Editable installs serve contexts/ itself; a wheel serves its packaged copy.
    served = Path(str(contexts_directory()))
    for path in CONTEXTS.iterdir():
        assert (served / path.name).read_bytes() == path.read_bytes()


def test_files_are_in_house_layout() -> None:
    path = CONTEXTS.parent / "scripts" / "check_contexts.py"
    spec = importlib.util.spec_from_file_location("check_contexts", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.check(fix=False) == []


def test_load_bundled_document_returns_independent_copies() -> None:
    first = load_bundled_document(CREDENTIALS_V2)
    first["@context"]["id"] = "@type"
    first["@context"].clear()
    assert load_bundled_document(CREDENTIALS_V2)["@context"]["id"] == "@id"


def test_corrupted_file_fails_loudly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for path in CONTEXTS.iterdir():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    target = tmp_path / bundled_contexts()[CREDENTIALS_V2].file
    target.write_text(target.read_text("utf-8").replace("@protected", "@propagate"), "utf-8")
    monkeypatch.setattr(contexts_module, "contexts_directory", lambda: tmp_path)
    contexts_module._manifest.cache_clear()
    contexts_module._verified_text.cache_clear()
    try:
        with pytest.raises(RuntimeError, match="corrupted"):
            load_bundled_document(CREDENTIALS_V2)
        assert load_bundled_document(CREDENTIALS_V1)["@context"]["id"] == "@id"
    finally:
        contexts_module._manifest.cache_clear()
        contexts_module._verified_text.cache_clear()


def test_bundled_context_is_frozen() -> None:
    entry = bundled_contexts()[CREDENTIALS_V2]
    assert isinstance(entry, BundledContext)
    with pytest.raises(AttributeError):
        entry.sha256 = "0" * 64  # type: ignore[misc]
    with pytest.raises(TypeError):
        bundled_contexts()["https://example.org/"] = entry  # type: ignore[index]


# --- against the published documents ------------------------------------------------------------


@requires_reference
def test_every_bundled_url_is_in_the_reference_index() -> None:
    assert set(bundled_contexts()) - NOT_IN_REFERENCE <= set(_reference_index())


@requires_reference
@pytest.mark.parametrize("url", [CREDENTIALS_V1, CREDENTIALS_V2])
def test_published_digest_of_base_contexts_recorded(url: str) -> None:
    index = _reference_index()
    assert bundled_contexts()[url].published_sha256 == index[url]["published_sha256"]


@requires_reference
def test_every_known_published_digest_recorded() -> None:
    # The digest a specification states where there is one, else that of the published bytes
    # (the corpus file): relatedResource digests are checked against these facts.
    index = _reference_index()
    for url, entry in bundled_contexts().items():
        if url in NOT_IN_REFERENCE:
            assert entry.published_sha256 is None, url
            continue
        expected = index[url].get("published_sha256", index[url]["sha256"])
        assert entry.published_sha256 == expected, url


def test_no_file_is_a_byte_copy_of_the_reference(reference: Path) -> None:
    theirs = {
        hashlib.sha256(path.read_bytes()).hexdigest(): path
        for path in reference.rglob("*")
        if path.is_file()
    }
    for path in CONTEXTS.iterdir():
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        assert digest not in theirs, f"{path.name} is a byte copy of {theirs.get(digest)}"


@requires_reference
@pytest.mark.parametrize("url", COMPARED)
def test_same_json_as_published(url: str, published: dict[str, str]) -> None:
    """Only object member order and whitespace differ: the parsed JSON is equal."""
    assert load_bundled_document(url) == json.loads(published[url])


@requires_reference
@pytest.mark.parametrize("url", COMPARED)
def test_same_active_context_as_published(
    url: str, our_loader: BundledLoader, published_loader: Loader
) -> None:
    """Every term definition, scoped contexts processed recursively, equals the published one."""
    ours = _process(_initial(our_loader), url, our_loader)
    assert ours[0] == "ok", ours
    assert _compare_contexts(url, our_loader, published_loader) == []


@pytest.mark.slow
@requires_reference
@pytest.mark.parametrize("url", COMPARED)
@pytest.mark.parametrize("base", [CREDENTIALS_V1, CREDENTIALS_V2])
def test_same_outcome_on_top_of_a_base_context(
    base: str, url: str, our_loader: BundledLoader, published_loader: Loader
) -> None:
    """Protected-term redefinitions are accepted or rejected exactly as with the published docs."""
    assert _compare_contexts([base, url], our_loader, published_loader) == []


@requires_reference
@pytest.mark.parametrize(
    "stack",
    [
        [CREDENTIALS_V2, OB_303, "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"],
        [CREDENTIALS_V2, "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json", OB_303],
        [CREDENTIALS_V1, OB_UNVERSIONED, "https://w3id.org/security/suites/ed25519-2020/v1"],
        [CREDENTIALS_V1, "https://w3id.org/vc/status-list/2021/v1"],
        ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/suites/jws-2020/v1"],
        [CREDENTIALS_V2, "https://w3id.org/security/data-integrity/v2"],
        [CREDENTIALS_V2, "https://www.w3.org/ns/credentials/undefined-terms/v2"],
    ],
    ids=lambda stack: "+".join(url.rstrip("/").rsplit("/", 2)[-2] for url in stack),
)
def test_same_outcome_for_common_stacks(
    stack: list[str], our_loader: BundledLoader, published_loader: Loader
) -> None:
    assert _compare_contexts(stack, our_loader, published_loader) == []


# --- probe expansion ----------------------------------------------------------------------------


def _terms(active: Mapping[str, Any]) -> list[str]:
    """Terms that are not keyword aliases."""
    return sorted(
        term
        for term, definition in active["mappings"].items()
        if definition is not None and not str(definition.get("@id", "")).startswith("@")
    )


def _probes(url: str, loader: Loader) -> list[dict[str, Any]]:
    """Documents that use every term as a property and as a type, and every scoped term too."""
    active = _process(_initial(loader), url, loader)[1]
    terms = _terms(active)
    # a term name as the value tells @type @vocab from @id coercion; "v" is a relative IRI
    word = terms[0] if terms else "v"
    probes: list[dict[str, Any]] = [
        {"@context": url, "@id": "urn:probe:types", "@type": terms},
        {"@context": url, "@id": "urn:probe:properties", **dict.fromkeys(terms, "v")},
        {"@context": url, "@id": "urn:probe:words", **dict.fromkeys(terms, word)},
        {
            "@context": url,
            "@id": "urn:probe:objects",
            **{term: {"@id": f"urn:probe:{term}", "urn:probe:p": "x"} for term in terms},
        },
    ]
    for term in terms:
        scoped = active["mappings"][term].get("@context")
        if scoped is None:
            continue
        inner = _process(active, scoped, loader, override_protected=True)
        if inner[0] != "ok":
            continue
        inner_terms = _terms(inner[1])
        body = dict.fromkeys(inner_terms, inner_terms[0] if inner_terms else "v")
        probes.append({"@context": url, "@type": term, "urn:probe:p": "x", **body})
        probes.append({"@context": url, term: {"@id": "urn:probe:n", **body}})
        probes.append({"@context": url, term: {"@id": "urn:probe:t", "@type": inner_terms}})
    return probes


def _expand(document: dict[str, Any], loader: Loader) -> tuple[str, Any]:
    options = {**_options(loader), "base": "https://probe.example/doc"}
    return _outcome(lambda: jsonld.expand(document, options))


@pytest.mark.slow
@requires_reference
@pytest.mark.parametrize("url", COMPARED)
def test_probe_documents_expand_identically(
    url: str, our_loader: BundledLoader, published_loader: Loader
) -> None:
    probes = _probes(url, our_loader)
    assert _probes(url, published_loader) == probes
    for probe in probes:
        assert _expand(probe, our_loader) == _expand(probe, published_loader), probe


# --- OB 3.0.3: the specification-source file ----------------------------------------------------


@requires_reference
def test_ob_303_is_a_superset_of_the_specification_source(
    reference: Path, our_loader: BundledLoader, published: dict[str, str]
) -> None:
    alternate = reference / "contexts/alternates/ob-v3p0-context-3.0.3.spec-source.json"
    spec_source = _static_loader({**published, OB_303: alternate.read_text("utf-8")})
    ours = _process(_initial(our_loader), OB_303, our_loader)[1]
    theirs = _process(_initial(spec_source), OB_303, spec_source)[1]
    extra = set(ours["mappings"]) - set(theirs["mappings"])
    assert extra == {"endorsementJwt", "jti"}
    assert set(theirs["mappings"]) <= set(ours["mappings"])
    ours = {**ours, "mappings": {t: d for t, d in ours["mappings"].items() if t not in extra}}
    assert list(_differences(ours, theirs, our_loader, spec_source, OB_303)) == []


# --- Open Badges 2.0 (no published copy in the reference corpus) -------------------------------

OBI = "https://w3id.org/openbadges#"
SEC = "https://w3id.org/security#"
SCHEMA = "http://schema.org/"

# The IRIs the Open Badges 2.0 specification gives its classes and properties.
OB2_TERMS = {
    "Assertion": f"{OBI}Assertion",
    "BadgeClass": f"{OBI}BadgeClass",
    "Issuer": f"{OBI}Issuer",
    "CryptographicKey": f"{SEC}Key",
    "RevocationList": f"{OBI}RevocationList",
    "HostedBadge": f"{OBI}HostedBadge",
    "SignedBadge": f"{OBI}SignedBadge",
    "recipient": f"{OBI}recipient",
    "identity": f"{OBI}identityHash",
    "hashed": f"{OBI}hashed",
    "salt": f"{OBI}salt",
    "badge": f"{OBI}badge",
    "verification": f"{OBI}verify",
    "issuedOn": f"{OBI}issueDate",
    "expires": f"{SEC}expiration",
    "revoked": f"{OBI}revoked",
    "revocationReason": f"{OBI}revocationReason",
    "revokedAssertions": f"{OBI}revoked",
    "revocationList": f"{OBI}revocationList",
    "criteria": f"{OBI}criteria",
    "narrative": f"{OBI}narrative",
    "evidence": f"{OBI}evidence",
    "image": f"{SCHEMA}image",
    "name": f"{SCHEMA}name",
    "description": f"{SCHEMA}description",
    "publicKey": f"{SEC}publicKey",
    "publicKeyPem": f"{SEC}publicKeyPem",
    "owner": f"{SEC}owner",
    "creator": "http://purl.org/dc/terms/creator",
    "allowedOrigins": f"{OBI}allowedOrigins",
    "startsWith": "http://purl.org/dqm-vocabulary/v1/dqm#startsWith",
    "endorsement": "https://w3id.org/credentials#credential",
    "claim": "https://w3id.org/credentials#claim",
}


def test_ob2_context_alias_is_served_from_the_same_file() -> None:
    alias = bundled_contexts()[OB2_CONTEXT_ALIAS]
    assert alias.alias_of == OB2_CONTEXT
    assert alias.file == bundled_contexts()[OB2_CONTEXT].file


@pytest.mark.parametrize("url", [OB2_CONTEXT, OB2_CONTEXT_ALIAS])
def test_ob2_context_terms_expand_as_the_specification_says(url: str) -> None:
    loader = default_loader()
    for term, iri in OB2_TERMS.items():
        probe = {"@context": url, "@id": "https://example.org/probe", term: "x"}
        if term[0].isupper():
            probe = {"@context": url, "@id": "https://example.org/probe", "@type": term}
        expanded = jsonld.expand(probe, {"documentLoader": loader})
        assert len(expanded) == 1, term
        node = expanded[0]
        if term[0].isupper():
            assert node["@type"] == [iri], term
        else:
            assert iri in node, (term, sorted(node))


def test_ob2_vector_documents_use_only_defined_terms() -> None:
    # Every member of the ob2 vectors' documents expands: none is dropped as undefined.
    loader = default_loader()
    case = json.loads(
        (CONTEXTS.parent / "test_vectors" / "ob2" / "verify-signed-valid.json").read_text()
    )
    documents = [
        *case["documents"].values(),
        json.loads(
            (CONTEXTS.parent / "test_vectors" / "ob2" / "verify-hosted-valid.json").read_text()
        )["input"],
    ]
    for document in documents:
        expanded = jsonld.expand(document, {"documentLoader": loader})
        members = {key for key in document if not key.startswith("@") and key not in ("id", "type")}
        assert len(expanded[0]) - 2 >= len(members), document["id"]  # @id and @type besides
