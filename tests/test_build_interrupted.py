"""A build killed at any instant leaves build/ whole: SIGKILL delivered by strace at every system call that
changes the filesystem, one run per call, then the next command must clean up.

A traced build first lists those calls; then, for each, `strace -e inject=CALL:signal=KILL:when=N` kills a
fresh build as it enters the Nth call of that kind, so the runs walk through every state between two changes. The swap runs twice: as it runs on Linux (`renameat2` exchanging
the folders) and with the exchange refused (`error=EINVAL`, as a filesystem without it answers), which takes
the portable path of two renames.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.conftest import Project, ProjectFactory

_CHANGES = "mkdir,mkdirat,rmdir,unlink,unlinkat,rename,renameat,chmod,fchmod,fchmodat"
"""The calls that change the filesystem, renameat2 apart (each variant of the test decides what it does)."""

_OLD = """\
from compiler.dsl import Alert, RuleGroup

old = RuleGroup("old", rules=[Alert("OldDown", expr='up{job="old"} == 0', for_="5m", severity="page")])
"""

_NEW = """\
from compiler.dsl import Alert, RuleGroup

new = RuleGroup(
    "new",
    rules=[
        Alert("NewDown", expr='up{job="new"} == 0', for_="5m", severity="page"),
        Alert("NewFlapping", expr='changes(up{job="new"}[10m]) > 4', severity="ticket"),
    ],
)
"""


def _strace() -> str:
    found = shutil.which("strace")
    assert found, "strace is required for this test: `make setup` installs it (apt-get install strace)"
    return found


def _moncc(
    project: Project, temporary: Path, strace_options: list[str], log: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """`moncc build` under strace, which follows only moncc's own process (promtool runs untraced)."""
    output = str(log or os.devnull)
    command = [_strace(), "-qq", "-o", output, *strace_options, sys.executable, "-m", "compiler", "build"]
    environment = {**os.environ, "TMPDIR": str(temporary)}
    return subprocess.run(command, cwd=project.root, env=environment, capture_output=True, text=True, check=False)


@pytest.fixture
def rebuild(make_project: ProjectFactory, tmp_path: Path) -> Project:
    """A project whose build/ holds the old build and whose sources now give a different one."""
    project = make_project(name="template", old=_OLD)
    project.build()
    (project.rules_dir / "old.py").unlink()
    project.write("new", _NEW)
    return project


def _copy(template: Project, folder: Path) -> Project:
    shutil.copytree(template.root, folder, symlinks=True)
    return Project(folder)


def _kill_points(log: str, calls: list[str]) -> list[tuple[str, int]]:
    """(call, N) for every change a traced build made: the listed calls, and every openat that creates a file."""
    seen: dict[str, int] = {}
    points = []
    for match in map(re.compile(r"(\w+)\((.*)").match, log.splitlines()):
        if match is None:
            continue
        call = match.group(1)
        seen[call] = nth = seen.get(call, 0) + 1
        if call in calls or (call == "openat" and "O_CREAT" in match.group(2)):
            points.append((call, nth))
    return points


@pytest.mark.parametrize(
    ("exchange", "killed_calls"),
    [("renameat2", f"{_CHANGES},renameat2"), ("two renames", _CHANGES)],
    ids=["exchange", "two-renames"],
)
def test_a_build_killed_at_any_change_leaves_the_old_or_the_new_build(
    rebuild: Project, tmp_path: Path, exchange: str, killed_calls: str
) -> None:
    old = rebuild.snapshot()
    refuse_exchange = [] if exchange == "renameat2" else ["-e", "inject=renameat2:error=EINVAL"]
    trace = ["-e", f"trace={killed_calls},renameat2,openat", *refuse_exchange]

    complete = _copy(rebuild, tmp_path / "complete")
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    log = tmp_path / "strace.log"
    finished = _moncc(complete, temporary, trace, log)
    assert finished.returncode == 0, finished.stderr
    new = complete.snapshot()
    assert new != old and new != {}
    kill_points = _kill_points(log.read_text(), killed_calls.split(","))
    assert len(kill_points) > 15, f"a build makes more changes than {kill_points}: is strace tracing?"

    def kill(point: tuple[str, int]) -> tuple[str, Project, subprocess.CompletedProcess[str]]:
        call, nth = point
        run = _copy(rebuild, tmp_path / f"killed-{call}-{nth}")
        return (
            f"killed at {call} #{nth}",
            run,
            _moncc(run, temporary, [*trace, "-e", f"inject={call}:signal=KILL:when={nth}"]),
        )

    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:  # the kills are separate processes
        for where, run, killed in pool.map(kill, kill_points):
            assert killed.returncode in (-9, 137), f"{where}: not killed ({killed.returncode}) {killed.stderr}"
            state = run.snapshot()
            if exchange == "renameat2":
                assert state in (old, new), f"{where}: build/ is neither the old nor the new build"
            else:
                assert state in (old, new, {}), f"{where}: build/ is a partial build"

            recovered = run.run("lint")
            assert recovered.crash is None
            assert run.snapshot() in (old, new), f"{where}: the next command did not restore build/"
            assert run.leftovers() == [], f"{where}: the next command left {run.leftovers()}"
            assert [path.name for path in temporary.iterdir() if path.name.startswith("moncc")] == []
            shutil.rmtree(run.root)
