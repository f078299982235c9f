"""Installing a moncc checkout (`pip install .`, `pipx install .`) builds out of tree: the checkout's own build/,
which holds moncc's artifacts, is left byte for byte, and what is installed carries everything a build needs."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import GOOD_MODULE, REPO_ROOT, ProjectFactory


def entries(folder: Path) -> dict[str, tuple[int, bytes]]:
    """Every file and folder below `folder` (and itself): its modification time and, for a file, its bytes."""
    return {
        path.relative_to(folder).as_posix(): (path.stat().st_mtime_ns, path.read_bytes() if path.is_file() else b"")
        for path in [folder, *sorted(folder.rglob("*"))]
    }


def test_installing_the_checkout_leaves_its_build_folder_alone_and_installs_a_working_moncc(
    tmp_path: Path, make_project: ProjectFactory
) -> None:
    build = REPO_ROOT / "build"
    before = entries(build)
    target = tmp_path / "installed"
    # The backend of [build-system] from this environment (the dev extras hold it), so no index is needed.
    pip = [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation"]
    subprocess.run([*pip, "--target", str(target), str(REPO_ROOT)], check=True, capture_output=True)
    assert entries(build) == before
    assert sorted(path.name for path in REPO_ROOT.glob("*.egg-info")) == []
    assert (target / "compiler" / "py.typed").is_file()
    assert sorted(path.name for path in (target / "compiler" / "verify" / "schemas").iterdir()) == [
        "alertmanagerconfig.schema.json",
        "openslo-slo.schema.json",
        "prometheusrule.schema.json",
    ]

    project = make_project(good=GOOD_MODULE)
    installed = subprocess.run(
        [str(target / "bin" / "moncc"), "build"],
        capture_output=True,
        text=True,
        check=False,
        cwd=project.rules_dir,
        env={**os.environ, "PYTHONPATH": str(target)},
    )
    assert (installed.returncode, installed.stderr) == (0, "")
    assert re.match(rf"built \d+ files into {re.escape(str(project.build_dir))}/", installed.stdout)
