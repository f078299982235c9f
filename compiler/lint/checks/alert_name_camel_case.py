"""The `alert/name-camel-case` check."""

from __future__ import annotations

import re
from collections.abc import Iterator

from compiler.lint.check import AlertCheck, Report
from compiler.lint.findings import Severity
from compiler.lint.subjects import LintContext, LintedRule

UPPER_CAMEL_CASE = re.compile(r"[A-Z][A-Za-z0-9]*")
_WORD = re.compile(r"[A-Za-z0-9]+")


class NameCamelCase(AlertCheck):
    """An alert name that is not UpperCamelCase breaks the convention every other alert follows.

    Prometheus' own alerts, kube-prometheus and most mixins name alerts `KubePodCrashLooping`,
    `NodeFilesystemAlmostOutOfSpace`: routes, silences and inhibition rules match on `alertname`, and a
    `api_down` among them is missed by a regex like `Api.*` and looks like a metric. Write the name in
    UpperCamelCase; acronyms and digits may stay as they are (`KubeAPIErrorsHigh`, `HTTP5xxRate`).
    """

    name = "alert/name-camel-case"
    severity = Severity.WARNING
    bad = """
        from compiler.dsl import Alert, RuleGroup

        group = RuleGroup("memcached", [
            Alert(
                "memcached_down",  # bad: snake_case
                expr='memcached_up{job="memcached"} == 0',
                for_="5m",
                severity="critical",
            ),
            Alert(
                "memcachedEvictionsHigh",  # bad: starts lowercase
                expr="rate(memcached_items_evicted_total[5m]) > 100",
                for_="15m",
                severity="warning",
            ),
        ])
    """
    good = """
        from compiler.dsl import Alert, RuleGroup

        group = RuleGroup("memcached", [
            Alert("MemcachedDown", expr='memcached_up{job="memcached"} == 0', for_="5m", severity="critical"),
            Alert("MemcachedHTTP5xxRate", expr="job:memcached_http_5xx:rate5m > 1", for_="5m", severity="warning"),
        ])
    """

    def check(self, alert: LintedRule, context: LintContext) -> Iterator[Report]:
        name = alert.alert.name
        if not UPPER_CAMEL_CASE.fullmatch(name):
            yield Report(f"name {name!r} is not UpperCamelCase: call it {camel_case(name)!r}", alert.query.at(name))


def camel_case(name: str) -> str:
    """`api_down`, `apiDown` -> `ApiDown`: each word's first letter upper-cased, separators dropped."""
    return "".join(word[0].upper() + word[1:] for word in _WORD.findall(name))
