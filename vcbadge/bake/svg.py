"""Baking credentials into SVG images and reading them back (pure bytes, no I/O).

Open Badges 3.0 (section "Baked Badge", SVG): the ``<svg>`` root declares
``xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"`` and, directly after the root start
tag, an ``<openbadges:credential>`` element carries either the compact JWS in a ``verify``
attribute (VC-JWT) or the JSON credential in a CDATA section. There is only one. Open Badges
2.0 used ``<openbadges:assertion>`` in the ``http://openbadges.org`` namespace; it is read and
reported as OB 2.0, never baked.

Untrusted SVG is parsed with the standard library's expat, configured so that nothing can expand:
a DOCTYPE with an internal subset is refused (so no entity can be declared: no "billion
laughs", no external entity), the external DTD a DOCTYPE names is never loaded (parameter
entities are never parsed), and the size is capped first.
The parser only validates the document and locates elements by byte offset; the image is then
edited by splicing bytes, so everything else in it is preserved exactly. (defusedxml was
considered: it guards the same handlers but offers trees, which re-serialise the document.)
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, NoReturn
from xml.parsers import expat

from vcbadge.bake._common import (
    BadgeVersion,
    BakedCredential,
    BakeInput,
    BakeLimits,
    encode_payload,
)
from vcbadge.bake.detect import is_compact_jws, payload_format
from vcbadge.errors import BakingError

__all__ = ["OB2_NAMESPACE", "OB3_NAMESPACE", "SVG_NAMESPACE", "bake_svg", "extract_svg"]

OB3_NAMESPACE = "https://purl.imsglobal.org/ob/v3p0"
OB2_NAMESPACE = "http://openbadges.org"
SVG_NAMESPACE = "http://www.w3.org/2000/svg"

_SEPARATOR = " "
_OB3_ELEMENT = f"{OB3_NAMESPACE}{_SEPARATOR}credential"
_OB2_ELEMENT = f"{OB2_NAMESPACE}{_SEPARATOR}assertion"
_VERSIONS: dict[str, BadgeVersion] = {_OB3_ELEMENT: "3.0", _OB2_ELEMENT: "2.0"}
_UTF8_BOM = b"\xef\xbb\xbf"
_XML_DECLARATION = re.compile(rb"<\?xml\s[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")
_UTF8_NAMES = {"utf-8", "utf8", "us-ascii", "ascii"}
_QNAME = re.compile(rb"<([^\s/>]+)")
_OPENBADGES_DECLARATION = re.compile(rb"\sxmlns:openbadges\s*=\s*([\"'])(.*?)\1", re.DOTALL)


class _Refused(Exception):
    """Raised inside expat handlers to stop parsing; carries the BakingError out."""

    def __init__(self, error: BakingError) -> None:
        super().__init__(error.message)
        self.error = error


@dataclass
class _Element:
    """A credential or assertion element: its byte span and content."""

    name: str
    start: int
    attributes: dict[str, str]
    end: int = -1
    text: list[str] = field(default_factory=list)
    has_children: bool = False


@dataclass
class _Scan:
    root_start: int = -1
    root_tag_end: int = -1
    root_self_closing: bool = False
    root_openbadges: str | None = None
    elements: list[_Element] = field(default_factory=list)


def _tag_end(data: bytes, start: int) -> int:
    """The offset just after the ``>`` that closes the tag starting at ``start``.

    Expat has already checked that the document is well formed, so the only ``>`` that can
    occur before the end of a tag is inside a quoted attribute value.
    """
    quote = 0
    for index in range(start + 1, len(data)):
        byte = data[index]
        if quote:
            if byte == quote:
                quote = 0
        elif byte in (0x22, 0x27):  # " '
            quote = byte
        elif byte == 0x3E:  # >
            return index + 1
    raise BakingError("an SVG tag is not closed", code="svg_malformed")  # pragma: no cover


def _check_encoding(data: bytes) -> None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise BakingError(
            "this SVG is UTF-16; vcbadge bakes and reads UTF-8 SVG only", code="svg_encoding"
        )
    declared = _XML_DECLARATION.match(
        data[len(_UTF8_BOM) :] if data.startswith(_UTF8_BOM) else data
    )
    if declared and declared.group(1).decode("ascii").lower() not in _UTF8_NAMES:
        raise BakingError(
            f"this SVG declares encoding {declared.group(1).decode('ascii')!r}; vcbadge bakes "
            "and reads UTF-8 SVG only",
            code="svg_encoding",
        )


def _refuse(message: str) -> NoReturn:
    raise _Refused(BakingError(message, code="svg_unsafe"))


def _scan(data: bytes, limits: BakeLimits) -> _Scan:
    """Parse the SVG safely and find the root tag and every credential/assertion element."""
    limits.check_image_size(data, "SVG")
    _check_encoding(data)
    scan = _Scan()
    parser = expat.ParserCreate(namespace_separator=_SEPARATOR)
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    stack: list[_Element | None] = []
    root_declarations: dict[str, str] = {}

    def doctype(name: str, _system_id: Any, _public_id: Any, has_internal_subset: int) -> None:
        # The public SVG 1.1 DOCTYPE that editors still write declares nothing by itself: the
        # external DTD is never loaded (parameter entity parsing is off). Only an internal
        # subset can declare entities, so only that is refused.
        if has_internal_subset:
            _refuse(
                f"this SVG's DOCTYPE ({name}) has an internal subset; badge images must not "
                "(it can declare entities that expand without bound or load external files)"
            )

    def entity(name: str, *_: Any) -> None:
        _refuse(f"this SVG declares the entity {name!r}; badge images must not")

    def external_entity(*_: Any) -> int:
        _refuse("this SVG refers to an external entity; badge images must not")

    def namespace(prefix: str | None, uri: str) -> None:
        if scan.root_start < 0:
            root_declarations[prefix or ""] = uri

    def start(name: str, attributes: dict[str, str]) -> None:
        offset = parser.CurrentByteIndex
        if scan.root_start < 0:
            if name != f"{SVG_NAMESPACE}{_SEPARATOR}svg":
                shown = name.replace(_SEPARATOR, "}", 1)
                raise _Refused(
                    BakingError(
                        f"the root element is {{{shown}, not an SVG <svg>"
                        if _SEPARATOR in name
                        else f"the root element is <{name}>, not an SVG <svg>",
                        code="not_an_image",
                    )
                )
            scan.root_start = offset
            scan.root_tag_end = _tag_end(data, offset)
            scan.root_self_closing = data[scan.root_tag_end - 2] == 0x2F  # "/>"
            scan.root_openbadges = root_declarations.get("openbadges")
        for open_element in stack:
            if open_element is not None:
                open_element.has_children = True
        element = None
        if name in _VERSIONS:
            element = _Element(name, offset, dict(attributes))
            scan.elements.append(element)
        stack.append(element)

    def end(_name: str) -> None:
        element = stack.pop()
        if element is not None:
            offset = parser.CurrentByteIndex
            tag_end = _tag_end(data, element.start)
            # An empty-element tag (<x/>) is its own end; otherwise the end tag starts here.
            element.end = tag_end if data[tag_end - 2] == 0x2F else _tag_end(data, offset)

    def text(content: str) -> None:
        if stack and stack[-1] is not None:
            stack[-1].text.append(content)

    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = entity
    parser.UnparsedEntityDeclHandler = entity
    parser.ExternalEntityRefHandler = external_entity
    parser.StartNamespaceDeclHandler = namespace
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    try:
        parser.Parse(data, True)
    except _Refused as refused:
        raise refused.error from None
    except expat.ExpatError as exc:
        message = expat.errors.messages.get(exc.code, str(exc)) if exc.code else str(exc)
        raise BakingError(
            f"not well-formed XML: {message} at line {exc.lineno} column {exc.offset + 1}",
            code="svg_malformed",
        ) from None
    if scan.root_start < 0:  # pragma: no cover - expat requires a root element
        raise BakingError("the SVG has no root element", code="svg_malformed")
    return scan


def _payload(element: _Element, limits: BakeLimits) -> BakedCredential:
    version = _VERSIONS[element.name]
    tag = "<openbadges:credential>" if version == "3.0" else "<openbadges:assertion>"
    location = f"an SVG {tag} element"
    if element.has_children:
        raise BakingError(f"the {tag} element contains elements", code="invalid_payload")
    body = "".join(element.text).strip()
    verify = element.attributes.get("verify", "").strip()
    limits.check_payload_size(len(body.encode("utf-8")) + len(verify.encode("utf-8")))
    if version == "3.0":
        if verify and body:
            raise BakingError(
                f"the {tag} element has both a verify attribute and content; a VC-JWT goes in "
                "verify, a JSON credential in the content, not both",
                code="invalid_payload",
            )
        if verify:
            if not is_compact_jws(verify):
                raise BakingError(
                    f"the verify attribute of the {tag} element is not a compact JWS",
                    code="invalid_payload",
                )
            return BakedCredential(verify, version, "jwt", "svg", location)
        shape = payload_format(body)
        if shape not in ("json", "jwt"):
            what = "empty" if not body else "neither JSON nor a compact JWS"
            raise BakingError(f"the {tag} element is {what}", code="invalid_payload")
        return BakedCredential(body, version, shape, "svg", location)
    # OB 2.0: verify holds the signed assertion (JWS) or the hosted assertion's URL; the body,
    # if any, is the assertion JSON.
    if verify:
        shape = payload_format(verify)
        if shape in ("jwt", "url"):
            return BakedCredential(verify, version, shape, "svg", location)
    if payload_format(body) == "json":
        return BakedCredential(body, version, "json", "svg", location)
    raise BakingError(
        f"the {tag} element has neither a verify attribute (JWS or URL) nor a JSON assertion",
        code="invalid_payload",
    )


def extract_svg(svg: bytes, limits: BakeLimits | None = None) -> BakedCredential:
    """The credential baked into an SVG (Open Badges 3.0, or an Open Badges 2.0 assertion).

    An OB 3.0 element wins over an OB 2.0 one; two elements of the same version are refused.

    Raises:
        BakingError: ``too_large``, ``svg_encoding``, ``svg_unsafe`` (DOCTYPE, entities),
            ``svg_malformed``, ``not_an_image`` (root is not ``<svg>``), ``no_credential``,
            ``multiple_credentials``, ``invalid_payload``.
    """
    limits = limits or BakeLimits()
    scan = _scan(svg, limits)
    if not scan.elements:
        raise BakingError(
            "this SVG carries no baked credential (no <openbadges:credential> or "
            "<openbadges:assertion> element)",
            code="no_credential",
        )
    for name in (_OB3_ELEMENT, _OB2_ELEMENT):
        found = [element for element in scan.elements if element.name == name]
        if len(found) > 1:
            tag = "credential" if name == _OB3_ELEMENT else "assertion"
            raise BakingError(
                f"this SVG has {len(found)} <openbadges:{tag}> elements; a baked badge has "
                "exactly one",
                code="multiple_credentials",
            )
        if found:
            return _payload(found[0], limits)
    raise AssertionError("unreachable: elements is not empty")  # pragma: no cover


def _cdata(text: str) -> str:
    # "]]>" would end the section early: close it after "]]" and reopen before ">".
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def bake_svg(
    svg: bytes, credential: BakeInput, *, replace: bool = False, limits: BakeLimits | None = None
) -> bytes:
    """Bake an Open Badges 3.0 credential into an SVG (UTF-8).

    ``credential`` is a mapping (written as compact JSON), JSON text, or a compact JWS
    (VC-JWT). The root gains ``xmlns:openbadges="https://purl.imsglobal.org/ob/v3p0"`` if it
    lacks it, and an ``<openbadges:credential>`` element is inserted directly after the root
    start tag: ``verify="JWS"`` for a VC-JWT, the JSON in CDATA otherwise. Every other byte of
    the image is kept.

    An SVG that already carries a credential (OB 3.0 or an OB 2.0 assertion) is refused unless
    ``replace`` is true, in which case the old elements are removed.

    Raises:
        BakingError: any :func:`extract_svg` parsing code, ``already_baked``,
            ``svg_namespace_conflict`` (the root binds ``openbadges`` to another namespace),
            ``invalid_payload``, ``too_large``.
    """
    limits = limits or BakeLimits()
    scan = _scan(svg, limits)
    text, shape = encode_payload(credential, limits)
    if scan.elements and not replace:
        version = _VERSIONS[scan.elements[0].name]
        raise BakingError(
            f"this SVG already carries an Open Badges {version} credential; pass replace=True "
            "to replace it",
            code="already_baked",
        )
    root_tag = svg[scan.root_start : scan.root_tag_end]
    root_tag = _declare_namespace(root_tag, scan, replace)
    if scan.root_self_closing:
        root_tag = root_tag[:-2].rstrip() + b">"
    if shape == "jwt":
        element = f'<openbadges:credential verify="{text}"></openbadges:credential>'
    else:
        element = f"<openbadges:credential>{_cdata(text)}</openbadges:credential>"
    rest = svg[scan.root_tag_end :]
    for old in sorted(scan.elements, key=lambda item: item.start, reverse=True):
        begin, finish = old.start - scan.root_tag_end, old.end - scan.root_tag_end
        rest = rest[:begin] + rest[finish:]
    closing = b""
    if scan.root_self_closing:
        match = _QNAME.match(root_tag)
        assert match is not None
        closing = b"</" + match.group(1) + b">"
    baked = svg[: scan.root_start] + root_tag + element.encode("utf-8") + closing + rest
    limits.check_image_size(baked, "baked SVG")
    return baked


def _declare_namespace(root_tag: bytes, scan: _Scan, replace: bool) -> bytes:
    declaration = f' xmlns:openbadges="{OB3_NAMESPACE}"'.encode("ascii")
    bound = scan.root_openbadges
    if bound == OB3_NAMESPACE:
        return root_tag
    if bound is None:
        cut = len(root_tag) - (2 if scan.root_self_closing else 1)
        return root_tag[:cut] + declaration + root_tag[cut:]
    if bound == OB2_NAMESPACE and replace:
        # The OB 2.0 assertion that used this binding is being replaced: rebind the prefix.
        return _OPENBADGES_DECLARATION.sub(lambda _: declaration, root_tag, count=1)
    raise BakingError(
        f"the <svg> root binds the prefix 'openbadges' to {bound!r}, not {OB3_NAMESPACE!r}",
        code="svg_namespace_conflict",
    )
