"""A fast "is this document valid?" for JSON Schema draft 2019-09, behind ``jsonschema``.

``jsonschema`` interprets a schema anew on every validation: each subschema it descends into
builds a validator object, and each ``$ref`` is looked up again. The official OB 3.0 schema has
some 1,500 ``$ref`` and 400 ``anyOf``, so validating one ordinary credential costs more than
signing it. :class:`CompiledSchema` turns a schema into nested Python checks once, then answers
one question per document: does it certainly pass?

It only ever *confirms* validity. ``accepts`` is ``True`` only when ``jsonschema``'s draft
2019-09 validator would report no error; anything else (invalid, or any surprise) is ``False``,
and the caller then runs ``jsonschema`` itself, which gives the verdict, the issues and the
errors, as it always did. So the checks compiled here must never pass a document ``jsonschema``
fails; failing one that ``jsonschema`` passes only costs time. Everything compiled is monotonic
for that reason: a check that answers a false "no" can only make ``anyOf``, ``allOf`` and
``contains`` answer a false "no" too (``not``, ``oneOf``, ``if`` and ``maxContains`` are not
compiled: a false "no" there would become a false "yes"). A schema using anything not compiled
here is not compiled at all (:meth:`CompiledSchema.compile` answers ``None``).

Keyword meanings follow ``jsonschema`` (the version vcbadge pins) for draft 2019-09 without a
format checker, which is how :class:`vcbadge.schema.SchemaValidator` validates: ``format`` is an
annotation, keywords draft 2019-09 does not define are ignored, ``$ref`` applies beside its
sibling keywords. Every ``$ref`` is resolved once, when compiling, by ``referencing`` from the
registry given, so that registry must not fetch what it lacks (it would fetch references no
document reaches; :class:`vcbadge.schema.SchemaValidator` compiles offline only). A reference
that does not resolve leaves the schema to ``jsonschema``: it raises where it meets it, which
may be in an ``anyOf`` branch the compiled check leaves at an earlier failure. For the same
reason a schema matching object keys against regular expressions (``patternProperties``)
leaves a document with a key that is not a string to ``jsonschema``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sized
from typing import Any
from urllib.parse import urldefrag, urljoin

from jsonschema import validators
from referencing import Registry
from referencing.exceptions import Unresolvable
from referencing.jsonschema import DRAFT201909

__all__ = ["CompiledSchema"]

Check = Callable[[Any], bool]
# referencing's Resolver (what Resolver.lookup and resolver_with_root return), which the
# package does not export by name.
Resolver = Any

_DRAFT = validators.Draft201909Validator
_KEYWORDS = frozenset(_DRAFT.VALIDATORS)
_TYPE_CHECKER = _DRAFT.TYPE_CHECKER


class _Unsupported(Exception):
    """A schema construct this module does not compile; ``jsonschema`` judges the document."""


class CompiledSchema:
    """``schema`` (draft 2019-09) compiled to one check; ``$ref`` resolved from ``registry``.

    Build it with :meth:`compile`. Immutable once built: threads share it.
    """

    def __init__(self, schema: Any, registry: Registry[Any]) -> None:
        # The resolver jsonschema's validator starts from (its __attrs_post_init__), rooted
        # at the schema (base URI: its $id, or ""), but without the meta-schemas jsonschema
        # adds: a reference to a meta-schema does not resolve here, so a schema that makes
        # one is left to jsonschema (a meta-schema uses $recursiveRef, not compiled anyway).
        resource = DRAFT201909.create_resource(schema)
        root = registry.resolver_with_root(resource)
        self._compiled: dict[tuple[int, str], Check] = {}
        self._keep: list[Any] = []  # every compiled subschema, so that its id() stays its own
        self._documents: set[int] = set()  # ids of the documents found free of nested $id
        self._keys_matched = False  # some keyword matches object keys against a pattern
        _require_draft(schema)
        if isinstance(schema, Mapping):
            self._require_no_nested_ids(schema)
        # Which subschemas each applies to the same instance (anyOf, allOf, $ref): a cycle
        # there never reaches a deeper value, and jsonschema recurses until Python stops it,
        # even in an anyOf branch the compiled check would leave at an earlier failure.
        self._in_place: dict[tuple[int, str], list[tuple[int, str]]] = {}
        self._check = self._subschema(schema, root, resource.id() or "")
        if _has_cycle(self._in_place):
            raise _Unsupported("a $ref cycle that never moves into the instance")

    @classmethod
    def compile(cls, schema: Any, registry: Registry[Any]) -> CompiledSchema | None:
        """The compiled ``schema``, or ``None`` when it uses something not compiled here
        (another draft, ``oneOf``, ``not``, a reference that does not resolve...): then every
        document goes to ``jsonschema``."""
        try:
            return cls(schema, registry)
        except _Unsupported:
            return None

    def accepts(self, document: Any) -> bool:
        """Whether ``document`` certainly validates (``False``: ask ``jsonschema``)."""
        if self._keys_matched and _has_key_not_string(document, 0):
            return False
        try:
            return self._check(document)
        except Exception:  # a surprise (too deep a document...) is "not certain"
            return False

    # --- compiling ---------------------------------------------------------------------------

    def _subschema(self, schema: Any, resolver: Resolver, base: str) -> Check:
        if schema is True:
            return _always
        if schema is False:
            return _never
        if not isinstance(schema, Mapping):
            raise _Unsupported("a schema must be an object or a boolean")
        key = (id(schema), base)
        known = self._compiled.get(key)
        if known is not None:
            return known
        # A cycle (a schema reaching itself through $ref) meets this forward before the
        # schema is compiled; it is first called by a document, once everything is.
        cell: list[Check] = []

        def forward(instance: Any) -> bool:
            return cell[0](instance)

        self._compiled[key] = forward
        self._keep.append(schema)
        compiled = self._keywords(schema, resolver, base)
        cell.append(compiled)
        self._compiled[key] = compiled
        return compiled

    def _child(self, schema: Any, resolver: Resolver, base: str) -> Check:
        """A subschema met in place (not through ``$ref``): jsonschema's ``descend``, which
        picks the validator class by the subschema's ``$schema`` and moves into it as a
        subresource (nested ``$id`` are refused per document, so the base stays)."""
        _require_draft(schema)
        return self._subschema(schema, resolver, base)

    def _keywords(self, schema: Mapping[str, Any], resolver: Resolver, base: str) -> Check:
        checks: list[Check] = []
        object_checks: list[Check] = []
        array_checks: list[Check] = []
        for keyword, value in schema.items():
            if keyword not in _KEYWORDS or keyword == "format":
                continue  # an annotation, or not a draft 2019-09 keyword: jsonschema ignores it
            if keyword == "$ref":
                checks.append(self._reference(value, resolver, base, (id(schema), base)))
            elif keyword == "type":
                checks.append(_type(value))
            elif keyword in ("anyOf", "allOf"):
                if not isinstance(value, list) or not value:
                    raise _Unsupported(keyword)
                parts = [self._child(item, resolver, base) for item in value]
                self._in_place.setdefault((id(schema), base), []).extend(
                    (id(item), base) for item in value
                )
                checks.append(_any(parts) if keyword == "anyOf" else _all(parts))
            elif keyword == "const":
                checks.append(_const(value))
            elif keyword == "enum":
                checks.append(_enum(value))
            elif keyword == "pattern":
                checks.append(_pattern(value))
            elif keyword in ("minLength", "maxLength"):
                checks.append(_length(keyword, value, str))
            elif keyword in ("minItems", "maxItems"):
                checks.append(_length(keyword, value, list))
            elif keyword in ("minProperties", "maxProperties"):
                checks.append(_length(keyword, value, dict))
            elif keyword == "properties":
                object_checks.append(self._properties(value, resolver, base))
            elif keyword == "required":
                object_checks.append(_required(value))
            elif keyword == "patternProperties":
                object_checks.append(self._pattern_properties(value, resolver, base))
            elif keyword == "additionalProperties":
                object_checks.append(self._additional_properties(schema, resolver, base))
            elif keyword == "propertyNames":
                object_checks.append(_every_name(self._child(value, resolver, base)))
            elif keyword == "items":
                array_checks.append(self._items(value, resolver, base))
            elif keyword == "additionalItems":
                array_checks.append(self._additional_items(schema, resolver, base))
            elif keyword == "contains":
                if "minContains" in schema or "maxContains" in schema:
                    raise _Unsupported("minContains / maxContains")
                array_checks.append(_some_item(self._child(value, resolver, base)))
            elif keyword == "uniqueItems":
                if value:
                    array_checks.append(_unique)
            else:
                raise _Unsupported(keyword)
        if object_checks:
            checks.append(_when(dict, object_checks))
        if array_checks:
            checks.append(_when(list, array_checks))
        return _all(checks)

    def _reference(
        self, ref: Any, resolver: Resolver, base: str, referrer: tuple[int, str]
    ) -> Check:
        if not isinstance(ref, str):
            raise _Unsupported("$ref must be a string")
        # referencing's Resolver.lookup: the target's base URI is the URI looked up.
        target_base = base if ref.startswith("#") else urldefrag(urljoin(base, ref))[0]
        try:
            found = resolver.lookup(ref)
            document = resolver.lookup(target_base or "#").contents
        except Unresolvable:
            # jsonschema raises where it meets this reference, possibly in an anyOf branch
            # the compiled check would leave at an earlier failure: not compiled.
            raise _Unsupported(f"$ref {ref!r} does not resolve") from None
        self._require_no_nested_ids(document)
        _require_draft(found.contents)
        self._in_place.setdefault(referrer, []).append((id(found.contents), target_base))
        return self._subschema(found.contents, found.resolver, target_base)

    def _require_no_nested_ids(self, document: Any) -> None:
        """Refuse (as not compiled) a schema document with an ``$id`` below its root: that
        would move the base URI of the subschemas under it, which this module does not
        track (none of vcbadge's bundled schemas does)."""
        if id(document) in self._documents:
            return
        if any(_nested_ids(document, top=True)):
            raise _Unsupported("an $id below a document's root")
        self._documents.add(id(document))
        self._keep.append(document)

    def _properties(self, value: Any, resolver: Resolver, base: str) -> Check:
        if not isinstance(value, Mapping):
            raise _Unsupported("properties")
        members = {name: self._child(sub, resolver, base) for name, sub in value.items()}

        def properties(instance: dict[Any, Any]) -> bool:
            # By the instance's members: a schema names many more than a document has.
            for name, item in instance.items():
                check = members.get(name)
                if check is not None and not check(item):
                    return False
            return True

        return properties

    def _pattern_properties(self, value: Any, resolver: Resolver, base: str) -> Check:
        if not isinstance(value, Mapping):
            raise _Unsupported("patternProperties")
        self._keys_matched = True
        patterns = [
            (_compiled_pattern(pattern), self._child(sub, resolver, base))
            for pattern, sub in value.items()
        ]

        def pattern_properties(instance: dict[Any, Any]) -> bool:
            for pattern, check in patterns:
                for name, item in instance.items():
                    if pattern.search(name) and not check(item):
                        return False
            return True

        return pattern_properties

    def _additional_properties(
        self, schema: Mapping[str, Any], resolver: Resolver, base: str
    ) -> Check:
        # jsonschema's find_additional_properties: not a member of "properties", and not
        # matched by the "patternProperties" joined with "|".
        value = schema["additionalProperties"]
        declared = schema.get("properties", {})
        patterns = schema.get("patternProperties", {})
        if not isinstance(declared, Mapping) or not isinstance(patterns, Mapping):
            raise _Unsupported("additionalProperties")
        named = frozenset(declared)
        joined = _compiled_pattern("|".join(patterns)) if patterns else None
        self._keys_matched = self._keys_matched or joined is not None

        def extra(name: Any) -> bool:
            return name not in named and (joined is None or not joined.search(name))

        if isinstance(value, dict):
            check = self._child(value, resolver, base)

            def additional(instance: dict[Any, Any]) -> bool:
                for name, item in instance.items():  # noqa: SIM110 - a loop: see _all
                    if extra(name) and not check(item):
                        return False
                return True

            return additional
        if value is False:

            def none_additional(instance: dict[Any, Any]) -> bool:
                for name in instance:  # a loop, not all(): see _all
                    if name not in named and (joined is None or not joined.search(name)):
                        return False
                return True

            return none_additional
        if value is True:
            return _always
        raise _Unsupported("additionalProperties")

    def _items(self, value: Any, resolver: Resolver, base: str) -> Check:
        if isinstance(value, list):
            positional = [self._child(sub, resolver, base) for sub in value]
            return lambda instance: all(
                check(item) for check, item in zip(positional, instance, strict=False)
            )
        return _every_item(self._child(value, resolver, base))

    def _additional_items(self, schema: Mapping[str, Any], resolver: Resolver, base: str) -> Check:
        items = schema.get("items", {})
        if isinstance(items, dict):
            return _always  # jsonschema ignores additionalItems beside a single items schema
        if not isinstance(items, list):
            raise _Unsupported("additionalItems beside a boolean items")
        count = len(items)
        value = schema["additionalItems"]
        if isinstance(value, dict):
            check = self._child(value, resolver, base)
            return lambda instance: all(check(item) for item in instance[count:])
        if value is False:
            return lambda instance: len(instance) <= count
        if value is True:
            return _always
        raise _Unsupported("additionalItems")


def _require_draft(schema: Any) -> None:
    """jsonschema validates a subschema with the class its ``$schema`` names (its ``evolve``):
    only draft 2019-09 is compiled here."""
    if (
        isinstance(schema, Mapping)
        and "$schema" in schema
        and validators.validator_for(schema, default=_DRAFT) is not _DRAFT
    ):
        raise _Unsupported("a draft other than 2019-09")


def _nested_ids(node: Any, *, top: bool = False) -> Any:
    """Every ``$id`` member below the root (conservatively anywhere, property names too)."""
    if isinstance(node, Mapping):
        if not top and "$id" in node:
            yield node
        for item in node.values():
            yield from _nested_ids(item)
    elif isinstance(node, list):
        for item in node:
            yield from _nested_ids(item)


def _has_cycle(edges: Mapping[tuple[int, str], list[tuple[int, str]]]) -> bool:
    """Whether the directed graph ``edges`` has a cycle (depth first, without recursion)."""
    done: set[tuple[int, str]] = set()
    for start in edges:
        if start in done:
            continue
        on_path = {start}
        stack = [(start, iter(edges.get(start, ())))]
        while stack:
            node, following = stack[-1]
            step = next(following, None)
            if step is None:
                stack.pop()
                on_path.discard(node)
                done.add(node)
            elif step in on_path:
                return True
            elif step not in done:
                on_path.add(step)
                stack.append((step, iter(edges.get(step, ()))))
    return False


def _has_key_not_string(node: Any, depth: int) -> bool:
    if depth > _MAX_KEY_SCAN_DEPTH:
        return True  # not looked at: not certain
    if isinstance(node, dict):
        return any(
            type(key) is not str or _has_key_not_string(item, depth + 1)
            for key, item in node.items()
        )
    if isinstance(node, list):
        return any(_has_key_not_string(item, depth + 1) for item in node)
    return False


_MAX_KEY_SCAN_DEPTH = 200


def _always(instance: Any) -> bool:
    return True


def _never(instance: Any) -> bool:
    return False


def _all(checks: list[Check]) -> Check:
    if not checks:
        return _always
    if len(checks) == 1:
        return checks[0]
    frozen = tuple(checks)

    def all_of(instance: Any) -> bool:
        # A loop, not all(): this runs for every node of every document validated.
        for check in frozen:  # noqa: SIM110
            if not check(instance):
                return False
        return True

    return all_of


def _any(checks: list[Check]) -> Check:
    if len(checks) == 1:
        return checks[0]
    frozen = tuple(checks)

    def any_of(instance: Any) -> bool:
        for check in frozen:  # noqa: SIM110
            if check(instance):
                return True
        return False

    return any_of


def _every_name(check: Check) -> Check:
    def every_name(instance: dict[Any, Any]) -> bool:
        for name in instance:  # noqa: SIM110 - a loop, not all(): see _all
            if not check(name):
                return False
        return True

    return every_name


def _every_item(check: Check) -> Check:
    def every_item(instance: list[Any]) -> bool:
        for item in instance:  # noqa: SIM110 - a loop, not all(): see _all
            if not check(item):
                return False
        return True

    return every_item


def _some_item(check: Check) -> Check:
    def some_item(instance: list[Any]) -> bool:
        for item in instance:  # noqa: SIM110 - a loop, not any(): see _all
            if check(item):
                return True
        return False

    return some_item


def _when(kind: type, checks: list[Check]) -> Check:
    """All ``checks`` for an instance of ``kind``; other instances pass (as jsonschema's object
    and array keywords ignore other types)."""
    frozen = tuple(checks)

    def when(instance: Any) -> bool:
        if not isinstance(instance, kind):
            return True
        for check in frozen:  # noqa: SIM110 - a loop, not all(): see _all
            if not check(instance):
                return False
        return True

    return when


_SIMPLE_TYPES: Mapping[str, Check] = {
    "string": lambda instance: isinstance(instance, str),
    "object": lambda instance: isinstance(instance, dict),
    "array": lambda instance: isinstance(instance, list),
    "boolean": lambda instance: isinstance(instance, bool),
    "null": lambda instance: instance is None,
}


def _type(value: Any) -> Check:
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not names:
        raise _Unsupported("type")
    checks: list[Check] = []
    for name in names:
        if name in _SIMPLE_TYPES:
            checks.append(_SIMPLE_TYPES[name])
        elif name in ("integer", "number"):
            checks.append(_checked_type(name))
        else:
            raise _Unsupported(f"type {name!r}")
    return _any(checks)


def _checked_type(name: str) -> Check:
    # bool is not a number, 1.0 is an integer...: jsonschema's own type checker decides.
    return lambda instance: bool(_TYPE_CHECKER.is_type(instance, name))


def _const(value: Any) -> Check:
    # jsonschema's equal() compares with == whenever either side is a string.
    if not isinstance(value, str):
        raise _Unsupported("a const that is not a string")
    return lambda instance: isinstance(instance, str) and instance == value


def _enum(value: Any) -> Check:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise _Unsupported("an enum of anything but strings")
    allowed = frozenset(value)
    return lambda instance: isinstance(instance, str) and instance in allowed


def _compiled_pattern(pattern: Any) -> re.Pattern[str]:
    if not isinstance(pattern, str):
        raise _Unsupported("a pattern must be a string")
    try:
        return re.compile(pattern)
    except re.error as error:
        raise _Unsupported(f"pattern {pattern!r}: {error}") from None


def _pattern(value: Any) -> Check:
    compiled = _compiled_pattern(value)
    return lambda instance: not isinstance(instance, str) or compiled.search(instance) is not None


def _length(keyword: str, value: Any, kind: type[Sized]) -> Check:
    """``minLength``, ``maxItems``...: the length of an instance of ``kind`` (a string's in
    code points, as Python's ``len``); other instances pass."""
    if type(value) is not int:
        raise _Unsupported(keyword)
    if keyword.startswith("min"):
        return lambda instance: not isinstance(instance, kind) or len(instance) >= value
    return lambda instance: not isinstance(instance, kind) or len(instance) <= value


def _required(value: Any) -> Check:
    if not isinstance(value, list):
        raise _Unsupported("required")
    names = tuple(value)
    return lambda instance: all(name in instance for name in names)


def _unique(instance: list[Any]) -> bool:
    # Strings alone are decided here; any other item leaves it to jsonschema's uniq().
    return all(isinstance(item, str) for item in instance) and len(set(instance)) == len(instance)
