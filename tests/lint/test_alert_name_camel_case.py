"""`alert/name-camel-case`: acronyms and digits are UpperCamelCase too; the suggestion keeps them."""

from __future__ import annotations

import pytest

from compiler.lint.checks.alert_name_camel_case import UPPER_CAMEL_CASE, camel_case


@pytest.mark.parametrize("name", ["KubeAPIErrorsHigh", "HTTP5xxRate", "NodeFilesystemAlmostOutOfSpace", "Watchdog"])
def test_upper_camel_case_with_acronyms_and_digits_is_accepted(name: str) -> None:
    assert UPPER_CAMEL_CASE.fullmatch(name)


@pytest.mark.parametrize(
    ("name", "suggested"),
    [
        ("api_down", "ApiDown"),
        ("apiDown", "ApiDown"),
        ("kube:api_5xx", "KubeApi5xx"),
        ("Mysql_lagHigh", "MysqlLagHigh"),
    ],
)
def test_other_names_get_an_upper_camel_case_suggestion(name: str, suggested: str) -> None:
    assert not UPPER_CAMEL_CASE.fullmatch(name)
    assert camel_case(name) == suggested
