"""The layers in pyproject's ``[tool.importlinter]`` hold, and they would catch a breach.

``make lint`` runs the contracts on the tree itself; these tests check that the contracts
have teeth: a copy of the package with one import against the layers fails them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import commentdesk

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(package_parent: Path, *contracts: str) -> subprocess.CompletedProcess[str]:
    """Runs the project's contracts on the ``commentdesk`` package found in ``package_parent``."""
    env = {**os.environ, "PYTHONPATH": str(package_parent)}
    selected = [arg for contract in contracts for arg in ("--contract", contract)]
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", *selected, str(ROOT / "pyproject.toml")],
        capture_output=True,
        text=True,
        env=env,
        cwd=package_parent,
        check=False,
        timeout=120,
    )


@pytest.fixture
def package_copy(tmp_path: Path) -> Path:
    """A copy of the package's Python files, to break on purpose."""
    source = Path(commentdesk.__file__).parent
    shutil.copytree(source, tmp_path / "commentdesk", ignore=shutil.ignore_patterns("*.pyc"))
    return tmp_path


def breach(package: Path, module: str, line: str) -> None:
    path = package / "commentdesk" / module
    path.write_text(path.read_text() + f"\n{line}\n")


def test_the_tree_keeps_every_contract(package_copy: Path) -> None:
    result = lint_imports(package_copy)
    assert result.returncode == 0, result.stdout


def test_the_desk_importing_the_web_breaks_the_layers(package_copy: Path) -> None:
    breach(package_copy, "desk/catalog.py", "import commentdesk.web.errors  # noqa")
    result = lint_imports(package_copy, "layers")
    assert result.returncode == 1
    assert "commentdesk.desk is not allowed to import commentdesk.web" in result.stdout


def test_triage_importing_the_store_breaks_the_pure_core(package_copy: Path) -> None:
    breach(package_copy, "triage/policy.py", "import commentdesk.store.tables  # noqa")
    result = lint_imports(package_copy, "pure")
    assert result.returncode == 1
    assert "commentdesk.triage.policy -> commentdesk.store.tables" in result.stdout


def test_a_cycle_between_two_packages_is_found(package_copy: Path) -> None:
    breach(package_copy, "store/tables.py", "import commentdesk.throttle  # noqa")
    breach(package_copy, "throttle/__init__.py", "import commentdesk.store  # noqa")
    result = lint_imports(package_copy, "acyclic")
    assert result.returncode == 1
    assert "No cycles are allowed in commentdesk." in result.stdout
