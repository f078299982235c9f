"""What the Sloth and OpenSLO readers share: building SLOs document by document, problems at their lines."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from compiler.dsl.sli_queries import WINDOW_PLACEHOLDER
from compiler.dsl.slo import SLO
from compiler.import_command.yaml_documents import InputError, YamlNode, read_documents
from compiler.problems import CompileError, DefinitionError, Problem


def built_slos(path: Path, document_slos: Callable[[YamlNode], list[SLO]]) -> list[SLO]:
    """The SLOs of every document; a document with problems adds them and no SLO."""
    slos: list[SLO] = []
    problems: list[Problem] = []
    for document in read_documents(path):
        try:
            slos.extend(document_slos(document))
        except InputError as error:
            problems.append(error.problem)
        except DefinitionError as error:
            problems.extend(error.problems)
    if not slos and not problems:
        problems.append(Problem(f"{path}: no SLO found"))
    if problems:
        raise CompileError(problems)
    return slos


def window_query(node: YamlNode) -> str:
    """A query with Sloth's `{{.window}}` written as the DSL's `{{window}}`."""
    return WINDOW_PLACEHOLDER.sub("{{window}}", node.text("query"))
