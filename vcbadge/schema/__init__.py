"""JSON Schema validation of a credential's ``credentialSchema`` entries.

Entries of type ``1EdTechJsonSchemaValidator2019`` (OB 3.0 / CLR 2.0) and ``JsonSchema`` (VC 2.0)
name a JSON Schema by URL. vcbadge bundles its own schemas for every published OB 3.0, CLR 2.0
and W3C VC 2.0 schema URL (:mod:`vcbadge.schema.bundled`), so the schemas nearly every badge
names are checked offline. Other schemas come from the caller (a mapping URL → schema, or a
directory), or, only when the caller hands over a transport, from the network. ``$ref``
resolution goes through the same cache (``referencing`` with retrieval limited to it), so a
schema cannot pull anything in behind the caller's back.

A schema that cannot be obtained makes its entry ``unavailable`` (the verifier reports
INDETERMINATE ``schema_unavailable``), never valid.

>>> validator = SchemaValidator.bundled()                          # offline
>>> validator.check(credential)                                    # doctest: +SKIP
[SchemaResult(path='/credentialSchema/0', schema_id='https://...', status='valid', ...)]
>>> SchemaValidator.bundled(transport=GuardedTransport())          # doctest: +SKIP
"""

from vcbadge.schema.bundled import BundledSchema, bundled_schemas, load_bundled_schema
from vcbadge.schema.cache import (
    SCHEMA_MEDIA_TYPES,
    SchemaCache,
    SchemaTransport,
    SchemaUnavailable,
)
from vcbadge.schema.validator import (
    SCHEMA_TYPES,
    SchemaResult,
    SchemaValidator,
    validate_against,
)

__all__ = [
    "SCHEMA_MEDIA_TYPES",
    "SCHEMA_TYPES",
    "BundledSchema",
    "SchemaCache",
    "SchemaResult",
    "SchemaTransport",
    "SchemaUnavailable",
    "SchemaValidator",
    "bundled_schemas",
    "load_bundled_schema",
    "validate_against",
]
