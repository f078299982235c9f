"""Building the generated rules without validating them a second time.

Everything a generated rule is made of was validated when the `SLO` was built: the SLI's queries (parsed with a
window filled in), label names, the alert name, annotation templates. The rules themselves are assembled from
those parts by fixed templates, so running pydantic and the PromQL parser again on each of an SLO's 17 rules
would only repeat that work: it costs more than half of the generation time. `tests/test_slo_generation.py`
rebuilds every generated rule through the validating constructors and requires the same objects, and
`promtool check rules` checks every build.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import timedelta
from typing import Any, TypeVar, cast

from compiler.dsl.rule_tests import RuleTest
from compiler.dsl.rules import Alert, Record, RuleGroup
from compiler.dsl.slo import SLO

_Rule = TypeVar("_Rule", Alert, Record, RuleGroup)


def _construct(model: type[_Rule], **values: Any) -> _Rule:
    """`model.model_construct(**values)`, with the defaults of the other fields filled in here: pydantic's own
    filling inspects each default factory's signature on every call, which costs more than the rest."""
    given = set(values)
    for name, field in model.model_fields.items():
        if name not in values:
            factory = cast(Callable[[], Any] | None, field.default_factory)
            values[name] = factory() if factory is not None else field.default
    return model.model_construct(given, **values)


class DeferredTests(list[RuleTest]):
    """An SLO's generated tests, built the first time anything reads them.

    A build links every test, but generating rules (the 1,000-SLO benchmark, `moncc` tools that only emit) must
    not pay for tests nobody reads: synthesizing their traffic costs as much as the rules themselves.
    """

    def __init__(self, build: Callable[[], list[RuleTest]]) -> None:
        super().__init__()
        self._build: Callable[[], list[RuleTest]] | None = build

    def _built(self) -> DeferredTests:
        if self._build is not None:
            build, self._build = self._build, None
            self.extend(build())
        return self

    def __iter__(self) -> Iterator[RuleTest]:
        return super(DeferredTests, self._built()).__iter__()

    def __len__(self) -> int:
        return super(DeferredTests, self._built()).__len__()

    def __bool__(self) -> bool:
        return len(self) > 0

    def __getitem__(self, index: Any) -> Any:
        return super(DeferredTests, self._built()).__getitem__(index)

    def __eq__(self, other: object) -> bool:
        return list(self) == other

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = None

    def __repr__(self) -> str:
        return repr(list(self))


def generated_record(
    slo: SLO, name: str, expr: str, labels: Mapping[str, str], tests: Sequence[RuleTest] = ()
) -> Record:
    return _construct(
        Record,
        name=name,
        expr=expr,
        labels=dict(sorted(labels.items())),
        tests=tests if isinstance(tests, DeferredTests) else list(tests),
        location=slo.location,
    )


def generated_alert(
    slo: SLO,
    name: str,
    expr: str,
    for_: timedelta | None,
    labels: Mapping[str, str],
    annotations: Mapping[str, str],
    tests: Sequence[RuleTest] = (),
) -> Alert:
    return _construct(
        Alert,
        name=name,
        expr=expr,
        for_=for_,
        labels=dict(sorted(labels.items())),
        annotations=dict(sorted(annotations.items())),
        tests=tests if isinstance(tests, DeferredTests) else list(tests),
        location=slo.location,
    )


def generated_group(
    slo: SLO, name: str, rules: Sequence[Alert | Record], tests: DeferredTests | None = None
) -> RuleGroup:
    return _construct(
        RuleGroup, name=name, rules=list(rules), tests=tests if tests is not None else [], location=slo.location
    )
