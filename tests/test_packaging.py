"""The package as users get it: the wheel and the sdist build, ``twine check`` accepts them,
and the wheel installs into a fresh virtual environment where ``vcbadge demo`` runs.

Slow (a build and a venv with the dependencies from the package registry): marked ``slow``.
Needs the dev extra's ``build`` and ``twine`` and the package registry (the build backend and
the dependencies come from it); without them it skips, saying which is missing.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


def _run(*argv: str | Path, cwd: Path | None = None, timeout: float = 600) -> str:
    completed = subprocess.run(
        [str(arg) for arg in argv],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        # The test's own venv must not leak into the fresh one.
        env={k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")},
    )
    assert completed.returncode == 0, (
        f"{' '.join(map(str, argv))} exited {completed.returncode}:\n"
        f"{completed.stdout[-3000:]}\n{completed.stderr[-3000:]}"
    )
    return completed.stdout


def _registry_reachable(directory: Path) -> bool:
    """Whether pip can fetch the build backend (the same registry the dependencies come from)."""
    pip_download = [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet"]
    probe = subprocess.run(
        [*pip_download, "--dest", str(directory), "hatchling"],
        capture_output=True,
        timeout=120,
        check=False,
    )
    return probe.returncode == 0


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``python -m build`` of this checkout: the wheel and the sdist."""
    for module in ("build", "twine"):
        if subprocess.run([sys.executable, "-c", f"import {module}"], check=False).returncode:
            pytest.skip(f"{module} is not installed (pip install -e '.[dev]')")
    if not _registry_reachable(tmp_path_factory.mktemp("probe")):
        pytest.skip("the package registry is unreachable: the build backend cannot be fetched")
    out = tmp_path_factory.mktemp("dist")
    _run(sys.executable, "-m", "build", "--sdist", "--wheel", "--outdir", out, ROOT, cwd=ROOT)
    return out


def _one(directory: Path, pattern: str) -> Path:
    found = sorted(directory.glob(pattern))
    assert len(found) == 1, found
    return found[0]


def test_twine_check_passes(dist: Path) -> None:
    wheel, sdist = _one(dist, "*.whl"), _one(dist, "*.tar.gz")
    output = _run(sys.executable, "-m", "twine", "check", "--strict", wheel, sdist)
    assert output.count("PASSED") == 2, output


def test_the_wheel_carries_the_license_data_and_types(dist: Path) -> None:
    with zipfile.ZipFile(_one(dist, "*.whl")) as wheel:
        names = wheel.namelist()
        metadata_name = next(name for name in names if name.endswith(".dist-info/METADATA"))
        metadata = wheel.read(metadata_name).decode("utf-8")
    assert any(name.endswith(".dist-info/licenses/LICENSE") for name in names), names
    assert "License-Expression: Apache-2.0" in metadata
    assert "vcbadge/py.typed" in names
    assert any(name.startswith("vcbadge/_contexts/") for name in names)
    assert any(name.startswith("vcbadge/_schemas/") for name in names)
    assert not any(name.startswith("tests/") for name in names)


def test_the_sdist_carries_the_license_and_tests(dist: Path) -> None:
    with tarfile.open(_one(dist, "*.tar.gz")) as sdist:
        names = [name.split("/", 1)[1] for name in sdist.getnames() if "/" in name]
    assert "LICENSE" in names
    assert "pyproject.toml" in names
    assert "README.md" in names
    assert any(name.startswith("tests/") for name in names)


def test_the_wheel_installs_and_runs_the_demo(dist: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", venv)
    python = venv / "bin" / "python"
    _run(python, "-m", "pip", "install", "--quiet", _one(dist, "*.whl"), timeout=900)
    vcbadge = venv / "bin" / "vcbadge"
    work = tmp_path / "work"
    work.mkdir()
    output = _run(vcbadge, "demo", cwd=work)
    assert (work / "vcbadge-demo" / "credential.json").is_file(), output
    assert "VALID" in output
    # The installed package is the one that ran, not this checkout.
    where = _run(python, "-c", "import vcbadge; print(vcbadge.__file__)", cwd=work)
    assert str(venv) in where
