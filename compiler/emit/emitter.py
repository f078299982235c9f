"""An artifact kind: what it writes below build/ from the model. Each emitter module defines one.

The pipeline finds them (`compiler.plugins`) and runs them in `order`; a kind that needs checking once its
files are staged has a `Verifier` of the same `name` in `compiler/verify/`.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import ClassVar

from compiler.emit.artifacts import ArtifactTree
from compiler.model.build import Model


class Emitter(ABC):
    name: ClassVar[str]
    """The artifact kind, e.g. `rule-files`; a verifier names the kind it checks by it."""
    order: ClassVar[int]
    """Emitters run (and report problems) in ascending order; kinds that read another's files come after it."""

    @abstractmethod
    def emit(self, model: Model, tree: ArtifactTree) -> None:
        """Add this kind's files to `tree`; problems go to `tree.problems`, at the source that caused them."""
