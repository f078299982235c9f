"""`alert/runbook-missing`: a runbook link may be a template, as long as it can expand to an http(s) URL."""

from __future__ import annotations

import pytest

from compiler.lint.checks.alert_runbook_missing import could_be_url


@pytest.mark.parametrize(
    "text",
    [
        "https://runbooks.example.com/ApiDown",
        "http://wiki.internal/runbooks/api#down",
        "https://runbooks.example.com/{{ $labels.job }}/down",
        "https://{{ $externalLabels.cluster }}.runbooks.example.com/ApiDown",
        "{{ $externalURL }}/runbooks/ApiDown",
        '{{ template "runbook" . }}',
    ],
)
def test_a_link_or_a_template_of_one_is_accepted(text: str) -> None:
    assert could_be_url(text)


@pytest.mark.parametrize(
    "text",
    ["see the wiki", "runbooks.example.com/ApiDown", "/runbooks/ApiDown", "ftp://files/ApiDown", "https://a b/c"],
)
def test_anything_else_is_not_a_link(text: str) -> None:
    assert not could_be_url(text)
