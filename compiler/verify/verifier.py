"""What proves an artifact kind valid once its files are staged; each verifier module defines one.

A verifier names the emitter whose files it checks (`artifact`), so adding an artifact kind is its emitter
module plus, when its files can be checked, one module here.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from compiler.emit.artifacts import ArtifactTree
from compiler.model.build import Model
from compiler.problems import Problem
from compiler.verify.engines import Engines


@dataclass(frozen=True)
class StagedBuild:
    """A complete build written to its staging folder, not yet swapped in as build/."""

    model: Model
    tree: ArtifactTree
    folder: Path
    engines: Engines
    """Located and version-checked once per run, before anything is staged."""


class Verifier(ABC):
    artifact: ClassVar[str]
    """The `name` of the emitter whose files this checks."""

    @abstractmethod
    def verify(self, build: StagedBuild) -> list[Problem]:
        """Every problem with the staged files of this kind, at the source that made them."""
