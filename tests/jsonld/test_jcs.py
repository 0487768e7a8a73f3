"""RFC 8785 canonicalization through vcbadge.jsonld.jcs: the RFC's own examples and the errors."""

from __future__ import annotations

import pytest

from vcbadge.errors import CanonicalizationError
from vcbadge.jsonld.jcs import canonicalize_jcs


def test_rfc8785_section_3_2_2_numbers() -> None:
    # RFC 8785 3.2.2.3: ECMAScript number serialization.
    value = {"numbers": [333333333.33333329, 1e30, 4.50, 2e-3, 0.000000000000000000000000001]}
    assert canonicalize_jcs(value) == '{"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27]}'


def test_rfc8785_section_3_2_3_sorting_by_utf16_code_units() -> None:
    value = {
        "\u20ac": "Euro Sign",
        "\r": "Carriage Return",
        "\ufb33": "Hebrew",
        "1": "One",
        "\U0001f600": "Emoji",
        "\u0080": "Control",
        "\u00f6": "Latin",
    }
    expected = (
        '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin",'
        '"\u20ac":"Euro Sign","\U0001f600":"Emoji","\ufb33":"Hebrew"}'
    )
    assert canonicalize_jcs(value) == expected


@pytest.mark.parametrize("value", [{"n": 2**53}, {"n": float("nan")}, {1: "key"}, {"s": {1, 2}}])
def test_values_outside_i_json_are_canonicalization_errors(value: object) -> None:
    with pytest.raises(CanonicalizationError) as info:
        canonicalize_jcs(value)  # type: ignore[arg-type]
    assert info.value.code == "canonicalization_failed"
