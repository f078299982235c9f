"""The `alert/runbook-missing` check."""

from __future__ import annotations

import re
from collections.abc import Iterator
from urllib.parse import urlsplit

from compiler.lint.check import AlertCheck, Report
from compiler.lint.findings import Severity
from compiler.lint.subjects import LintContext, LintedRule

ANNOTATION = "runbook_url"
_ACTION = re.compile(r"{{.*?}}", re.DOTALL)


class RunbookMissing(AlertCheck):
    """An alert without a `runbook_url` annotation, or with one that is not a link, leaves the on-call guessing.

    Whoever is paged at 3am needs the steps: what to check, how to mitigate, whom to call. Alertmanager
    receivers and Grafana show `runbook_url` as a link, so it must be an `http(s)://` URL; a template that
    expands to one (`{{ $externalURL }}/...`, `https://runbooks.example.com/{{ $labels.job }}`) is fine.
    Write the runbook and link it with `runbook_url=`.
    """

    name = "alert/runbook-missing"
    severity = Severity.INFO
    bad = """
        from compiler.dsl import Alert, RuleGroup

        group = RuleGroup("elasticsearch", [
            Alert(  # bad: no runbook_url
                "ElasticsearchClusterRed",
                expr='elasticsearch_cluster_health_status{color="red"} == 1',
                for_="5m",
                severity="critical",
                summary="Elasticsearch cluster {{ $labels.cluster }} is red",
            ),
            Alert(
                "ElasticsearchHeapHigh",
                expr="elasticsearch_jvm_memory_used_bytes / elasticsearch_jvm_memory_max_bytes > 0.9",
                for_="15m",
                severity="warning",
                summary="Elasticsearch {{ $labels.instance }} uses over 90% of its heap",
                runbook_url="see the wiki, page ES heap",  # bad: not a link
            ),
        ])
    """
    good = """
        from compiler.dsl import Alert, RuleGroup

        group = RuleGroup("elasticsearch", [
            Alert(
                "ElasticsearchClusterRed",
                expr='elasticsearch_cluster_health_status{color="red"} == 1',
                for_="5m",
                severity="critical",
                summary="Elasticsearch cluster {{ $labels.cluster }} is red",
                runbook_url="https://runbooks.example.com/elasticsearch/{{ $labels.cluster }}/cluster-red",
            ),
        ])
    """

    def check(self, alert: LintedRule, context: LintContext) -> Iterator[Report]:
        text = alert.alert.annotations.get(ANNOTATION)
        if text is None:
            yield Report("no runbook_url annotation: link the steps to follow with runbook_url=", alert.missing_at())
        elif not text.strip():
            yield Report("empty runbook_url annotation", alert.entry_at(ANNOTATION))
        elif not could_be_url(text):
            yield Report(f"runbook_url {text!r} is not an http(s) URL", alert.entry_at(ANNOTATION))


def could_be_url(text: str) -> bool:
    """Whether the template can expand to an http(s) URL: it starts with an action, or it is a URL once each
    action is taken for a path segment."""
    text = text.strip()
    if text.startswith("{{"):
        return True
    url = urlsplit(_ACTION.sub("x", text))
    return url.scheme in ("http", "https") and bool(url.netloc) and not any(char.isspace() for char in url.geturl())
