"""vcbadge.proofs."""
