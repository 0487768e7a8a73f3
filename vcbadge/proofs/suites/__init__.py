"""One module per cryptosuite; ``vcbadge.proofs.registry`` says which are known and allowed."""
