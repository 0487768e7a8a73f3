"""JSON Schema validation of a credential's ``credentialSchema`` entries.

Entries of type ``1EdTechJsonSchemaValidator2019`` (OB 3.0 / CLR 2.0) and ``JsonSchema`` (VC 2.0)
name a JSON Schema by URL. Schemas are never fetched silently: they come from a
:class:`SchemaCache` the caller seeds (a directory of schema files or a mapping ``$id`` →
schema), or through a transport the caller hands over *and* explicitly allows
(``allow_network=True``). ``$ref`` resolution goes through the same cache (``referencing``
with retrieval limited to it), so a schema cannot pull anything in behind the caller's back.

>>> cache = SchemaCache.from_directory("schemas/")                 # doctest: +SKIP
>>> SchemaValidator(cache).check(credential)                       # doctest: +SKIP
[SchemaResult(path='/credentialSchema/0', schema_id='https://...', status='valid', ...)]
"""

from vcbadge.schema.cache import SchemaCache, SchemaTransport, SchemaUnavailable
from vcbadge.schema.validator import (
    SCHEMA_TYPES,
    SchemaResult,
    SchemaValidator,
    validate_against,
)

__all__ = [
    "SCHEMA_TYPES",
    "SchemaCache",
    "SchemaResult",
    "SchemaTransport",
    "SchemaUnavailable",
    "SchemaValidator",
    "validate_against",
]
