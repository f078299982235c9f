"""Prove the routing table with amtool: every route test and every alert's label set, on the emitted config.

moncc routes each label set itself (compiler/model/routing.py); here `amtool config routes test` must reach
the same receivers in the same order on build/alertmanager/alertmanager.yaml, so the table `moncc routes`
prints and the build's checks stand on Alertmanager's own code, not on moncc's reading of it.
"""

from __future__ import annotations

from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from compiler.dsl.alertmanager.matchers import Matcher
from compiler.dsl.alertmanager.routing_tests import RouteTest
from compiler.model.routing import Routing, shown_labels
from compiler.problems import Problem, SourceLocation
from compiler.verify.amtool import Amtool

CONFIG = Path("alertmanager/alertmanager.yaml")
"""Where the `alertmanager` emitter writes the configuration, below the build folder."""


@dataclass(frozen=True)
class Claim:
    """A label set and the receivers moncc says it reaches, in order."""

    subject: str
    labels: Mapping[str, str]
    receivers: tuple[str, ...]
    location: SourceLocation


@dataclass(frozen=True)
class RoutingProof:
    amtool: Amtool
    route_tests: int
    label_sets: int
    inhibit_tests: int
    problems: tuple[Problem, ...]

    def summary(self) -> str:
        verdict = "all agree" if not self.problems else f"{len(self.problems)} disagree"
        return (
            f"routing: {self.route_tests} route test(s) and {self.label_sets} alert label set(s) on amtool"
            f" {self.amtool.version}: {verdict}; {self.inhibit_tests} inhibit test(s) hold"
        )


def prove_routing(routing: Routing, build_folder: Path, amtool: Amtool, jobs: int | None = None) -> RoutingProof:
    """Ask amtool where each claim's labels go; a claim it disagrees with is a problem at the claim's source.

    Inhibit tests are checked by the model (amtool cannot test inhibition); a failing one never gets here.
    """
    tests = [test for test in routing.alertmanager.tests if isinstance(test, RouteTest)]
    claims = [Claim("route test", test.labels, test.receivers, test.location) for test in tests]
    known = [alert for alert in routing.alerts if not alert.templated]
    claims += [Claim(f"alert {alert.alert}", alert.labels, alert.receivers, alert.location) for alert in known]
    config = build_folder / CONFIG
    with ThreadPoolExecutor(max_workers=jobs or 8) as pool:
        problems = [
            problem
            for found in pool.map(lambda claim: _check(amtool, config, claim), claims)
            if found
            for problem in found
        ]
    inhibit_tests = len(routing.alertmanager.tests) - len(tests)
    return RoutingProof(amtool, len(tests), len(known), inhibit_tests, tuple(problems))


def _check(amtool: Amtool, config: Path, claim: Claim) -> list[Problem]:
    labels = [str(Matcher(name, "=", value)) for name, value in sorted(claim.labels.items())]
    result = amtool.run(["config", "routes", "test", f"--config.file={config}", *labels], config.parent)
    reached = _receivers(result.stdout)
    if result.returncode != 0 or reached != ",".join(claim.receivers):
        said = reached if result.returncode == 0 else f"an error: {_last_line(result.stdout)}"
        return [
            Problem(
                f"{claim.subject}: amtool routes {shown_labels(claim.labels)} to {said}; moncc expects"
                f" {', '.join(claim.receivers)}",
                claim.location,
            )
        ]
    return []


def _receivers(output: str) -> str:
    """The receivers amtool prints, joined by commas as it joins them, on the first line that is not a warning:
    compared whole, as a receiver's name may hold a comma too."""
    lines = [line for line in output.splitlines() if line.strip() and not line.startswith("Warning:")]
    return lines[0] if lines else ""


def _last_line(output: str) -> str:
    lines = [line for line in output.splitlines() if line.strip()]
    return lines[-1] if lines else "no output"
