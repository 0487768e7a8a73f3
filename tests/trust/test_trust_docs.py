"""Every code the trust registries can report is documented, in the trust model page and in
the verification policy (tests/test_docs.py scans the verification modules, not vcbadge/trust)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CODES = sorted(
    {
        code
        for source in sorted((ROOT / "vcbadge" / "trust").glob("*.py"))
        for code in re.findall(r'code="([a-z_]+)"', source.read_text(encoding="utf-8"))
    }
)


def test_the_trust_package_has_codes():
    assert "trust_registry_malformed" in CODES
    assert "federation_key_unknown" in CODES


@pytest.mark.parametrize("page", ["trust-model.md", "verification-policy.md"])
def test_every_trust_code_is_documented(page):
    text = (ROOT / "docs" / page).read_text(encoding="utf-8")
    missing = [code for code in CODES if f"`{code}`" not in text]
    assert not missing, f"docs/{page} does not mention {missing}"


def test_the_trust_model_page_is_linked_from_the_index():
    assert "(trust-model.md)" in (ROOT / "docs" / "index.md").read_text(encoding="utf-8")
