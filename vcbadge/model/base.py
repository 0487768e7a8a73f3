"""The base of every model class: camelCase JSON, unknown members kept, ``None`` omitted.

Also the value types the Open Badges 3.0 data model is written in (URI, DateTime, Number...)
and the conversion of pydantic errors into ``Issue`` objects with exact JSON pointers.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Annotated, Any, ClassVar, NoReturn, TypeVar, Union

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    PlainValidator,
    SerializerFunctionWrapHandler,
    Tag,
    ValidationError,
    ValidationInfo,
    model_serializer,
    model_validator,
)

# pydantic's metaclass, named so that type checkers see the model classes' real metaclass
# (pydantic < 3 is pinned; the name has been stable through 2.x).
from pydantic._internal._model_construction import ModelMetaclass
from pydantic.alias_generators import to_camel
from pydantic_core import ErrorDetails

from vcbadge._json import pointer
from vcbadge._time import parse_datetime
from vcbadge.errors import Issue, ModelError
from vcbadge.model.rules import check

__all__ = [
    "URI",
    "ContextEntry",
    "Date",
    "DateTime",
    "DateTimeStamp",
    "IriOr",
    "Issue",
    "JsonObject",
    "Number",
    "OBModel",
    "OneOrMany",
    "as_list",
    "issues_from_validation_error",
    "raise_issues",
    "types_default",
]

_Model = TypeVar("_Model", bound="OBModel")
T = TypeVar("T")

# Tags of the unions below. Pydantic puts a union's tag into the error location; these are
# stripped again when a location becomes a JSON pointer, so they must not look like members.
_ONE, _MANY, _IRI, _OBJECT = "<one>", "<many>", "<iri>", "<object>"
_TAGS = frozenset({_ONE, _MANY, _IRI, _OBJECT})


class _Absent:
    """Stands in for a member that has a builder default but is missing from parsed input."""

    def __repr__(self) -> str:
        return "<absent>"


_ABSENT = _Absent()
_INPUT = "vcbadge.input"


def _one_or_many(value: Any) -> str:
    return _MANY if isinstance(value, list) else _ONE


OneOrMany = Annotated[
    Union[Annotated[T, Tag(_ONE)], Annotated[list[T], Tag(_MANY)]],  # noqa: UP007
    Discriminator(_one_or_many),
]
"""A single value or an array of them: JSON-LD compaction lets a one-element array be written as
the element alone, and the published OB 3.0 schemas accept both. The form received is kept, so a
credential round-trips unchanged."""


def _iri_or_object(value: Any) -> str:
    return _IRI if isinstance(value, str) else _OBJECT


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# ISO 8601 as OB 3.0's DateTime uses it: the time zone is recommended, not required.
_DATETIME = re.compile(r"^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$")


def _check_uri(value: str) -> str:
    if not _SCHEME.match(value) or any(c.isspace() for c in value):
        raise ValueError(f"{value!r} is not an absolute URI (it needs a scheme such as https:)")
    return value


def _check_datetime_stamp(value: str) -> str:
    parse_datetime(value)
    return value


def _check_datetime(value: str) -> str:
    if not _DATETIME.match(value):
        raise ValueError(f"{value!r} is not an ISO 8601 date-time (YYYY-MM-DDThh:mm:ss)")
    return value


def _check_date(value: str) -> str:
    if not _DATE.match(value):
        raise ValueError(f"{value!r} is not a date (YYYY-MM-DD)")
    return value


def _number(value: Any) -> int | float:
    # bool is an int in Python but not a number in JSON.
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError("Input should be a number")
    return value


def _context_entry(value: Any) -> str | dict[str, Any]:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return value
    raise ValueError("a @context entry must be a URL or an object")


def _json_object(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError("Input should be a JSON object")
    return value


URI = Annotated[str, AfterValidator(_check_uri)]
"""An absolute URI (a URL, a DID, ``urn:uuid:``...)."""
DateTimeStamp = Annotated[str, AfterValidator(_check_datetime_stamp)]
"""An XML Schema dateTimeStamp: a date-time with a mandatory time zone (``validFrom``...)."""
DateTime = Annotated[str, AfterValidator(_check_datetime)]
"""An ISO 8601 date-time; the time zone is optional (``activityStartDate``...)."""
Date = Annotated[str, AfterValidator(_check_date)]
"""A calendar date, ``YYYY-MM-DD``."""
Number = Annotated[Union[int, float], PlainValidator(_number)]  # noqa: UP007
"""A JSON number: an ``int`` stays an ``int`` (``3`` is not rewritten as ``3.0``)."""
ContextEntry = Annotated[Union[str, dict[str, Any]], PlainValidator(_context_entry)]  # noqa: UP007
"""A ``@context`` entry: a URL or an inline context object."""
JsonObject = Annotated[dict[str, Any], PlainValidator(_json_object)]
"""A JSON object carried unchanged (e.g. a signed credential nested in a CLR)."""

IriOr = Annotated[
    Union[Annotated[URI, Tag(_IRI)], Annotated[T, Tag(_OBJECT)]],  # noqa: UP007
    Discriminator(_iri_or_object),
]
"""An IRI reference or the embedded object, e.g. ``issuer``: a URL or a ``Profile``."""


def as_list(value: T | list[T] | None) -> list[T]:
    """A ``OneOrMany`` value as a list (``[]`` for ``None``)."""
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def types_default(*types: str) -> Any:
    """The default of a ``type`` member: a new list of ``types`` for every object built."""
    return Field(default_factory=lambda: list(types))


# pydantic's machinery, as dir() of a model class lists it: help() and pydoc show every
# name dir() gives, and these are ~480 lines per class that say nothing about Open Badges.
# They stay available (Image.model_json_schema() works); only the listing leaves them out.
_PYDANTIC_MEMBERS = frozenset(dir(BaseModel)) | {
    "model_config",
    "__class_vars__",
    "__private_attributes__",
    "__signature__",
    "__abstractmethods__",
    "__annotations__",
    "__weakref__",
}


class _ModelType(ModelMetaclass):
    """The metaclass of the model classes: pydantic's, with a ``dir()`` of the class that
    lists what the class and vcbadge define, not pydantic's members."""

    def __dir__(cls) -> list[str]:  # noqa: N805 - a metaclass method: its instance is a class
        ours: set[str] = set()
        for klass in cls.__mro__:
            if klass is BaseModel:
                break
            ours.update(vars(klass))
        return sorted(
            name
            for name in super().__dir__()
            if not name.startswith("__pydantic")
            and (name not in _PYDANTIC_MEMBERS or (name in ours and not name.startswith("__")))
        )


class OBModel(BaseModel, metaclass=_ModelType):
    """Pydantic model with the JSON conventions of Open Badges 3.0.

    Unknown members are kept and written back unchanged, so a credential read from JSON
    round-trips without loss (proofs are verified over the received JSON, never over a model).
    JSON types are strict: a number where a string belongs is an error, never converted.
    Members the model knows but that are ``None`` are left out of the JSON.
    """

    model_config = ConfigDict(
        extra="allow",
        strict=True,
        validate_by_name=True,
        validate_by_alias=True,
        alias_generator=to_camel,
        validate_assignment=True,
    )

    _declared_keys: ClassVar[frozenset[str]] = frozenset()
    _required_on_input: ClassVar[frozenset[str]] = frozenset()
    _also_required_on_input: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        keys: set[str] = set()
        required: set[str] = set(cls._also_required_on_input)
        for name, info in cls.model_fields.items():
            keys.add(name)
            if info.alias:
                keys.add(info.alias)
            # A member with a builder default (type, id) is one the spec requires: the
            # default helps build objects, it must never fill a gap in received JSON.
            if info.default_factory is not None or info.get_default() is not None:
                required.add(info.alias or name)
        cls._declared_keys = frozenset(keys)
        cls._required_on_input = frozenset(required)

    @model_validator(mode="before")
    @classmethod
    def _defaults_only_for_builders(cls, data: Any, info: ValidationInfo) -> Any:
        if info.context and info.context.get(_INPUT) and isinstance(data, dict):
            missing = [key for key in cls._required_on_input if key not in data]
            if missing:
                # Validation of the stand-in fails at the member's own location, so the
                # problem is reported with its exact JSON pointer.
                data = {**data, **dict.fromkeys(missing, _ABSENT)}
        return data

    @model_serializer(mode="wrap")
    def _serialize(self, handler: SerializerFunctionWrapHandler) -> Any:
        data = handler(self)
        return self._finish_json(data) if isinstance(data, dict) else data

    def _finish_json(self, data: dict[str, Any]) -> dict[str, Any]:
        # Only declared members are dropped when None: an unknown member that is null in the
        # input is data and goes back out as null.
        return {
            key: value
            for key, value in data.items()
            if value is not None or key not in self._declared_keys
        }

    def to_json(self) -> dict[str, Any]:
        """The JSON object (camelCase members, ``None`` fields left out, unknown members kept)."""
        result: dict[str, Any] = self.model_dump(mode="json", by_alias=True)
        return result

    @classmethod
    def from_json(cls: type[_Model], data: Mapping[str, Any]) -> _Model:
        """Parse a JSON object.

        Checks JSON types strictly, required members and the formats of URIs and dates.
        Problems raise ``ModelError`` whose ``issues`` list every problem with its JSON
        pointer (``path`` and the message are those of the first). The spec's rules about
        values (``type`` must include ``Achievement``...) are checked by ``validate()``.
        """
        if not isinstance(data, Mapping):
            raise ModelError(f"{cls.__name__}: expected a JSON object", path="")
        try:
            # by_name=False: a member spelled like a Python attribute ("valid_from") is an
            # unknown member, not the field, so it round-trips under its own name.
            return cls.model_validate(
                dict(data), by_alias=True, by_name=False, context={_INPUT: True}
            )
        except ValidationError as exc:
            raise_issues(cls.__name__, issues_from_validation_error(exc))

    def issues(self) -> list[Issue]:
        """What the spec's MUST rules find wrong with this object's JSON (empty if nothing)."""
        return check(self.to_json(), kind=type(self).__name__)

    def ensure_valid(self) -> None:
        """Raise ``ModelError`` (every problem in ``issues``) unless the spec's rules hold."""
        found = self.issues()
        if found:
            raise_issues(type(self).__name__, found)


def issues_from_validation_error(exc: ValidationError, base: str = "") -> list[Issue]:
    """One ``Issue`` per pydantic error, located by a JSON pointer into the input."""
    return [_issue(error, base) for error in exc.errors(include_url=False)]


def _issue(error: ErrorDetails, base: str) -> Issue:
    parts = [part for part in error["loc"] if part not in _TAGS]
    message = error["msg"]
    if message.startswith("Value error, "):
        message = message[len("Value error, ") :]
    if error["type"] == "missing" or error.get("input") is _ABSENT:
        message = f"{parts[-1]!s} is required" if parts else "required"
    return Issue(base + pointer(*parts), message, "model_invalid")


def raise_issues(what: str, issues: Sequence[Issue]) -> NoReturn:
    """Raise ``ModelError`` for ``issues`` (path and message of the first, all in ``issues``)."""
    first = issues[0]
    more = f" (and {len(issues) - 1} more)" if len(issues) > 1 else ""
    raise ModelError(f"{what}: {first.message}{more}", path=first.path, issues=issues)
