"""Verifying credentials: policy, pipeline, result."""

from vcbadge.verify.policy import Policy, UnsafePolicyWarning
from vcbadge.verify.result import Check, Outcome, VerificationResult
from vcbadge.verify.verifier import Verifier

__all__ = ["Check", "Outcome", "Policy", "UnsafePolicyWarning", "VerificationResult", "Verifier"]
