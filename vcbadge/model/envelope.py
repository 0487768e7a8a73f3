"""The Verifiable Credential envelope (VC 2.0 by default, VC 1.1 on request) and the
``@context`` list a credential needs for what it uses.

A context list that misses a definition is a real interop trap: ``credentialSchema`` of type
``1EdTechJsonSchemaValidator2019``, ``1EdTechRevocationList`` and ``1EdTechCredentialRefresh``
are defined only by the OB extensions context, and a strict (safe-mode) canonicalizer refuses a
credential that uses them without it (``undefined_term``).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any, ClassVar, Literal

from pydantic import Field, PrivateAttr

from vcbadge.model.base import (
    URI,
    ContextEntry,
    DateTimeStamp,
    OBModel,
    OneOrMany,
    as_list,
)
from vcbadge.model.common import Image
from vcbadge.model.profile import ProfileRef

__all__ = [
    "CLR_CONTEXT",
    "EXTENSION_TYPES",
    "OB_CONTEXT",
    "OB_EXTENSIONS_CONTEXT",
    "VC_V1_CONTEXT",
    "VC_V2_CONTEXT",
    "Credential",
    "CredentialSchema",
    "CredentialStatus",
    "DataModel",
    "Evidence",
    "Proof",
    "RefreshService",
    "TermsOfUse",
    "data_model_of",
    "required_contexts",
]

VC_V2_CONTEXT = "https://www.w3.org/ns/credentials/v2"
VC_V1_CONTEXT = "https://www.w3.org/2018/credentials/v1"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
OB_EXTENSIONS_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/extensions.json"
CLR_CONTEXT = "https://purl.imsglobal.org/spec/clr/v2p0/context-2.0.1.json"

EXTENSION_TYPES: Mapping[str, str] = {
    "credentialSchema": "1EdTechJsonSchemaValidator2019",
    "credentialStatus": "1EdTechRevocationList",
    "refreshService": "1EdTechCredentialRefresh",
}
"""Member → the type value of it that only the OB extensions context defines."""

DataModel = Literal["2.0", "1.1"]


def data_model_of(document: Mapping[str, Any]) -> DataModel | None:
    """``"2.0"`` or ``"1.1"`` from the first ``@context``; None when it is neither."""
    contexts = document.get("@context")
    first = contexts[0] if isinstance(contexts, list) and contexts else contexts
    if first == VC_V2_CONTEXT:
        return "2.0"
    if first == VC_V1_CONTEXT:
        return "1.1"
    return None


def uses_extensions(document: Mapping[str, Any]) -> bool:
    """Whether the credential uses a type only the OB extensions context defines."""
    for member, extension_type in EXTENSION_TYPES.items():
        for entry in as_list(document.get(member)):
            if isinstance(entry, Mapping) and extension_type in as_list(entry.get("type")):
                return True
    return False


def required_contexts(document: Mapping[str, Any], data_model: DataModel = "2.0") -> list[str]:
    """The ``@context`` list for ``document``: the VC base context, the CLR context for a
    ClrCredential, the OB context, and the OB extensions when the credential uses them."""
    contexts = [VC_V2_CONTEXT if data_model == "2.0" else VC_V1_CONTEXT]
    if "ClrCredential" in as_list(document.get("type")):
        contexts.append(CLR_CONTEXT)
    contexts.append(OB_CONTEXT)
    if uses_extensions(document):
        contexts.append(OB_EXTENSIONS_CONTEXT)
    return contexts


class CredentialSchema(OBModel):
    """A JSON Schema the credential claims to satisfy (``1EdTechJsonSchemaValidator2019``)."""

    id: URI
    type: OneOrMany[str] = "1EdTechJsonSchemaValidator2019"


class CredentialStatus(OBModel):
    """Where to check whether the credential was revoked or suspended."""

    id: URI | None = None
    type: OneOrMany[str]


class RefreshService(OBModel):
    """Where a fresher copy of the credential can be obtained."""

    id: URI
    type: OneOrMany[str] = "1EdTechCredentialRefresh"


class TermsOfUse(OBModel):
    """Terms of use the issuer attaches to the credential."""

    id: URI | None = None
    type: OneOrMany[str]


class Evidence(OBModel):
    """Evidence of the achievement: a portfolio, a project, an assessment submission..."""

    id: URI | None = None
    type: OneOrMany[str] = Field(default_factory=lambda: ["Evidence"])
    narrative: str | None = None
    name: str | None = None
    description: str | None = None
    genre: str | None = None
    audience: str | None = None


class Proof(OBModel):
    """An embedded proof (e.g. a Data Integrity ``eddsa-rdfc-2022`` proof). Read only: vcbadge
    verifies proofs over the received JSON, never over this model."""

    type: OneOrMany[str]
    created: str | None = None
    cryptosuite: str | None = None
    challenge: str | None = None
    domain: str | None = None
    nonce: str | None = None
    proof_purpose: str | None = None
    proof_value: str | None = None
    verification_method: str | None = None


class Credential(OBModel):
    """The members every OB/CLR credential shares (a VC 2.0 or VC 1.1 envelope).

    ``@context`` left unset is computed when the credential is written out: the base context of
    the data model, the CLR and OB contexts, and the OB extensions context when a member needs
    it. An explicit context is written as given.
    """

    _also_required_on_input: ClassVar[tuple[str, ...]] = ("@context",)
    _default_types: ClassVar[tuple[str, ...]] = ("VerifiableCredential",)

    context: OneOrMany[ContextEntry] | None = Field(default=None, alias="@context")
    id: URI = Field(default_factory=lambda: f"urn:uuid:{uuid.uuid4()}")
    type: OneOrMany[str] = Field(default_factory=lambda: ["VerifiableCredential"])
    name: str | None = None
    description: str | None = None
    image: Image | None = None
    issuer: ProfileRef | None = None
    valid_from: DateTimeStamp | None = None
    valid_until: DateTimeStamp | None = None
    issuance_date: DateTimeStamp | None = None
    expiration_date: DateTimeStamp | None = None
    awarded_date: DateTimeStamp | None = None
    credential_schema: OneOrMany[CredentialSchema] | None = None
    credential_status: OneOrMany[CredentialStatus] | None = None
    refresh_service: OneOrMany[RefreshService] | None = None
    terms_of_use: OneOrMany[TermsOfUse] | None = None
    evidence: OneOrMany[Evidence] | None = None
    proof: OneOrMany[Proof] | None = None

    _data_model: DataModel = PrivateAttr(default="2.0")

    @property
    def data_model(self) -> DataModel:
        """``"2.0"`` or ``"1.1"``: from the ``@context`` when set, else as built."""
        if self.context is not None:
            found = data_model_of({"@context": self.context})
            if found is not None:
                return found
        return self._data_model

    def use_data_model(self, data_model: DataModel) -> None:
        """Build a VC 1.1 credential (``issuanceDate``, the 2018 context) instead of VC 2.0.

        Only for a credential whose ``@context`` is computed; VC 1.1 exists for verifiers
        that do not read VC 2.0 yet.
        """
        if data_model not in ("2.0", "1.1"):
            raise ValueError(f"unknown VC data model {data_model!r} (2.0 or 1.1)")
        self._data_model = data_model

    @property
    def types(self) -> list[str]:
        """``type`` as a list."""
        return as_list(self.type)

    def _finish_json(self, data: dict[str, Any]) -> dict[str, Any]:
        data = super()._finish_json(data)
        if self.context is None and "@context" not in data and "context" not in data:
            data = {"@context": required_contexts(data, self._data_model), **data}
        return data
