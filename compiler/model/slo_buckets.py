"""Latency SLIs on classic histograms against the metrics catalogue: the threshold must be a declared bucket.

An SLI that lists its own `buckets` is checked when it is made; one that does not is checked here, against the
catalogue's `Metric(buckets=...)` of its histogram, once the whole catalogue is loaded.
"""

from __future__ import annotations

from collections.abc import Iterable

from compiler.dsl.sli import LatencySLI, bucket_problem
from compiler.dsl.slo import SLO
from compiler.load.metrics import Catalogue
from compiler.problems import Problem


def latency_bucket_problems(slos: Iterable[SLO], catalogue: Catalogue) -> list[Problem]:
    """One problem per latency SLI whose threshold is none of its histogram's declared buckets."""
    problems: list[Problem] = []
    for slo in slos:
        sli = slo.sli
        if not isinstance(sli, LatencySLI) or sli.buckets is not None:
            continue
        declared = catalogue.buckets(sli.metric)
        catalogued = " in the metrics catalogue"
        problem = None if declared is None else bucket_problem(sli.metric, sli.threshold, declared, catalogued)
        if problem is not None:
            problems.append(Problem(f"{slo.title}: sli: {problem}", sli.location or slo.location))
    return problems
