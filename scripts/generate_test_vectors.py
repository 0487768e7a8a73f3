"""Rebuild test_vectors/ deterministically (fixed seeds, fixed times, fixed ids).

Run ``.venv/bin/python scripts/generate_test_vectors.py`` after changing a vector; a test proves
the checked-in files equal what this script builds. The builders live in ``scripts/vectors/``,
one module per feature (Data Integrity suites, JOSE, presentations, status, canonicalization,
resolution, baking).

Every case is self-describing JSON: ``id``, ``description``, ``spec`` (section URL), ``type``
(``sign``, ``verify``, ``status``, ``canonicalize``, ``resolve`` or ``bake``), ``keys``,
``documents`` (what a static resolver serves, by DID or URL), ``input``, ``expected``, ``at``
(the verification time) and ``version``. ``manifest.json`` lists every case with its sha256.
test_vectors/README.md describes the format for consumers.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from vectors import VERSION, build_cases

ROOT = Path(__file__).resolve().parents[1] / "test_vectors"


def render(case: Any) -> bytes:
    return (json.dumps(case, indent=2, ensure_ascii=False, sort_keys=False) + "\n").encode()


def build_files() -> dict[str, bytes]:
    """Relative path → file bytes, manifest included."""
    files = {path: render(case) for path, case in sorted(build_cases().items())}
    manifest = {
        "description": "vcbadge test vectors: self-describing cases (see each file's "
        "description and spec, and README.md). Verify and status cases name the expected "
        "outcome and the codes of the checks that did not pass, in order.",
        "version": VERSION,
        "cases": [
            {
                "file": path,
                "id": json.loads(data)["id"],
                "type": json.loads(data)["type"],
                "sha256": hashlib.sha256(data).hexdigest(),
            }
            for path, data in files.items()
        ],
    }
    files["manifest.json"] = render(manifest)
    return files


def main() -> int:
    files = build_files()
    for stale in ROOT.rglob("*.json"):
        if str(stale.relative_to(ROOT)) not in files:
            stale.unlink()
    for path, data in files.items():
        target = ROOT / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    print(f"wrote {len(files)} files under {ROOT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
