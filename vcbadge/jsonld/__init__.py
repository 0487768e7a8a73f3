"""vcbadge.jsonld."""
