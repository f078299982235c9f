"""The issue's acceptance test: moncc installed from this checkout into a fresh virtualenv, then
`moncc init`, `build`, `test` and `lint` in an empty folder, and the same commands from a subfolder.

The virtualenv borrows the dependencies of the running interpreter (a `.pth` line naming its site-packages,
so nothing is downloaded) and installs only moncc itself from the checkout, as a wheel built by the
project's build backend: it proves the installed package holds everything `moncc init` writes from and that
the install leaves the checkout's build/ (moncc's own artifacts) alone.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT, tree_bytes


def run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False, env=os.environ.copy())


@pytest.fixture(scope="module")
def installed_moncc(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The `moncc` of a fresh virtualenv holding moncc installed (not editable) from this checkout."""
    checkout_build = tree_bytes(REPO_ROOT / "build")
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site_packages = Path(
        run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], venv).stdout.strip()
    )
    # The running interpreter's packages, after the venv's own: moncc's dependencies, pip and the build backend.
    (site_packages / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    install = run(
        [str(python), "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation", str(REPO_ROOT)], venv
    )
    assert install.returncode == 0, install.stderr
    located = run([str(python), "-c", "import compiler; print(compiler.__file__)"], venv).stdout.strip()
    assert Path(located).is_relative_to(site_packages), f"moncc imported from {located}, not the fresh install"
    assert tree_bytes(REPO_ROOT / "build") == checkout_build, "installing moncc changed the checkout's build/"
    assert not [path.name for path in (REPO_ROOT / "build").iterdir() if path.name == "lib" or "bdist" in path.name]
    return venv / "bin" / "moncc"


@pytest.fixture(scope="module")
def initialised(installed_moncc: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fresh")
    result = run([str(installed_moncc), "init"], root)
    assert result.returncode == 0, result.stderr
    return root


@pytest.mark.parametrize("command", [["build"], ["test"], ["lint"]])
def test_init_build_test_lint_in_the_project(installed_moncc: Path, initialised: Path, command: list[str]) -> None:
    result = run([str(installed_moncc), *command], initialised)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "note: engine" not in result.stdout, "both engines: promtool on PATH and $PROMTOOL3"


@pytest.mark.parametrize("command", [["build"], ["test"], ["lint"]])
def test_the_same_commands_from_a_subfolder(installed_moncc: Path, initialised: Path, command: list[str]) -> None:
    result = run([str(installed_moncc), *command], initialised / "rules_src")
    assert result.returncode == 0, result.stdout + result.stderr
    assert not (initialised / "rules_src" / "build").exists()
