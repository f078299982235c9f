"""`moncc import alertmanager`: an Alertmanager configuration becomes one DSL module that builds back to the same
configuration. Secret values are never copied (the import says which Kubernetes Secret key to store each in),
a field the DSL does not have is refused at its line, and hostile input is one line, as for every importer."""

from __future__ import annotations

import re
import runpy
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from compiler.dsl import Alertmanager
from compiler.dsl.durations import parse_duration
from compiler.emit.alertmanager_config import config_document
from compiler.emit.yaml_text import to_yaml
from tests.conftest import Project, ProjectFactory, load_yaml, source, tree_bytes
from tests.test_import_hostile import billion_laughs
from tests.test_import_rules import RUFF_SETTINGS, mypy_output

SLACK_URL = "https://hooks.slack.com/services/T01ABCDEF/B02GHIJKL/q8ZxL2mN4pR7sT9vW1yB3dF5"
SMTP_PASSWORD = "correct-horse-battery-staple"
ROUTING_KEY = "e93facc04764012d7bfb002500d5d1a6"
INLINE_SECRETS = (SLACK_URL, SMTP_PASSWORD, ROUTING_KEY)

CONFIG = f"""\
global:
  resolve_timeout: 5m
  slack_api_url: {SLACK_URL}
  smtp_smarthost: smtp.example.com:587
  smtp_from: alertmanager@example.com
  smtp_auth_username: alertmanager
  smtp_auth_password: {SMTP_PASSWORD}
templates:
  - /etc/alertmanager/templates/*.tmpl
route:
  receiver: default
  group_by: [alertname, team]
  group_wait: 1m
  group_interval: 5m
  repeat_interval: 4h
  routes:
    - receiver: pager
      matchers: ['severity="critical"']
      group_wait: 10s
      continue: true
    - receiver: chat-critical
      match:
        severity: critical
      continue: false
    - receiver: chat
      match_re:
        severity: warning|warn
      group_wait: 30s
      mute_time_intervals: [offhours]
    - receiver: tickets
      matchers: ['severity="info", team=~"db|api"']
      repeat_interval: 24h
      mute_time_intervals: [holidays]
receivers:
  - name: default
    email_configs:
      - to: oncall@example.com
        send_resolved: true
  - name: pager
    pagerduty_configs:
      - routing_key: {ROUTING_KEY}
        severity: critical
        description: '{{{{ .CommonAnnotations.summary }}}}'
  - name: chat-critical
    slack_configs:
      - channel: '#incidents'
        title: '{{{{ template "slack.title" . }}}}'
        text: '{{{{ template "slack.text" . }}}}'
        send_resolved: true
  - name: chat
    slack_configs:
      - channel: '#alerts'
        api_url_file: /etc/alertmanager/slack/chat-url
  - name: tickets
    webhook_configs:
      - url: http://ticket-bridge.monitoring.svc:8080/alerts
        max_alerts: 20
        send_resolved: false
inhibit_rules:
  - source_match:
      severity: critical
    target_match_re:
      severity: warning|warn
    equal: [alertname, team]
time_intervals:
  - name: offhours
    time_intervals:
      - times:
          - start_time: "18:00"
            end_time: "24:00"
        weekdays: ['Monday:Friday']
      - weekdays: [saturday, sunday]
mute_time_intervals:
  - name: holidays
    time_intervals:
      - months: ['12']
        days_of_month: ['24:26']
"""

SLACK_TEMPLATE = """\
{{ define "slack.title" }}[{{ .Status | toUpper }}] {{ .CommonLabels.alertname }}{{ end }}
{{ define "slack.text" }}{{ range .Alerts }}{{ .Annotations.summary }}
{{ end }}{{ end }}
"""

ALERTS = """\
from compiler.dsl import Alert, RuleGroup

api = RuleGroup(
    "api",
    rules=[
        Alert("ApiDown", expr='up{job="api"} == 0', for_="5m", severity="critical", labels={"team": "api"}),
        Alert("ApiDegraded", expr='up{job="api"} < 1', for_="15m", severity="warning", labels={"team": "api"}),
        Alert("BackupOld", expr='up{job="db"} == 0', for_="1h", severity="info", labels={"team": "db"}),
    ],
)
"""
"""Alerts with every severity the routes take, so the build's routing checks pass: each reaches a route below
the root, the inhibit rule has a source and a target, and `team` is carried."""

_MATCHER = re.compile(r'([a-zA-Z_]\w*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"')
_MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december"]  # fmt: skip
_SECRET_LINE = re.compile(
    r":\d+: (?:receiver (?P<receiver>.+?): (?P<configs>\w+)|global): (?P<field>\w+): the value is not copied;"
    r" store it as key \w+ of Kubernetes Secret [-a-z0-9]+ \(Alertmanager reads (?P<path>\S+)\)$"
)


def write_config(folder: Path, text: str = CONFIG, name: str = "alertmanager.yaml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def imported(project: Project, *args: str | Path) -> list[str]:
    """Run `moncc import alertmanager ARGS`, insist it worked, and return what it printed."""
    result = project.run("import", "alertmanager", *map(str, args))
    assert result.crash is None, f"moncc crashed: {result.crash!r}"
    assert result.exit_code == 0, result.stderr
    return result.stdout.splitlines()


def refused(project: Project, *args: str | Path) -> str:
    """Run `moncc import alertmanager ARGS`, insist it failed cleanly and wrote nothing; its one problem line."""
    before = sorted(project.root.rglob("*"))
    result = project.run("import", "alertmanager", *map(str, args))
    assert result.crash is None, f"moncc crashed: {result.crash!r}"
    assert result.exit_code == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert sorted(project.root.rglob("*")) == before, "a failed import wrote files"
    (problem,) = result.problems
    return problem


def flat(module: str) -> str:
    """Python source on one line, as a reader takes it in: `Webhook(url="http://a")` however ruff laid it out."""
    spaced = " ".join(line.strip() for line in module.splitlines() if not line.lstrip().startswith("#"))
    return re.sub(r",\s*([)\]])", r"\1", re.sub(r"([(\[])\s+", r"\1", spaced)).replace(" )", ")").replace(" ]", "]")


def comments(module: str) -> str:
    """The module's comments as one text, line wrapping undone."""
    return " ".join(line.removeprefix("# ") for line in module.splitlines() if line.startswith("# "))


# --- the round trip: import, build, compare -------------------------------------------------------------------


@pytest.fixture(scope="module")
def round_trip(tmp_path_factory: pytest.TempPathFactory) -> tuple[Project, Path, list[str]]:
    """The realistic configuration (its template beside it) imported into a project with alerts, and built."""
    root = tmp_path_factory.mktemp("round_trip")
    config = write_config(root / "upstream")
    (root / "upstream" / "templates").mkdir()
    (root / "upstream" / "templates" / "Slack.tmpl").write_text(SLACK_TEMPLATE, encoding="utf-8")
    project = Project(root / "project")
    project.rules_dir.mkdir(parents=True)
    project.write_pyproject(f'[project]\nname = "round-trip"\n\n[tool.moncc]\n\n[tool.ruff]{RUFF_SETTINGS}')
    project.write("api", ALERTS)
    printed = imported(project, config)
    project.build()
    return project, config, printed


def test_the_built_configuration_means_what_the_imported_one_did(round_trip: tuple[Project, Path, list[str]]) -> None:
    project, _, printed = round_trip
    reported = reported_secret_files(printed)
    built = load_yaml(project.build_dir / "alertmanager" / "alertmanager.yaml")
    assert meaning(built, {}) == meaning(yaml.safe_load(CONFIG), reported)
    assert built["templates"] == ["templates/slack.tmpl"]
    assert (project.build_dir / "alertmanager" / "templates" / "slack.tmpl").read_text() == SLACK_TEMPLATE


def test_the_import_says_where_each_secret_goes(round_trip: tuple[Project, Path, list[str]]) -> None:
    _, config, printed = round_trip
    secrets = "/etc/alertmanager/secrets"
    assert printed == [
        "wrote rules_src/alertmanager.py",
        f"{config}:3: global: slack_api_url: the value is not copied; store it as key slack_api_url of Kubernetes"
        f" Secret alertmanager-global (Alertmanager reads {secrets}/alertmanager-global/slack_api_url)",
        f"{config}:7: global: smtp_auth_password: the value is not copied; store it as key smtp_auth_password of"
        f" Kubernetes Secret alertmanager-global (Alertmanager reads {secrets}/alertmanager-global/smtp_auth_password)",
        f"{config}:9: templates: '/etc/alertmanager/templates/*.tmpl': imported templates/Slack.tmpl",
        f"{config}:41: receiver pager: pagerduty_configs: routing_key: the value is not copied; store it as key"
        f" routing_key of Kubernetes Secret pager-pagerduty (Alertmanager reads {secrets}/pager-pagerduty/routing_key)",
        f"{config}:53: receiver chat: slack_configs: api_url_file: still read from /etc/alertmanager/slack/chat-url;"
        " for prometheus-operator, key api_url of Kubernetes Secret chat-slack",
        f"{config}: external_labels team: read by the routes or inhibit rules, and not known to be on any alert, so"
        " declared as labels Prometheus adds; remove each one your alerts carry, and the build checks that the"
        " routes matching it reach an alert",
    ]


def test_no_secret_value_reaches_the_module_the_build_or_the_output(
    round_trip: tuple[Project, Path, list[str]],
) -> None:
    project, _, printed = round_trip
    module = (project.rules_dir / "alertmanager.py").read_text()
    built = b"".join(tree_bytes(project.build_dir).values()).decode()
    for value in INLINE_SECRETS:
        assert value not in module
        assert value not in built
        assert not any(value in line for line in printed)
    assert 'routing_key=Secret("pager-pagerduty", "routing_key")' in module
    assert 'api_url=Secret("chat-slack", "api_url", file="/etc/alertmanager/slack/chat-url")' in module


def test_the_module_reads_like_a_hand_written_one(round_trip: tuple[Project, Path, list[str]]) -> None:
    project, _, _ = round_trip
    module = (project.rules_dir / "alertmanager.py").read_text()
    assert "from compiler.dsl import (\n    Alertmanager,\n    Email,\n    Global,\n    InhibitRule," in module
    code = flat(module)
    assert 'Route("pager", matchers=[\'severity="critical"\'], group_wait="10s", continue_=True)' in code
    assert 'Route("chat-critical", matchers=[\'severity="critical"\'])' in code
    assert (
        'Route("chat", matchers=[\'severity=~"warning|warn"\'], group_wait="30s", mute_time_intervals=["offhours"])'
        in code
    )
    assert 'matchers=[\'severity="info"\', \'team=~"db|api"\'], repeat_interval="1d"' in code
    assert 'Receiver("default", [Email(send_resolved=True, to="oncall@example.com")])' in code
    assert (
        'InhibitRule(source=[\'severity="critical"\'], target=[\'severity=~"warning|warn"\'], equal=["alertname", "team"])'
        in code
    )
    assert 'TimeInterval("holidays", [Period(days_of_month=["24:26"], months=["december"])])' in code
    assert 'Period(times=["18:00-24:00"], weekdays=["monday:friday"])' in code
    assert 'Template("slack.tmpl", (\'{{ define "slack.title" }}' in code
    assert 'external_labels=["team"])' in code
    assert "external_labels team: read by the routes or inhibit rules" in comments(module)


def test_the_module_passes_ruff_and_mypy(round_trip: tuple[Project, Path, list[str]]) -> None:
    project, _, _ = round_trip
    tools = Path(sys.executable).parent
    for command in (["ruff", "check", "rules_src"], ["ruff", "format", "--check", "rules_src"]):
        result = subprocess.run([str(tools / command[0]), *command[1:]], cwd=project.root, capture_output=True)
        assert result.returncode == 0, result.stdout.decode()
    assert mypy_output(project, "alertmanager").startswith("Success")


def reported_secret_files(printed: list[str]) -> dict[tuple[str, str, str], str]:
    """(receiver or "global", configs list, field) → the file the import said Alertmanager now reads."""
    found = {}
    for line in printed:
        secret = _SECRET_LINE.search(line)
        if secret:
            owner = secret["receiver"] or "global"
            found[(owner, secret["configs"] or "global", secret["field"])] = secret["path"]
    return found


def meaning(config: dict[str, Any], secret_files: dict[tuple[str, str, str], str]) -> dict[str, Any]:
    """What Alertmanager acts on: matchers as sets however they are written (`match`, `match_re`, several in one
    item), durations as times, inline secrets as the files they are read from, time intervals wherever they are
    declared, months and weekdays by lowercase name. Template paths are compared apart."""
    global_ = dict(config.get("global", {}))
    receivers = [dict(receiver) for receiver in config["receivers"]]
    for (owner, configs, field), path in secret_files.items():
        if owner == "global":
            holder = global_
        else:
            (receiver,) = (receiver for receiver in receivers if receiver["name"] == owner)
            (holder,) = receiver[configs] = [dict(item) for item in receiver[configs]]
        assert holder.pop(field) in INLINE_SECRETS
        holder[f"{field}_file"] = path
    global_["resolve_timeout"] = parse_duration(global_["resolve_timeout"])
    intervals = [*config.get("time_intervals", []), *config.get("mute_time_intervals", [])]
    return {
        "global": global_,
        "route": route_meaning(config["route"]),
        "receivers": receivers,
        "inhibit_rules": [inhibit_meaning(rule) for rule in config.get("inhibit_rules", [])],
        "time_intervals": {interval["name"]: periods_meaning(interval["time_intervals"]) for interval in intervals},
    }


def route_meaning(route: dict[str, Any]) -> dict[str, Any]:
    return {
        "receiver": route.get("receiver"),
        "matchers": matcher_set(route, ""),
        "group_by": route.get("group_by"),
        **{
            key: parse_duration(route[key])
            for key in ("group_wait", "group_interval", "repeat_interval")
            if key in route
        },
        "continue": route.get("continue", False),
        "mute_time_intervals": route.get("mute_time_intervals", []),
        "active_time_intervals": route.get("active_time_intervals", []),
        "routes": [route_meaning(child) for child in route.get("routes", [])],
    }


def inhibit_meaning(rule: dict[str, Any]) -> dict[str, Any]:
    return {"source": matcher_set(rule, "source_"), "target": matcher_set(rule, "target_"), "equal": rule.get("equal")}


def matcher_set(holder: dict[str, Any], prefix: str) -> set[tuple[str, str, str]]:
    found = {(name, "=", str(value)) for name, value in holder.get(f"{prefix}match", {}).items()}
    found |= {(name, "=~", str(value)) for name, value in holder.get(f"{prefix}match_re", {}).items()}
    for text in holder.get(f"{prefix}matchers", []):
        found |= set(_MATCHER.findall(text))
    return found


def periods_meaning(periods: list[dict[str, Any]]) -> list[dict[str, Any]]:
    def month(text: str) -> str:
        return ":".join(_MONTHS[int(part) - 1] if part.isdigit() else part.lower() for part in text.split(":"))

    return [
        {
            **period,
            "weekdays": [text.lower() for text in period.get("weekdays", [])],
            "months": [month(text) for text in period.get("months", [])],
        }
        for period in periods
    ]


# --- every DSL field survives emit → import ----------------------------------------------------------------


EVERY_FIELD = source(
    """
    from compiler.dsl import (
        Alertmanager, Email, Global, InhibitRule, MsTeams, Opsgenie, PagerDuty, Period, Receiver, Route, Secret, Slack,
        Template, TimeInterval, Webhook,
    )

    alertmanager = Alertmanager(
        global_=Global(
            resolve_timeout="10m", smtp_from="am@example.com", smtp_smarthost="smtp.example.com:25",
            smtp_auth_username="am", smtp_auth_password=Secret("smtp", "password"), smtp_require_tls=False,
            slack_api_url=Secret("slack", "url"), pagerduty_url="https://events.eu.pagerduty.com/v2/enqueue",
            opsgenie_api_url="https://api.eu.opsgenie.com/", opsgenie_api_key=Secret("opsgenie", "key"),
        ),
        route=Route(
            "all",
            group_by=["..."],
            routes=[
                Route("all", matchers=['team!~"db|infra"', 'env!="dev"'], group_by=["alertname"], group_interval="10m"),
                Route("all", matchers=['alertname="Watchdog"'], active_time_intervals=["business"], continue_=True),
            ],
        ),
        receivers=[
            Receiver(
                "all",
                [
                    Slack(send_resolved=False, api_url=Secret("chat", "url"), channel="#a", title="t", text="x"),
                    PagerDuty(service_key=Secret("pd", "service"), severity="error", description="d"),
                    Email(to="a@example.com", from_="b@example.com", smarthost="mail:587", auth_username="u",
                          auth_password=Secret("mail", "password"), require_tls=True),
                    Webhook(url=Secret("hook", "url"), max_alerts=0),
                    Opsgenie(api_key=Secret("og", "key"), message="m", priority="P2"),
                    MsTeams(webhook_url=Secret("teams", "url"), title="t", text="x"),
                ],
            ),
            Receiver("blackhole"),
        ],
        inhibit_rules=[InhibitRule(source=['alertname="Down"'], target=['severity=~"warn.*"'], equal=["cluster"])],
        time_intervals=[
            TimeInterval(
                "business",
                [
                    Period(times=["09:00-17:00"], weekdays=["monday:friday"], time_zone="Europe/Berlin"),
                    Period(days_of_month=["1:7", "-1"], months=["january", "march:may"], years=["2026:2027"]),
                ],
            ),
        ],
        templates=[Template("mail.tmpl", '{{ define "mail.subject" }}{{ .Status }}{{ end }}')],
    )
    """
)


def test_every_field_moncc_writes_imports_back_to_the_same_object(make_project: ProjectFactory, tmp_path: Path) -> None:
    """A configuration moncc emitted reads back to the DSL object it came from: a `*_file` where prometheus-operator
    mounts a Secret key is that key again, and templates keep their names."""
    written = tmp_path / "every_field.py"
    written.write_text(EVERY_FIELD, encoding="utf-8")
    original: Alertmanager = runpy.run_path(str(written))["alertmanager"]
    document, problems = config_document(original)
    assert problems == []
    config = write_config(tmp_path / "emitted", to_yaml(document))
    (tmp_path / "emitted" / "templates").mkdir()
    for template in original.templates:
        (tmp_path / "emitted" / "templates" / template.name).write_text(template.text, encoding="utf-8")
    project = make_project()
    printed = imported(project, config)
    secrets = [line for line in printed if "_file: /etc/alertmanager/secrets/" in line]
    assert len(secrets) == 9
    assert all(" is where prometheus-operator mounts key " in line for line in secrets)
    read_back: Alertmanager = runpy.run_path(str(project.rules_dir / "alertmanager.py"))["alertmanager"]
    assert read_back.model_dump(exclude={"external_labels"}) == original.model_dump(exclude={"external_labels"})
    assert read_back.external_labels == ("cluster",)


# --- secrets -----------------------------------------------------------------------------------------------


MINIMAL = """\
route:
  receiver: hooks
receivers:
  - name: hooks
    webhook_configs:
      - url: {url}
"""


@pytest.mark.parametrize(
    "url",
    [
        "https://alertmanager:s3cr3t-pass@hooks.example.com/alerts",
        "https://hooks.example.com/alerts?token=s3cr3t-pass",
        "https://hooks.example.com/alerts/T3f9a8b7c6d5e4f3a2b1c",
    ],
)
def test_a_webhook_url_carrying_credentials_becomes_a_secret(
    make_project: ProjectFactory, tmp_path: Path, url: str
) -> None:
    config = write_config(tmp_path, MINIMAL.format(url=url))
    project = make_project()
    printed = imported(project, config)
    module = (project.rules_dir / "alertmanager.py").read_text()
    assert url not in module and "s3cr3t" not in module and "3f9a8b7c6d5e4f3a2b1c" not in module
    assert 'Webhook(url=Secret("hooks-webhook", "url"))' in flat(module)
    assert printed[1] == (
        f"{config}:6: receiver hooks: webhook_configs: url: the value is not copied; store it as key url of"
        " Kubernetes Secret hooks-webhook (Alertmanager reads /etc/alertmanager/secrets/hooks-webhook/url)"
    )


def test_a_plain_webhook_url_stays_text(make_project: ProjectFactory, tmp_path: Path) -> None:
    config = write_config(tmp_path, MINIMAL.format(url="http://bridge.monitoring.svc:8080/api/v2/alerts"))
    project = make_project()
    assert imported(project, config) == ["wrote rules_src/alertmanager.py"]
    module = (project.rules_dir / "alertmanager.py").read_text()
    assert 'Webhook(url="http://bridge.monitoring.svc:8080/api/v2/alerts")' in flat(module)


def test_secrets_of_one_kind_get_names_of_their_own(make_project: ProjectFactory, tmp_path: Path) -> None:
    config = write_config(
        tmp_path,
        source(
            """
            route:
              receiver: Team Pager
            receivers:
              - name: Team Pager
                pagerduty_configs:
                  - routing_key: aaaaaaaaaaaaaaaa1
                  - service_key_file: /run/secrets/pagerduty-service-key
                  - routing_key: bbbbbbbbbbbbbbbb2
            """
        ),
    )
    project = make_project()
    imported(project, config)
    code = flat((project.rules_dir / "alertmanager.py").read_text())
    assert 'Receiver("Team Pager", [PagerDuty(routing_key=Secret("team-pager-pagerduty", "routing_key")),' in code
    assert (
        'PagerDuty(service_key=Secret("team-pager-pagerduty", "service_key", file="/run/secrets/pagerduty-service-key"))'
        in code
    )
    assert 'PagerDuty(routing_key=Secret("team-pager-pagerduty-2", "routing_key"))])' in code


# --- what the DSL does not have is refused at its line ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            "global:\n  http_config:\n    proxy_url: http://proxy:3128\n" + MINIMAL.format(url="http://a"),
            "2: global: 'http_config' is not in moncc's Alertmanager DSL (it has: opsgenie_api_key,",
        ),
        (
            "route:\n  receiver: chat\nreceivers:\n  - name: chat\n    slack_configs:\n      - channel: '#a'\n"
            "        actions:\n          - type: button\n",
            "7: receiver chat: slack_configs: 'actions' is not in moncc's Alertmanager DSL (it has: api_url,"
            " api_url_file, channel, send_resolved, text, title)",
        ),
        (
            "route:\n  receiver: tg\nreceivers:\n  - name: tg\n    telegram_configs:\n      - chat_id: 1\n",
            "5: receiver tg: 'telegram_configs' is not in moncc's Alertmanager DSL (it has: email_configs,"
            " msteams_configs, name, opsgenie_configs, pagerduty_configs, slack_configs, webhook_configs)",
        ),
        (
            MINIMAL.format(url="http://a").replace("  receiver: hooks\n", "  receiver: hooks\n  group_by_all: true\n"),
            "3: route: 'group_by_all' is not in moncc's Alertmanager DSL (it has: active_time_intervals, continue,",
        ),
        (
            MINIMAL.format(url="http://a") + "      - url: http://b\n        http_config: {}\n",
            "8: receiver hooks: webhook_configs: 'http_config' is not in moncc's Alertmanager DSL",
        ),
        (
            MINIMAL.format(url="http://a") + "tracing:\n  endpoint: x\n",
            "7: alertmanager configuration: 'tracing' is not in moncc's Alertmanager DSL",
        ),
    ],
)
def test_a_field_the_dsl_does_not_have_is_refused_at_its_line(
    make_project: ProjectFactory, tmp_path: Path, text: str, problem: str
) -> None:
    config = write_config(tmp_path, text)
    assert refused(make_project(), config).startswith(f"{config}:{problem}")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (
            MINIMAL.format(url="http://a").replace("  receiver: hooks\n", "  receiver: hooks\n  group_wait: soon\n"),
            "3: route: group_wait: invalid duration 'soon'",
        ),
        (
            MINIMAL.format(url="http://a") + "inhibit_rules:\n  - source_match_re: {severity: '(('}\n"
            "    target_matchers: ['severity=\"warning\"']\n",
            '8: inhibit rule: source_match_re: matcher severity=~"((": invalid regular expression',
        ),
        (
            MINIMAL.format(url="http://a").replace("      - url: http://a", "      - url_file: secrets/url"),
            "6: secret hooks-webhook: file: file must be an absolute path, got 'secrets/url'",
        ),
        (
            MINIMAL.format(url="http://a") + "      - url: http://b\n        url_file: /b\n",
            "8: receiver hooks: webhook_configs: give one of url and url_file",
        ),
        (
            MINIMAL.format(url="http://a").replace("receiver: hooks", "receiver: pager"),
            "2: route: unknown receiver 'pager'; receivers: hooks",
        ),
        (
            MINIMAL.format(url="http://a") + "inhibit_rules:\n  - source_matchers: ['severity=critical,,team=db']\n"
            "    target_matchers: ['severity=warning']\n",
            "8: inhibit rule: source_matchers: matcher '': expected name=\"value\"",
        ),
    ],
)
def test_what_the_build_would_refuse_is_refused_at_its_line(
    make_project: ProjectFactory, tmp_path: Path, text: str, problem: str
) -> None:
    config = write_config(tmp_path, text)
    assert refused(make_project(), config).startswith(f"{config}:{problem}")


def test_a_matcher_imports_with_the_meaning_alertmanager_gives_it(make_project: ProjectFactory, tmp_path: Path) -> None:
    """Alertmanager reads escapes in an unquoted value too: `a\\\\.example` is the regular expression `a\\.example`
    (a dot), and `\\n` a line break."""
    routes = "  routes:\n    - matchers: ['host=~a\\\\.example, text=two\\nlines']\n"
    config = write_config(
        tmp_path, MINIMAL.format(url="http://a").replace("  receiver: hooks\n", "  receiver: hooks\n" + routes)
    )
    project = make_project()
    imported(project, config)
    read_back: Alertmanager = runpy.run_path(str(project.rules_dir / "alertmanager.py"))["alertmanager"]
    host, text = read_back.route.routes[0].matchers
    assert (host.value, text.value) == (r"a\.example", "two\nlines")
    assert host.matches({"host": "a.example"}) and not host.matches({"host": "a\\.example"})


def test_every_problem_is_reported_at_once(make_project: ProjectFactory, tmp_path: Path) -> None:
    text = (
        MINIMAL.format(url="http://a")
        + "      - url: http://b\n        timeout: 10s\n  - name: chat\n    slack_configs:\n      - color: red\n"
    )
    config = write_config(tmp_path, text)
    result = make_project().run("import", "alertmanager", str(config))
    assert result.exit_code == 1
    assert [problem.split(": ", 2)[0] for problem in result.problems] == [f"{config}:8", f"{config}:11"]


# --- templates ----------------------------------------------------------------------------------------------


def test_a_templates_glob_matching_no_file_is_reported(make_project: ProjectFactory, tmp_path: Path) -> None:
    config = write_config(tmp_path, "templates: ['/etc/alertmanager/*.tmpl']\n" + MINIMAL.format(url="http://a"))
    project = make_project()
    printed = imported(project, config)
    assert printed[1] == (
        f"{config}:1: templates: '/etc/alertmanager/*.tmpl' matches no file in the configuration's folder"
    )
    module = (project.rules_dir / "alertmanager.py").read_text()
    assert "templates: '/etc/alertmanager/*.tmpl' matches no file in the configuration's folder (line 1)" in comments(
        module
    )
    assert "Template(" not in flat(module)


def test_templates_outside_the_configurations_folder_are_not_read(make_project: ProjectFactory, tmp_path: Path) -> None:
    """A configuration from elsewhere must not pull the importer's own files into the module."""
    (tmp_path / "outside.tmpl").write_text('{{ define "mine" }}not yours{{ end }}\n', encoding="utf-8")
    folder = tmp_path / "config"
    by_path = write_config(folder, "templates: ['../*.tmpl']\n" + MINIMAL.format(url="http://a"))
    by_link = write_config(folder, "templates: ['*.tmpl']\n" + MINIMAL.format(url="http://a"), name="linked.yaml")
    (folder / "link.tmpl").symlink_to(tmp_path / "outside.tmpl")
    project = make_project()
    for config in (by_path, by_link):
        assert "matches no file in the configuration's folder" in imported(project, config, "--force")[1]
        assert "not yours" not in project.rules_dir.joinpath(f"{config.stem}.py").read_text()


def test_a_broken_template_is_refused_at_the_glob(make_project: ProjectFactory, tmp_path: Path) -> None:
    config = write_config(tmp_path, "templates: ['*.tmpl']\n" + MINIMAL.format(url="http://a"))
    (tmp_path / "broken.tmpl").write_text('{{ define "x" }}{{ .Status {{ end }}\n', encoding="utf-8")
    assert refused(make_project(), config).startswith(
        f"{config}:1: template broken.tmpl: text: unbalanced template: '{{{{' inside an action"
    )


# --- the module's name ----------------------------------------------------------------------------------------


def test_the_module_is_named_after_the_file_or_by_module(make_project: ProjectFactory, tmp_path: Path) -> None:
    config = write_config(tmp_path, MINIMAL.format(url="http://a"), name="am-prod.yml")
    project = make_project()
    assert imported(project, config) == ["wrote rules_src/am_prod.py"]
    assert refused(project, config) == "rules_src/am_prod.py exists; pass --force to overwrite it"
    assert imported(project, config, "--module", "routing") == ["wrote rules_src/routing.py"]
    assert (
        refused(project, config, "--module", "../x") == "--module '../x': expected a module name such as alertmanager"
    )


# --- hostile input --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("- route\n- receivers\n", "1: alertmanager configuration: expected a mapping, got a list"),
        ("route: &a {routes: [*a]}\n", "1: alias *a is inside the node it names, so it would expand for ever"),
        (billion_laughs(), "9: excessive aliasing: 28 nodes as written, "),
        (
            "route: {receiver: a}\nreceivers: [{name: a, webhook_configs: [{url: 'http://a', max_alerts: !!python/int 3}]}]\n",
            "2: receiver a: webhook_configs: max_alerts: expected an integer, got !!python/int '3'",
        ),
        ("route: {receiver: a}\nreceivers: [{name: a}]\n---\nroute: {}\n", "4: one Alertmanager configuration per"),
        ("route:\n  routes: " + "[{routes: " * 200 + "]}" * 200 + "\n", "2: nested more than 100 levels deep"),
    ],
)
def test_hostile_input_is_one_line(make_project: ProjectFactory, tmp_path: Path, text: str, problem: str) -> None:
    config = write_config(tmp_path, text)
    assert refused(make_project(), config).startswith(f"{config}:{problem}")


@pytest.mark.parametrize(("name", "problem"), [("/dev/zero", "cannot read: larger than 64 MiB")])
def test_what_is_not_a_configuration_file_is_one_line(make_project: ProjectFactory, name: str, problem: str) -> None:
    assert refused(make_project(), name) == f"{name}: {problem}"


def test_a_directory_or_an_empty_file_is_one_line(make_project: ProjectFactory, tmp_path: Path) -> None:
    project = make_project()
    assert refused(project, tmp_path) == f"{tmp_path}: cannot read: Is a directory"
    empty = write_config(tmp_path, "")
    assert refused(project, empty) == f"{empty}: no Alertmanager configuration in it"
