"""The badge page's words in more than one language, human dates, and OB 3.0 multilingual values.

The labels are plain tables (:data:`LABELS`), one per language, with the same keys: English
(``en``) and French (``fr``). A language the tables do not have falls back to English.

A credential's own text may come in several languages: Verifiable Credentials 2.0 (which OB 3.0
builds on) lets ``name``, ``description`` and other strings be JSON-LD value objects
``{"@value": ..., "@language": ...}``, or a list of them, one per language; an achievement or a
credential may also state the language of its content in ``inLanguage``. :func:`pick_text`
chooses the viewer's language when the value has it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

__all__ = ["LABELS", "LANGUAGES", "Text", "human_date", "labels", "parse_date", "pick_text"]

_EN: dict[str, str] = {
    "valid": "VALID",
    "invalid": "INVALID",
    "indeterminate": "INDETERMINATE",
    "unchecked": "NOT VERIFIED",
    "valid_sentence": "This badge is valid: its signature, issuer key and dates all check out.",
    "invalid_sentence": (
        "This badge is not valid: it failed verification. Do not rely on what it says."
    ),
    "indeterminate_sentence": (
        "This badge could not be verified: something needed to check it was not available."
    ),
    "unchecked_sentence": "No verification was run: nothing on this page has been checked.",
    "ob2_valid_sentence": (
        "This badge is valid: the issuer's hosted or signed assertion, the issuer and the dates "
        "all check out."
    ),
    "name_unverified": " But the issuer's name is not verified: see below.",
    "why": "Why",
    "reason_revoked": "Revoked by its issuer",
    "reason_suspended": "Suspended by its issuer",
    "reason_expired": "Expired",
    "reason_not_yet_valid": "Not yet valid",
    "reason_forged": "Forged or altered",
    "reason_untrusted": "Issuer not trusted",
    "reason_indeterminate": "Could not be checked",
    "reason_failed": "Failed a check",
    "reason_nested": "A credential inside it did not verify",
    "on": "on",
    "from": "valid only from",
    "stated_reason": "reason given",
    "check": "check",
    "untitled": "Untitled badge",
    "unreadable": "Unreadable credential",
    "unreadable_note": "The credential could not be read; see the checks below.",
    "badge_image": "Badge image",
    "no_image": "No image",
    "image_not_loaded": "Image not loaded (this page loads nothing from the network):",
    "criteria": "Criteria",
    "criteria_none": "None given.",
    "narrative": "Narrative",
    "more": "More",
    "achievement": "Achievement",
    "achievement_type": "Type",
    "field_of_study": "Field of study",
    "specialization": "Specialization",
    "credits_available": "Credits available",
    "human_code": "Code",
    "version_label": "Version",
    "language": "Language",
    "tags": "Tags",
    "other_languages": "Other language editions",
    "creator": "Created by",
    "alignments": "Alignments and skills",
    "results_expected": "How it is assessed",
    "result_type": "Result type",
    "required": "Required",
    "range": "Range",
    "levels": "Levels",
    "points": "points",
    "awarded_to": "Awarded to",
    "recipient": "Recipient",
    "results": "Results",
    "achieved_level": "Level achieved",
    "value": "Value",
    "status": "Status",
    "credits_earned": "Credits earned",
    "activity": "Activity",
    "activity_start": "Activity started",
    "activity_end": "Activity ended",
    "role": "Role",
    "term": "Term",
    "license_number": "Licence number",
    "subject_narrative": "Narrative",
    "evidence": "Evidence",
    "genre": "Genre",
    "audience": "Audience",
    "description": "Description",
    "issued_by": "Issued by",
    "issuer": "Issuer",
    "issuer_claimed": "Issuer (as the badge claims)",
    "issuer_id": "Issuer id",
    "issuer_website": "Issuer website",
    "email": "Email",
    "phone": "Phone",
    "address": "Address",
    "issuer_trust": "Issuer trust",
    "dates": "Dates",
    "valid_from": "Valid from",
    "valid_until": "Valid until",
    "issued": "Issued",
    "expires": "Expires",
    "awarded": "Awarded",
    "credential": "Credential",
    "credential_id": "Credential id",
    "format": "Format",
    "endorsements": "Endorsements",
    "endorsed_by": "Endorsed by",
    "comment": "Comment",
    "bundled": "Credentials in this record",
    "bundled_count": "credentials",
    "outcome_of_this": "This credential",
    "not_checked_here": "not checked",
    "verification": "Verification",
    "outcome": "Outcome",
    "checks": "checks",
    "not_verified": "Not verified.",
    "col_check": "Check",
    "col_code": "Code",
    "col_path": "Path",
    "col_message": "Message",
    "shown_by": "Shown by vcbadge",
    "checked_at": "checked at",
    "loads_nothing": "This page loads nothing from the network.",
    "trust_known": "Known issuer",
    "trust_domain_bound": "Issuer bound to a domain",
    "trust_self_asserted": "Issuer name not verified",
    "trust_unknown": "Issuer not identified",
    "trust_unconfirmed": "Issuer bound to a domain, name not confirmed",
    "trust_registry_record": "Registry record:",
    "trust_only_host": "Only whoever controls {host} can sign for this issuer.",
    "trust_anyone": (
        "This issuer is a key anyone can make: nothing ties the badge to an institution of that "
        "name."
    ),
    "trust_badge_failed": "The badge itself did not verify (see above): this says nothing for it.",
    "trust_registry_failed": "The registry {registry} could not answer:",
    "hashed": "a hashed {kind} (only someone who knows it can check it)",
    "id_emailAddress": "email address",
    "id_phone": "phone number",
    "id_sourcedId": "sourced id",
    "id_studentId": "student id",
    "id_systemId": "system id",
    "id_identifier": "identifier",
    "id_url": "URL",
    "id_telephone": "telephone number",
    "revoked": "Revoked",
    "yes": "yes",
    "assertion_id": "Assertion id",
    "badge_class": "Badge class",
    "not_loaded": "(not loaded)",
    "utc": "UTC",
}

_FR: dict[str, str] = {
    "valid": "VALIDE",
    "invalid": "NON VALIDE",
    "indeterminate": "INDÉTERMINÉ",
    "unchecked": "NON VÉRIFIÉ",
    "valid_sentence": (
        "Ce badge est valide : sa signature, la clé de l'émetteur et ses dates sont vérifiées."
    ),
    "invalid_sentence": (
        "Ce badge n'est pas valide : la vérification a échoué. Ne vous fiez pas à son contenu."
    ),
    "indeterminate_sentence": (
        "Ce badge n'a pas pu être vérifié : un élément nécessaire à la vérification manquait."
    ),
    "unchecked_sentence": "Aucune vérification n'a été faite : rien sur cette page n'est vérifié.",
    "ob2_valid_sentence": (
        "Ce badge est valide : l'assertion hébergée ou signée, l'émetteur et les dates sont "
        "vérifiés."
    ),
    "name_unverified": " Mais le nom de l'émetteur n'est pas vérifié : voir ci-dessous.",
    "why": "Pourquoi",
    "reason_revoked": "Révoqué par son émetteur",
    "reason_suspended": "Suspendu par son émetteur",
    "reason_expired": "Expiré",
    "reason_not_yet_valid": "Pas encore valide",
    "reason_forged": "Falsifié ou modifié",
    "reason_untrusted": "Émetteur non reconnu",
    "reason_indeterminate": "Vérification impossible",
    "reason_failed": "Échec d'une vérification",
    "reason_nested": "Un titre qu'il contient n'est pas valide",
    "on": "le",
    "from": "valide seulement à partir du",
    "stated_reason": "motif donné",
    "check": "vérification",
    "untitled": "Badge sans titre",
    "unreadable": "Titre illisible",
    "unreadable_note": "Le titre n'a pas pu être lu ; voir les vérifications ci-dessous.",
    "badge_image": "Image du badge",
    "no_image": "Pas d'image",
    "image_not_loaded": "Image non chargée (cette page ne charge rien depuis le réseau) :",
    "criteria": "Critères",
    "criteria_none": "Aucun.",
    "narrative": "Description",
    "more": "En savoir plus",
    "achievement": "Réussite",
    "achievement_type": "Type",
    "field_of_study": "Domaine d'études",
    "specialization": "Spécialisation",
    "credits_available": "Crédits possibles",
    "human_code": "Code",
    "version_label": "Version",
    "language": "Langue",
    "tags": "Mots-clés",
    "other_languages": "Éditions en d'autres langues",
    "creator": "Créé par",
    "alignments": "Alignements et compétences",
    "results_expected": "Mode d'évaluation",
    "result_type": "Type de résultat",
    "required": "Requis",
    "range": "Échelle",
    "levels": "Niveaux",
    "points": "points",
    "awarded_to": "Décerné à",
    "recipient": "Titulaire",
    "results": "Résultats",
    "achieved_level": "Niveau atteint",
    "value": "Valeur",
    "status": "Statut",
    "credits_earned": "Crédits obtenus",
    "activity": "Activité",
    "activity_start": "Début de l'activité",
    "activity_end": "Fin de l'activité",
    "role": "Rôle",
    "term": "Période",
    "license_number": "Numéro de licence",
    "subject_narrative": "Récit",
    "evidence": "Preuves",
    "genre": "Genre",
    "audience": "Public",
    "description": "Description",
    "issued_by": "Émis par",
    "issuer": "Émetteur",
    "issuer_claimed": "Émetteur (selon le badge)",
    "issuer_id": "Identifiant de l'émetteur",
    "issuer_website": "Site de l'émetteur",
    "email": "Courriel",
    "phone": "Téléphone",
    "address": "Adresse",
    "issuer_trust": "Confiance dans l'émetteur",
    "dates": "Dates",
    "valid_from": "Valide à partir du",
    "valid_until": "Valide jusqu'au",
    "issued": "Émis le",
    "expires": "Expire le",
    "awarded": "Décerné le",
    "credential": "Titre",
    "credential_id": "Identifiant du titre",
    "format": "Format",
    "endorsements": "Recommandations",
    "endorsed_by": "Recommandé par",
    "comment": "Commentaire",
    "bundled": "Titres de ce relevé",
    "bundled_count": "titres",
    "outcome_of_this": "Ce titre",
    "not_checked_here": "non vérifié",
    "verification": "Vérification",
    "outcome": "Résultat",
    "checks": "vérifications",
    "not_verified": "Non vérifié.",
    "col_check": "Vérification",
    "col_code": "Code",
    "col_path": "Chemin",
    "col_message": "Message",
    "shown_by": "Affiché par vcbadge",
    "checked_at": "vérifié le",
    "loads_nothing": "Cette page ne charge rien depuis le réseau.",
    "trust_known": "Émetteur reconnu",
    "trust_domain_bound": "Émetteur lié à un domaine",
    "trust_self_asserted": "Nom de l'émetteur non vérifié",
    "trust_unknown": "Émetteur non identifié",
    "trust_unconfirmed": "Émetteur lié à un domaine, nom non confirmé",
    "trust_registry_record": "Fiche du registre :",
    "trust_only_host": "Seul qui contrôle {host} peut signer pour cet émetteur.",
    "trust_anyone": (
        "Cet émetteur est une clé que n'importe qui peut créer : rien ne relie le badge à une "
        "institution de ce nom."
    ),
    "trust_badge_failed": (
        "Le badge lui-même n'a pas été vérifié (voir plus haut) : ceci ne le garantit pas."
    ),
    "trust_registry_failed": "Le registre {registry} n'a pas pu répondre :",
    "hashed": "un(e) {kind} haché(e) (seul qui le connaît peut le vérifier)",
    "id_emailAddress": "adresse électronique",
    "id_phone": "numéro de téléphone",
    "id_sourcedId": "identifiant source",
    "id_studentId": "numéro d'étudiant",
    "id_systemId": "identifiant système",
    "id_identifier": "identifiant",
    "id_url": "URL",
    "id_telephone": "numéro de téléphone",
    "revoked": "Révoqué",
    "yes": "oui",
    "assertion_id": "Identifiant de l'assertion",
    "badge_class": "Classe de badge",
    "not_loaded": "(non chargée)",
    "utc": "UTC",
}

#: The page's labels, per language (BCP 47 primary tag); every table has the same keys.
LABELS: Mapping[str, Mapping[str, str]] = {"en": _EN, "fr": _FR}
#: The languages the page can be shown in.
LANGUAGES = tuple(LABELS)

_MONTHS = {
    "en": (
        "January", "February", "March", "April", "May", "June", "July", "August", "September",
        "October", "November", "December",
    ),
    "fr": (
        "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
        "octobre", "novembre", "décembre",
    ),
}  # fmt: skip


def primary(lang: str) -> str:
    """The primary language subtag of a BCP 47 tag, lower case (``fr-CA`` → ``fr``)."""
    return lang.split("-", 1)[0].strip().lower()


def labels(lang: str) -> Mapping[str, str]:
    """The label table for ``lang`` (``fr``, ``fr-CA``...), English when there is none."""
    return LABELS.get(primary(lang), _EN)


_DATE_ONLY = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_date(value: str) -> datetime | None:
    """An XML Schema dateTime (or a plain date) as a datetime; None when it is not one."""
    text = value.strip()
    if _DATE_ONLY.fullmatch(text):
        text += "T00:00:00"
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def human_date(value: str, lang: str) -> str:
    """``value`` as people read it in ``lang`` ("31 January 2025, 12:00 UTC"): the date and
    time as written (in the offset the issuer wrote), never converted; ``value`` itself when it
    is not a date."""
    moment = parse_date(value)
    if moment is None:
        return value
    months = _MONTHS.get(primary(lang), _MONTHS["en"])
    day = f"{moment.day} {months[moment.month - 1]} {moment.year}"
    if _DATE_ONLY.fullmatch(value.strip()):
        return day
    offset = moment.utcoffset()
    if offset is None:
        zone = ""
    elif offset == timedelta(0):
        zone = " " + labels(lang)["utc"]
    else:
        minutes = int(offset.total_seconds()) // 60
        sign = "+" if minutes >= 0 else "-"
        zone = f" {labels(lang)['utc']}{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    return f"{day}, {moment.hour:02d}:{moment.minute:02d}{zone}"


@dataclass(frozen=True)
class Text:
    """A string from a credential and the language it is in (None when not stated)."""

    value: str
    language: str | None = None


def _candidates(value: Any, default_language: str | None) -> list[Text]:
    items = value if isinstance(value, list) else [value]
    found = []
    for item in items:
        if isinstance(item, str) and item.strip():
            found.append(Text(item, default_language))
        elif isinstance(item, Mapping):
            text = item.get("@value")
            language = item.get("@language")
            if isinstance(text, str) and text.strip():
                found.append(Text(text, language if isinstance(language, str) else None))
    return found


def pick_text(value: Any, lang: str, *, in_language: Any = None) -> Text | None:
    """The text of ``value`` to show a viewer reading ``lang``: a plain string, a JSON-LD value
    object ``{"@value", "@language"}`` or a list of those (one per language). Prefers the exact
    language tag, then the same primary language, then the first text given. A plain string
    is in ``in_language`` (the object's ``inLanguage``) when that is stated."""
    default = in_language if isinstance(in_language, str) and in_language.strip() else None
    found = _candidates(value, default)
    if not found:
        return None
    wanted = lang.lower()
    for text in found:
        if text.language is not None and text.language.lower() == wanted:
            return text
    for text in found:
        if text.language is not None and primary(text.language) == primary(lang):
            return text
    return found[0]
