"""The base of every model class: camelCase JSON, unknown members kept, ``None`` omitted."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic.alias_generators import to_camel

from vcbadge.errors import ModelError

__all__ = ["OBModel"]

_Model = TypeVar("_Model", bound="OBModel")


class OBModel(BaseModel):
    """Pydantic model with the JSON conventions of Open Badges 3.0.

    Unknown members are kept and written back unchanged, so a credential read from JSON
    round-trips without loss (proofs are verified over the received JSON, never over a model).
    """

    model_config = ConfigDict(
        extra="allow",
        populate_by_name=True,
        alias_generator=to_camel,
        validate_assignment=True,
    )

    def to_json(self) -> dict[str, Any]:
        """The JSON object (camelCase members, ``None`` fields left out)."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)

    @classmethod
    def from_json(cls: type[_Model], data: Mapping[str, Any]) -> _Model:
        """Parse a JSON object; problems raise ``ModelError`` with the JSON pointer of the first."""
        try:
            return cls.model_validate(dict(data))
        except ValidationError as exc:
            first = exc.errors()[0]
            path = "".join(f"/{part}" for part in first["loc"])
            raise ModelError(
                f"{cls.__name__}: {first['msg']} ({len(exc.errors())} problem(s))", path=path
            ) from exc
