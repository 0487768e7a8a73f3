"""Validate a credential against the JSON Schemas its ``credentialSchema`` entries name."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from jsonschema import validators
from jsonschema.exceptions import SchemaError as JsonSchemaDefinitionError
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource, Unresolvable
from referencing.jsonschema import DRAFT201909

from vcbadge._json import pointer
from vcbadge.errors import Issue, SchemaError
from vcbadge.protocols import Transport
from vcbadge.schema.cache import SchemaCache, SchemaUnavailable
from vcbadge.schema.compiled import CompiledSchema

__all__ = ["SCHEMA_TYPES", "SchemaResult", "SchemaValidator", "validate_against"]

SCHEMA_TYPES = frozenset({"1EdTechJsonSchemaValidator2019", "JsonSchema"})
"""``credentialSchema`` types validated as JSON Schema (OB 3.0 / CLR 2.0, and VC 2.0)."""

_MAX_MESSAGE = 300
# Schemas kept ready to validate with, per SchemaValidator (a credential names one or two).
_PREPARED_KEPT = 32

Status = Literal["valid", "invalid", "unavailable", "unsupported"]


@dataclass(frozen=True)
class SchemaResult:
    """The outcome of one ``credentialSchema`` entry.

    ``status`` is ``valid``, ``invalid`` (``issues`` give the instance paths), ``unavailable``
    (the schema could not be obtained: undecided, never valid) or ``unsupported`` (an entry
    type vcbadge does not validate).
    """

    path: str
    schema_id: str | None
    status: Status
    message: str
    issues: tuple[Issue, ...] = field(default=())


class SchemaValidator:
    """Validates documents with schemas from a :class:`SchemaCache` (``$ref`` included).

    ``SchemaValidator()`` knows no schema at all; :meth:`bundled` is the validator vcbadge's
    verifier and ``vcbadge validate`` use.
    """

    def __init__(self, cache: SchemaCache | None = None, *, max_issues: int = 50) -> None:
        self.cache = cache if cache is not None else SchemaCache()
        self.max_issues = max_issues
        # Rebuilt only when the cache changed (crawling every schema is costly).
        self._registry_state: tuple[int, Registry[Any]] | None = None
        self._checked: set[str] = set()
        self._prepared: dict[str, _Prepared] = {}
        self._prepared_lock = threading.Lock()

    @classmethod
    def bundled(
        cls,
        documents: Mapping[str, Mapping[str, Any]] | None = None,
        transport: Transport | None = None,
        *,
        max_issues: int = 50,
    ) -> SchemaValidator:
        """A validator with vcbadge's bundled schemas, ``documents`` and, optionally, a transport.

        The published OB 3.0, CLR 2.0 and W3C VC 2.0 schema URLs (the OB ``/schema/json-ld/``
        variants included) are always served from the bundle, offline and online: they are
        never fetched. ``documents`` (URL → JSON Schema) are served ahead of the bundle.
        ``transport`` is ``None`` for offline use; given (e.g. ``vcbadge.http.GuardedTransport``),
        any other schema a credential names, or a schema references, is fetched through it
        once and kept.

        A credential naming a schema that is neither given, bundled nor fetchable gets the
        status ``unavailable`` for that entry (the verifier's INDETERMINATE
        ``schema_unavailable``): nothing says whether the credential satisfies it, so it is
        neither valid nor invalid. Other checks still run and are reported.
        """
        return cls(SchemaCache.bundled(documents, transport=transport), max_issues=max_issues)

    def validate(self, document: Mapping[str, Any], schema_id: str) -> list[Issue]:
        """The schema failures of ``document`` (empty when it is valid), each at the instance
        path.

        Raises:
            SchemaUnavailable: the schema, or one it references, is not obtainable.
        """
        schema = self.cache.get(schema_id)
        registry = self._registry()
        # The bundled schemas are checked against their meta-schemas by vcbadge's tests and
        # pinned by digest; checking a 100 kB schema again costs more than validating.
        if schema_id not in self._checked and not self.cache.serves_from_bundle(schema_id):
            issues = validate_against(
                document, schema, registry=registry, max_issues=self.max_issues
            )
        else:
            prepared = self._prepared_for(schema_id, schema, registry)
            if prepared.compiled is not None and prepared.compiled.accepts(document):
                issues = []  # certainly valid (see vcbadge.schema.compiled)
            else:
                issues = _issues(prepared.validator, document, self.max_issues)
        self._checked.add(schema_id)
        return issues

    def _prepared_for(
        self, schema_id: str, schema: Mapping[str, Any], registry: Registry[Any]
    ) -> _Prepared:
        """The validator (and compiled check) of ``schema`` over ``registry``, built once:
        building them costs more than validating an ordinary credential. Both are immutable,
        so threads share them."""
        with self._prepared_lock:
            prepared = self._prepared.get(schema_id)
        if prepared is not None and prepared.schema is schema and prepared.registry is registry:
            return prepared
        cls = validators.validator_for(schema, default=validators.Draft201909Validator)
        prepared = _Prepared(
            schema=schema,
            registry=registry,
            validator=cls(schema, registry=registry or Registry()),
            # Online, a reference the compiled check follows could be fetched where jsonschema
            # would not follow it; there jsonschema alone validates.
            compiled=None if self.cache.online else CompiledSchema.compile(schema, registry),
        )
        with self._prepared_lock:
            self._prepared.pop(schema_id, None)
            while len(self._prepared) >= _PREPARED_KEPT:
                del self._prepared[next(iter(self._prepared))]
            self._prepared[schema_id] = prepared
        return prepared

    def check(self, document: Mapping[str, Any]) -> list[SchemaResult]:
        """One result per ``credentialSchema`` entry of ``document`` (none when it has none)."""
        entries = document.get("credentialSchema")
        if entries is None:
            return []
        many = isinstance(entries, list)
        results = []
        for index, entry in enumerate(entries if many else [entries]):
            path = pointer("credentialSchema", index) if many else pointer("credentialSchema")
            results.append(self._check_entry(document, entry, path))
        return results

    def _check_entry(self, document: Mapping[str, Any], entry: Any, path: str) -> SchemaResult:
        if not isinstance(entry, Mapping) or not isinstance(entry.get("id"), str):
            issue = Issue(path, "a credentialSchema entry needs an 'id' URL", "schema_invalid")
            return SchemaResult(path, None, "invalid", issue.message, (issue,))
        schema_id: str = entry["id"]
        kind = entry.get("type")
        if kind not in SCHEMA_TYPES:
            return SchemaResult(
                path,
                schema_id,
                "unsupported",
                f"credentialSchema type {kind!r} is not validated by vcbadge "
                f"(supported: {', '.join(sorted(SCHEMA_TYPES))})",
            )
        try:
            issues = self.validate(document, schema_id)
        except SchemaUnavailable as error:
            return SchemaResult(path, schema_id, "unavailable", error.message)
        if issues:
            more = f" (and {len(issues) - 1} more)" if len(issues) > 1 else ""
            return SchemaResult(
                path,
                schema_id,
                "invalid",
                f"does not validate against {schema_id}: {issues[0].message}{more}",
                tuple(issues),
            )
        return SchemaResult(path, schema_id, "valid", f"validates against {schema_id}")

    def ensure_valid(self, document: Mapping[str, Any]) -> None:
        """Raise ``SchemaError`` (every failure in ``issues``) if any entry is invalid, and
        ``SchemaUnavailable`` if a schema cannot be obtained."""
        for result in self.check(document):
            if result.status == "unavailable":
                raise SchemaUnavailable(result.message, path=result.path)
            if result.status == "invalid":
                first = result.issues[0]
                raise SchemaError(result.message, path=first.path, issues=result.issues)

    def _registry(self) -> Registry[Any]:
        if self._registry_state is not None and self._registry_state[0] == self.cache.version:
            return self._registry_state[1]
        self._checked.clear()
        resources = [
            (url, Resource.from_contents(schema, default_specification=DRAFT201909))
            for url, schema in self.cache.items()
        ]
        registry: Registry[Any] = Registry(retrieve=self._retrieve).with_resources(  # type: ignore[call-arg]
            resources
        )
        registry = registry.crawl()
        self._registry_state = (self.cache.version, registry)
        return registry

    def _retrieve(self, uri: str) -> Resource[Any]:
        # Called by referencing only for a $ref outside the registry: the same cache rules.
        try:
            schema = self.cache.get(uri)
        except SchemaUnavailable as error:
            raise NoSuchResource(ref=uri) from error  # type: ignore[call-arg]
        return Resource.from_contents(schema, default_specification=DRAFT201909)


def validate_against(
    document: Mapping[str, Any],
    schema: Mapping[str, Any],
    *,
    registry: Registry[Any] | None = None,
    max_issues: int = 50,
    check_schema: bool = True,
) -> list[Issue]:
    """The failures of ``document`` against ``schema`` (draft from ``$schema``, 2019-09 by
    default), each an ``Issue`` at the instance path, deepest first within a failure.

    ``check_schema=False`` skips checking ``schema`` against its meta-schema (for a schema
    already checked: that costs more than most validations).

    Raises:
        SchemaUnavailable: a ``$ref`` cannot be resolved from ``registry``.
        SchemaError: ``schema`` itself is not a valid JSON Schema (``schema_malformed``).
    """
    cls = validators.validator_for(schema, default=validators.Draft201909Validator)
    if check_schema:
        try:
            cls.check_schema(dict(schema))
        except JsonSchemaDefinitionError as error:
            raise SchemaError(
                f"the schema is not a valid JSON Schema: {error.message}", code="schema_malformed"
            ) from None
    return _issues(cls(schema, registry=registry or Registry()), document, max_issues)


@dataclass(frozen=True, kw_only=True)
class _Prepared:
    """A schema ready to validate with, over the registry it was built for."""

    schema: Mapping[str, Any]
    registry: Registry[Any]
    validator: Any  # a jsonschema Validator (its class depends on the schema's $schema)
    compiled: CompiledSchema | None


def _issues(validator: Any, document: Mapping[str, Any], max_issues: int) -> list[Issue]:
    """The failures ``validator`` finds in ``document``, at most ``max_issues``."""
    issues: list[Issue] = []
    try:
        for failure in validator.iter_errors(document):
            issues.append(_issue(failure))
            if len(issues) >= max_issues:
                break
    except Unresolvable as unresolvable:
        raise SchemaUnavailable(f"a schema reference cannot be resolved: {unresolvable}") from None
    return issues


def _issue(error: ValidationError) -> Issue:
    cause = _cause(error)
    where = pointer(*cause.absolute_path)
    message = cause.message
    if len(message) > _MAX_MESSAGE:
        message = message[: _MAX_MESSAGE - 1] + "…"
    return Issue(where, f"{message} (schema keyword {cause.validator!r})", "schema_invalid")


def _cause(error: ValidationError) -> ValidationError:
    """For a failed ``anyOf``/``oneOf`` (a value or an array of values, a string or a language
    map...), the failure inside the alternative that fits the value best: "'targetName' is a
    required property" at the array item says more than "[...] is not valid under any of the
    given schemas" at the array."""
    if error.validator not in ("anyOf", "oneOf") or not error.context:
        return error
    # The alternative that got deepest into the value fits it best; then one whose failure is
    # not a mere type mismatch (it was meant for this kind of value); then the first.
    causes = [_cause(inner) for inner in error.context]
    return max(causes, key=lambda cause: (len(cause.absolute_path), cause.validator != "type"))
