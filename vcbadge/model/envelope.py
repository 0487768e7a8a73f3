"""The Verifiable Credential envelope (VC 2.0 by default, VC 1.1 on request), the ``@context``
list a credential needs for what it uses, and the classes the envelope and each other refer
to: the ``Profile`` that issues a credential carries endorsements (``EndorsementCredential``),
whose issuer is a Profile again, so they are one group and live in one module.

A context list that misses a definition is a real interop trap: ``credentialSchema`` of type
``1EdTechJsonSchemaValidator2019``, ``1EdTechRevocationList`` and ``1EdTechCredentialRefresh``
are defined only by the OB extensions context, and a strict (safe-mode) canonicalizer refuses a
credential that uses them without it (``undefined_term``).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any, ClassVar, Literal

from pydantic import Field, PrivateAttr

from vcbadge._time import format_datetime
from vcbadge.model.base import (
    URI,
    ContextEntry,
    Date,
    DateTimeStamp,
    IriOr,
    OBModel,
    OneOrMany,
    as_list,
    types_default,
)
from vcbadge.model.common import Address, IdentifierEntry, Image
from vcbadge.model.vocabulary import (
    CLR_CONTEXT,
    EXTENSION_TYPES,
    OB_CONTEXT,
    OB_EXTENSIONS_CONTEXT,
    VC_V1_CONTEXT,
    VC_V2_CONTEXT,
    uses_extensions,
)
from vcbadge.vcdm import data_model_version

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
    "EndorsementCredential",
    "EndorsementSubject",
    "Evidence",
    "Profile",
    "ProfileRef",
    "Proof",
    "RefreshService",
    "TermsOfUse",
    "data_model_of",
    "required_contexts",
]


DataModel = Literal["2.0", "1.1"]


def data_model_of(document: Mapping[str, Any]) -> DataModel | None:
    """``"2.0"`` or ``"1.1"`` from the first ``@context``; None when it is neither."""
    version = data_model_version(document)
    return "2.0" if version == "2.0" else "1.1" if version == "1.1" else None


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
    type: OneOrMany[str] = types_default("Evidence")
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


class Profile(OBModel):
    """A person or organization; as ``issuer`` its ``id`` is the URL or DID whose controller
    signs the credential."""

    id: URI
    type: OneOrMany[str] = types_default("Profile")
    name: str | None = None
    url: URI | None = None
    phone: str | None = None
    description: str | None = None
    endorsement: OneOrMany[EndorsementCredential] | None = None
    endorsement_jwt: OneOrMany[str] | None = None
    image: Image | None = None
    email: str | None = None
    address: Address | None = None
    other_identifier: OneOrMany[IdentifierEntry] | None = None
    official: str | None = None
    parent_org: Profile | None = None
    family_name: str | None = None
    given_name: str | None = None
    additional_name: str | None = None
    patronymic_name: str | None = None
    honorific_prefix: str | None = None
    honorific_suffix: str | None = None
    family_name_prefix: str | None = None
    date_of_birth: Date | None = None


ProfileRef = IriOr[Profile]
"""``issuer``/``creator`` style reference: the profile's URL or DID, or the profile itself."""


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
    type: OneOrMany[str] = types_default("VerifiableCredential")
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


class EndorsementSubject(OBModel):
    """What is endorsed (an achievement, a profile, a credential) and the endorser's comment."""

    id: URI
    type: OneOrMany[str] = types_default("EndorsementSubject")
    endorsement_comment: str | None = None


class EndorsementCredential(Credential):
    """A third party's endorsement of an achievement, a profile or a credential."""

    type: OneOrMany[str] = types_default("VerifiableCredential", "EndorsementCredential")
    credential_subject: EndorsementSubject

    @classmethod
    def endorse(
        cls,
        subject_id: str,
        *,
        name: str,
        comment: str | None = None,
        description: str | None = None,
        valid_from: datetime | None = None,
        valid_until: datetime | None = None,
        **extra: Any,
    ) -> EndorsementCredential:
        """Endorse the achievement, profile or credential whose ``id`` is ``subject_id``.

        ``issuer`` (the endorser) and ``validFrom`` are filled in by ``Issuer.issue``.
        """
        return cls(
            name=name,
            description=description,
            credential_subject=EndorsementSubject(id=subject_id, endorsement_comment=comment),
            valid_from=format_datetime(valid_from) if valid_from else None,
            valid_until=format_datetime(valid_until) if valid_until else None,
            **extra,
        )


# A Profile's endorsements are defined after it (an endorsement's issuer is a Profile).
Profile.model_rebuild()
