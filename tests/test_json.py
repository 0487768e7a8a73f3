"""Strict JSON parsing and JSON pointers."""

from __future__ import annotations

import json

import pytest

from vcbadge._json import (
    DEFAULT_MAX_DEPTH,
    join_pointer,
    loads_strict,
    pointer,
    resolve_pointer,
)
from vcbadge.errors import InputError, LimitExceeded


def test_parses_ordinary_json_like_the_stdlib() -> None:
    text = (
        '{"a": [1, 2.5, "x", true, false, null], "b": {"c": "[{\\"]"}, "\\u00e9": "\\ud83d\\ude00"}'
    )
    assert loads_strict(text) == json.loads(text)
    assert loads_strict(text.encode("utf-8")) == json.loads(text)


@pytest.mark.parametrize(
    ("text", "path", "key"),
    [
        ('{"a": 1, "a": 2}', "", "a"),
        ('{"x": [0, {"k/~": 1, "k/~": 2}]}', "/x/1", "k/~"),
        ('{"outer": {"inner": {"id": 1, "type": 2, "id": 3}}}', "/outer/inner", "id"),
    ],
)
def test_duplicate_keys_are_rejected_with_the_object_path(text: str, path: str, key: str) -> None:
    with pytest.raises(InputError) as info:
        loads_strict(text)
    assert info.value.code == "duplicate_key"
    assert info.value.path == path
    assert repr(key) in info.value.message


def test_same_key_in_sibling_objects_is_fine() -> None:
    assert loads_strict('[{"a": 1}, {"a": 2}]') == [{"a": 1}, {"a": 2}]


@pytest.mark.parametrize("depth", [100_000])
@pytest.mark.parametrize("opener", ["[", '{"k":'])
def test_very_deep_nesting_is_a_limit_error_not_a_recursion_error(opener: str, depth: int) -> None:
    closer = "]" if opener == "[" else "}"
    text = opener * depth + "0" + closer * depth
    with pytest.raises(LimitExceeded) as info:
        loads_strict(text)
    assert info.value.code == "limit_exceeded"
    part = "/0" if opener == "[" else "/k"
    assert info.value.path == part * DEFAULT_MAX_DEPTH


def test_unbalanced_deep_input_is_also_refused() -> None:
    with pytest.raises(LimitExceeded):
        loads_strict("[" * 100_000)


def test_depth_limit_is_inclusive_and_ignores_brackets_in_strings() -> None:
    ok = "[" * DEFAULT_MAX_DEPTH + '"[[[[{{{{"' + "]" * DEFAULT_MAX_DEPTH
    assert loads_strict(ok) is not None
    with pytest.raises(LimitExceeded):
        loads_strict("[" + ok + "]")


def test_depth_error_path_points_at_the_container_too_deep() -> None:
    text = '{"a": [1, {"b/c": {"d": [[]]}}]}'
    with pytest.raises(LimitExceeded) as info:
        loads_strict(text, max_depth=4)
    assert info.value.path == "/a/1/b~1c/d"
    assert resolve_pointer(json.loads(text), info.value.path) == [[]]


@pytest.mark.parametrize("as_bytes", [True, False])
def test_size_cap(as_bytes: bool) -> None:
    text = '"' + "é" * 10 + '"'  # 22 bytes, 12 characters
    data: bytes | str = text.encode() if as_bytes else text
    assert loads_strict(data, max_bytes=22) == "é" * 10
    with pytest.raises(LimitExceeded) as info:
        loads_strict(data, max_bytes=21)
    assert info.value.code == "limit_exceeded"


@pytest.mark.parametrize("text", ["NaN", "[Infinity]", '{"a": -Infinity}', "1e400", "[-1E999]"])
def test_non_finite_numbers_are_rejected(text: str) -> None:
    with pytest.raises(InputError) as info:
        loads_strict(text)
    assert info.value.code == "invalid_json"


def test_huge_integer_is_a_limit_error() -> None:
    with pytest.raises(LimitExceeded):
        loads_strict("1" * 10_000)


def test_invalid_utf8_reports_line_and_column() -> None:
    with pytest.raises(InputError) as info:
        loads_strict(b'{\n  "a": "\xff"\n}')
    assert info.value.code == "invalid_json"
    assert "line 2 column 9" in info.value.message


def test_syntax_error_reports_line_and_column() -> None:
    with pytest.raises(InputError) as info:
        loads_strict('{\n  "a": 1,\n}')
    assert info.value.code == "invalid_json"
    assert "line 3 column 1" in info.value.message


@pytest.mark.parametrize(
    "data",
    [b"", b"\xef\xbb\xbf{}", '["\\ud800"]', '{"\\udc00": 1}', "\ud800", b"{'a': 1}", b"[1,]"],
)
def test_other_invalid_input(data: bytes | str) -> None:
    with pytest.raises(InputError) as info:
        loads_strict(data)
    assert info.value.code == "invalid_json"


def test_lone_surrogate_error_has_a_path() -> None:
    with pytest.raises(InputError) as info:
        loads_strict('{"a": ["ok", "\\udbff"]}')
    assert info.value.path == "/a/1"


def test_escaped_backslash_before_u_is_not_a_surrogate() -> None:
    assert loads_strict('["\\\\ud800"]') == ["\\ud800"]


def test_rejects_non_text_types() -> None:
    with pytest.raises(TypeError):
        loads_strict(123)  # type: ignore[arg-type]


def test_pointer_escaping_round_trips() -> None:
    doc = {"a/b": {"m~n": [10, 20]}, "": {"": 1}}
    ptr = pointer("a/b", "m~n", 1)
    assert ptr == "/a~1b/m~0n/1"
    assert resolve_pointer(doc, ptr) == 20
    assert join_pointer(pointer("a/b"), "m~n") == "/a~1b/m~0n"
    assert pointer() == ""
    assert resolve_pointer(doc, "") is doc
    assert resolve_pointer(doc, "//") == 1


@pytest.mark.parametrize(
    ("ptr", "code"),
    [
        ("a", "invalid_pointer"),
        ("/a~2", "invalid_pointer"),
        ("/missing", "pointer_not_found"),
        ("/list/2", "pointer_not_found"),
        ("/list/01", "pointer_not_found"),
        ("/list/-", "pointer_not_found"),
        ("/list/0/x", "pointer_not_found"),
    ],
)
def test_resolve_pointer_errors(ptr: str, code: str) -> None:
    with pytest.raises(InputError) as info:
        resolve_pointer({"list": [1, 2]}, ptr)
    assert info.value.code == code
    assert info.value.path == ptr


def test_stray_closer_does_not_hide_depth() -> None:
    with pytest.raises(LimitExceeded) as info:
        loads_strict("]" + "[" * 100, max_depth=3)
    assert info.value.path == "/0/0/0"


def test_bytes_like_inputs_are_parsed() -> None:
    assert loads_strict(bytearray(b'{"a": 1}')) == {"a": 1}
    assert loads_strict(memoryview(b"[1, 2]")) == [1, 2]


def test_bytes_like_inputs_are_measured_before_they_are_copied() -> None:
    with pytest.raises(LimitExceeded):
        loads_strict(bytearray(b" " * 11), max_bytes=10)
    with pytest.raises(LimitExceeded):
        loads_strict(memoryview(b" " * 11), max_bytes=10)


def test_a_lone_surrogate_character_in_text_is_refused_with_its_offset() -> None:
    with pytest.raises(InputError) as refused:
        loads_strict('["ok", "\ud800"]')
    assert refused.value.code == "invalid_json"
    assert "offset 8" in refused.value.message


def test_text_is_measured_in_utf8_bytes() -> None:
    assert loads_strict('"' + "é" * 4 + '"', max_bytes=10) == "é" * 4  # 10 bytes
    with pytest.raises(LimitExceeded):
        loads_strict('"' + "é" * 5 + '"', max_bytes=10)  # 12 bytes, 7 characters
