"""The data model rules the W3C test-suite inputs do not exercise (vcbadge.verify.envelope)."""

from __future__ import annotations

from typing import Any

import pytest

from vcbadge.vcdm import VC_V1, VC_V2, credential_problems, presentation_problems


def credential(**members: Any) -> dict[str, Any]:
    document: dict[str, Any] = {
        "@context": [VC_V2],
        "type": ["VerifiableCredential"],
        "issuer": "did:example:issuer",
        "credentialSubject": {"id": "did:example:subject"},
    }
    document.update(members)
    return document


def paths(problems: list[Any]) -> list[str]:
    return [problem.path for problem in problems]


def test_a_valid_credential_has_no_problem() -> None:
    assert credential_problems(credential()) == []


def test_issuer_is_required() -> None:
    document = credential()
    del document["issuer"]
    assert paths(credential_problems(document)) == ["/issuer"]


@pytest.mark.parametrize(
    ("resource", "where"),
    [
        ({"id": "https://example.org/logo.png", "digestSRI": "sha384-abc"}, []),
        ({"id": "https://example.org/logo.png"}, ["/relatedResource/0"]),
        ({"digestMultibase": "uEi"}, ["/relatedResource/0/id"]),
        ({"id": "https://example.org/x", "digestSRI": 5}, ["/relatedResource/0/digestSRI"]),
    ],
)
def test_related_resource(resource: dict[str, Any], where: list[str]) -> None:
    assert paths(credential_problems(credential(relatedResource=[resource]))) == where


def test_related_resource_ids_are_unique() -> None:
    twice = {"id": "https://example.org/x", "digestMultibase": "uEi"}
    found = credential_problems(credential(relatedResource=[twice, twice]))
    assert paths(found) == ["/relatedResource/1/id"]


def test_vc_1_1_status_and_refresh_need_an_id() -> None:
    document = credential(
        **{"@context": [VC_V1], "issuanceDate": "2024-01-01T00:00:00Z"},
        credentialStatus={"type": "StatusList2021Entry"},
        refreshService={"type": "ManualRefreshService2018"},
    )
    assert paths(credential_problems(document)) == ["/credentialStatus/id", "/refreshService/id"]
    v2 = credential(credentialStatus={"type": "BitstringStatusListEntry"})
    assert credential_problems(v2) == []


def test_language_value_direction() -> None:
    name = {"@value": "Dog", "@language": "en", "@direction": "up"}
    assert paths(credential_problems(credential(name=name))) == ["/name/@direction"]


def test_a_problem_at_depth_keeps_the_base_path() -> None:
    document = credential(evidence=[{"type": "Evidence"}, {"id": "not a url"}])
    found = credential_problems(document, "/credentialSubject/verifiableCredential/2")
    assert paths(found) == [
        "/credentialSubject/verifiableCredential/2/evidence/1/type",
        "/credentialSubject/verifiableCredential/2/evidence/1/id",
    ]


def test_an_enveloped_credential_is_a_data_url() -> None:
    enveloped = {"@context": VC_V2, "type": "EnvelopedVerifiableCredential", "id": "https://x"}
    presentation = {
        "@context": [VC_V2],
        "type": "VerifiablePresentation",
        "verifiableCredential": [enveloped],
    }
    assert [(p.code, p.path) for p in presentation_problems(presentation)] == [
        ("envelope_invalid", "/verifiableCredential/0/id")
    ]


def test_vc_1_1_presentations_may_carry_jwt_strings() -> None:
    presentation = {
        "@context": [VC_V1],
        "type": "VerifiablePresentation",
        "verifiableCredential": ["eyJ.eyJ.sig"],
    }
    assert presentation_problems(presentation) == []
    presentation["@context"] = [VC_V2]
    assert paths(presentation_problems(presentation)) == ["/verifiableCredential/0"]
