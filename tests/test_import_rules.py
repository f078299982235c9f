"""`moncc import rules`: real upstream rule files become DSL modules that build back to the same rules, and
their upstream promtool tests still pass on the output.

Reference data is read in place from `../shared/reference/external-rules/` (never copied into the project).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import promql_parser
import pytest
import yaml

from compiler.dsl.durations import parse_duration
from tests.conftest import REPO_ROOT, Project, ProjectFactory, load_yaml, source

RULES = REPO_ROOT.parent / "shared" / "reference" / "external-rules"
THANOS = RULES / "thanos"
UPSTREAM_FILES = sorted((RULES / "kube-prometheus" / "manifests").glob("*.yaml")) + sorted(
    path for path in (RULES / "awesome-prometheus-alerts" / "dist" / "rules").rglob("*.yml")
)

RUFF_SETTINGS = (REPO_ROOT / "pyproject.toml").read_text().split("[tool.ruff]", 1)[1].split("[tool.mypy]", 1)[0]
"""This repository's own ruff settings (line length 120, E501 among the rules), for the generated modules."""


def mypy_output(project: Project, *modules: str) -> str:
    """mypy, with this repository's settings, on generated modules of `project`."""
    result = subprocess.run(
        [str(Path(sys.executable).parent / "mypy"), "--config-file", str(REPO_ROOT / "pyproject.toml")]
        + [f"rules_src/{module}.py" for module in modules],
        cwd=project.root,
        env={**os.environ, "MYPYPATH": str(REPO_ROOT)},
        capture_output=True,
        text=True,
    )
    return result.stdout


def imported(project: Project, *args: str | Path) -> list[str]:
    """Run `moncc import rules ARGS`, insist it worked, and return what it wrote."""
    result = project.run("import", "rules", *map(str, args))
    assert result.crash is None, f"moncc crashed: {result.crash!r}"
    assert result.exit_code == 0, result.stderr
    return result.stdout.splitlines()


# --- Thanos: the upstream unit tests pass on the imported rules ------------------------------------------------


def test_thanos_rules_and_their_upstream_tests_pass_after_import(make_project: ProjectFactory) -> None:
    project = make_project()
    written = imported(project, THANOS / "alerts.yaml", THANOS / "rules.yaml", "--tests", THANOS / "tests.yaml")
    assert written == ["wrote rules_src/alerts.py", "wrote rules_src/rules.py"]
    project.build()
    result = project.run("test")
    assert result.exit_code == 0, result.stdout + result.stderr
    summary = result.stdout.splitlines()[-1]
    assert summary == "alerts: 48, fully tested: 2 (4%), exempt: 46; tests: 2 passed, 0 failed"
    assert mypy_output(project, "alerts", "rules").endswith("no issues found in 2 source files\n")


def test_several_test_files_import_as_one(make_project: ProjectFactory, tmp_path: Path) -> None:
    """Upstream suites split their tests over files; `--tests` takes each, and the result is the same."""
    suite = load_yaml(THANOS / "tests.yaml")
    halves = [tmp_path / "first.yaml", tmp_path / "second.yaml"]
    for half, tests in zip(halves, (suite["tests"][:1], suite["tests"][1:]), strict=True):
        half.write_text(yaml.safe_dump({**suite, "tests": tests}, sort_keys=False), encoding="utf-8")
    whole, split = make_project(), make_project()
    imported(whole, THANOS / "alerts.yaml", "--tests", THANOS / "tests.yaml")
    imported(split, THANOS / "alerts.yaml", "--tests", halves[0], "--tests", halves[1])
    names = re.compile(r'RuleTest\(\s*"[^"]*",')
    assert names.sub("RuleTest(", (split.rules_dir / "alerts.py").read_text()) == names.sub(
        "RuleTest(", (whole.rules_dir / "alerts.py").read_text()
    )
    split.build()
    assert split.run("test").stdout.splitlines()[-1].endswith("tests: 2 passed, 0 failed")


def test_imported_tests_are_attached_to_the_alert_they_prove(make_project: ProjectFactory) -> None:
    project = make_project()
    imported(project, THANOS / "alerts.yaml", "--tests", THANOS / "tests.yaml")
    module = (project.rules_dir / "alerts.py").read_text()
    sidecar = module.split('"ThanosSidecarNoConnectionToStartedPrometheus",', 1)[1].split("\n        Alert(", 1)[0]
    assert 'RuleTest(\n                    "tests.yaml:8",' in sidecar
    assert 'Quiet(at="1m"),' in sidecar
    # the rule's own severity label and constant annotations are filled in by the build, not repeated
    assert '"severity"' not in sidecar.split("tests=", 1)[1]
    assert '"description": "Thanos Sidecar thanos-sidecar-1 is unhealthy."' in sidecar
    assert "untested=" not in sidecar


def test_an_edge_assertion_whose_verdict_cannot_differ_is_imported(make_project: ProjectFactory) -> None:
    """ThanosNoRuleEvaluations is checked at 5m over a [5m] rate: a sample sits on the window's edge, but the
    counter is steady, so Prometheus 2 and 3 compute the same rate and the assertion is kept (and passes on both)."""
    project = make_project()
    imported(project, THANOS / "alerts.yaml", "--tests", THANOS / "tests.yaml")
    module = (project.rules_dir / "alerts.py").read_text()
    assert "left out" not in module
    assert 'Quiet(at="5m"' in module
    project.build()
    result = project.run("test", "--engine", "prometheus-2", "--engine", "prometheus-3")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1].endswith("tests: 2 passed, 0 failed")


STEPPED_RULES = """\
groups:
  - name: restarts
    rules:
      - alert: Restarting
        expr: increase(restarts_total[15m]) > 2
"""
STEPPED_TESTS = """\
rule_files: [rules.yaml]
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      - series: restarts_total{pod="a"}
        values: 0 0 0 0 0 1 1 1 1 1 2 2 2 2 2 3 3 3 3 3 4 4 4 4 4 5 5 5 5 5
    alert_rule_test:
      - eval_time: 15m
        alertname: Restarting
        exp_alerts: []
      - eval_time: 29m
        alertname: Restarting
        exp_alerts:
          - exp_labels: {pod: a}
"""


def test_an_edge_assertion_whose_verdict_depends_on_the_version_is_kept_as_a_comment(
    make_project: ProjectFactory, tmp_path: Path
) -> None:
    """A stepped counter with a step on the [15m] window's left edge: 2.x counts the step and 3.x does not."""
    (tmp_path / "rules.yaml").write_text(STEPPED_RULES, encoding="utf-8")
    (tmp_path / "tests.yaml").write_text(STEPPED_TESTS, encoding="utf-8")
    project = make_project()
    imported(project, tmp_path / "rules.yaml", "--tests", tmp_path / "tests.yaml")
    module = re.sub(r"\n *# ", " ", (project.rules_dir / "rules.py").read_text())
    assert 'Fires(at="29m", alert="Restarting") left out: its verdict depends on the Prometheus version:' in module
    assert 'Quiet(at="15m")' in module


def test_alerts_without_an_upstream_test_say_so(make_project: ProjectFactory) -> None:
    project = make_project()
    imported(project, THANOS / "alerts.yaml")
    module = (project.rules_dir / "alerts.py").read_text()
    assert module.count('untested="imported from alerts.yaml; no upstream test"') == 48


# --- kube-prometheus and awesome-prometheus-alerts: the same rules after a round trip --------------------------


def upstream_groups(path: Path) -> list[dict[str, Any]]:
    """Every non-empty group of every document (rule file or PrometheusRule CRD)."""
    groups: list[dict[str, Any]] = []
    for document in yaml.safe_load_all(path.read_text()):
        if document:
            groups.extend(document["spec"]["groups"] if "spec" in document else document["groups"])
    return [group for group in groups if group.get("rules")]


def canonical(expr: str) -> str:
    return str(promql_parser.parse(expr).prettify())


def duration(value: object) -> object:
    """Durations compared as time spans; an explicit zero is not the same as none."""
    return parse_duration(str(value)) if value is not None else None


def rule_meaning(rule: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": rule.get("alert") or rule.get("record"),
        "kind": "alert" if "alert" in rule else "record",
        "expr": canonical(str(rule["expr"])),
        "for": duration(rule.get("for")),
        "keep_firing_for": duration(rule.get("keep_firing_for")),
        "labels": {name: str(value) for name, value in (rule.get("labels") or {}).items()},
        "annotations": {name: str(value) for name, value in (rule.get("annotations") or {}).items()},
    }


def group_meaning(group: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": group["name"],
        "interval": duration(group.get("interval")),
        "limit": group.get("limit"),
        "rules": [rule_meaning(rule) for rule in group["rules"]],
    }


@pytest.fixture(scope="module")
def round_trip(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """Every kube-prometheus CRD and awesome-prometheus-alerts file, imported in one run and built."""
    root = tmp_path_factory.mktemp("round_trip")
    (root / "rules_src").mkdir()
    (root / "pyproject.toml").write_text(
        f'[project]\nname = "round-trip"\n\n[tool.moncc]\n\n[tool.ruff]{RUFF_SETTINGS}'
    )
    project = Project(root)
    assert len(imported(project, *UPSTREAM_FILES)) == len(UPSTREAM_FILES) == 120
    project.build()
    return project


def test_every_upstream_file_builds_back_to_the_same_rules(round_trip: Project) -> None:
    modules = sorted(round_trip.rules_dir.glob("*.py"))
    docstrings = {path.read_text().split('"""', 2)[1].rsplit("\n", 2)[-2]: path.stem for path in modules}
    for upstream in UPSTREAM_FILES:
        module = docstrings[str(upstream)]
        built = round_trip.build_dir / "prometheus" / f"{module}.rules.yaml"
        expected = [group_meaning(group) for group in upstream_groups(upstream)]
        ours = [group_meaning(group) for group in load_yaml(built)["groups"]] if built.exists() else []
        assert ours == expected, upstream


def test_clashing_file_names_are_told_apart_by_their_folder(round_trip: Project) -> None:
    names = {path.name for path in round_trip.rules_dir.glob("*.py")}
    assert {"argocd_embedded_exporter.py", "caddy_embedded_exporter.py", "kube_prometheus_prometheus_rule.py"} <= names


def test_generated_modules_pass_ruff_and_mypy(round_trip: Project) -> None:
    tools = Path(sys.executable).parent
    for command in (["ruff", "check", "rules_src"], ["ruff", "format", "--check", "rules_src"]):
        result = subprocess.run([str(tools / command[0]), *command[1:]], cwd=round_trip.root, capture_output=True)
        assert result.returncode == 0, result.stdout.decode()
    assert mypy_output(round_trip, "alertmanager_prometheus_rule", "memcached_exporter").startswith("Success")


def test_a_name_prometheus_accepts_but_metric_syntax_does_not_is_kept_verbatim(round_trip: Project) -> None:
    module = (round_trip.rules_dir / "memcached_exporter.py").read_text()
    assert '"MemcachedConnectionLimitApproaching(>80%)",\n            verbatim_name=True,' in module


def test_a_module_imports_only_what_it_uses(make_project: ProjectFactory) -> None:
    project = make_project()
    imported(project, THANOS / "rules.yaml")
    module = (project.rules_dir / "rules.py").read_text()
    assert "from compiler.dsl import Record, RuleGroup\n" in module
    assert "# group 'thanos-bucket-replicate.rules' has no rules upstream; left out" in module


def test_the_generated_module_reads_like_a_hand_written_one(make_project: ProjectFactory, tmp_path: Path) -> None:
    rules = tmp_path / "api-rules.yaml"
    rules.write_text(
        source(
            """
            groups:
            - name: api
              interval: 30s
              limit: 10
              rules:
              - alert: HighErrorRate
                expr: |
                  sum by (job) (rate(http_requests_total{code=~"5.."}[5m]))
                    / sum by (job) (rate(http_requests_total[5m])) > 0.05
                for: 5m
                keep_firing_for: 10m
                labels: {severity: critical, team: web}
                annotations: {summary: High error rate, dashboard: 'https://grafana/d/api'}
              - record: job:http_requests:rate5m
                expr: sum by (job) (rate(http_requests_total{path=~"/a\\\\.b"}[5m]))
            """
        )
    )
    project = make_project()
    assert imported(project, rules) == ["wrote rules_src/api_rules.py"]
    assert (project.rules_dir / "api_rules.py").read_text() == source(
        f'''
        """Imported by `moncc import rules` from a Prometheus rule file:

        {rules}
        """

        from compiler.dsl import Alert, Record, RuleGroup

        api = RuleGroup(
            "api",
            rules=[
                Alert(
                    "HighErrorRate",
                    expr="""
                        sum by (job) (rate(http_requests_total{{code=~"5.."}}[5m]))
                          / sum by (job) (rate(http_requests_total[5m])) > 0.05
                    """,
                    for_="5m",
                    keep_firing_for="10m",
                    severity="critical",
                    summary="High error rate",
                    labels={{"team": "web"}},
                    annotations={{"dashboard": "https://grafana/d/api"}},
                    untested="imported from api-rules.yaml; no upstream test",
                ),
                Record(
                    "job:http_requests:rate5m",
                    expr=r'sum by (job) (rate(http_requests_total{{path=~"/a\\\\.b"}}[5m]))',
                ),
            ],
            interval="30s",
            limit=10,
        )
        '''
    )
    project.build()


def test_an_explicit_zero_for_is_kept_as_the_authors_intent(make_project: ProjectFactory, tmp_path: Path) -> None:
    """`for: 0s` (kubernetes-mixin's KubeNodeEviction) says "at once" on purpose: it stays `for_="0s"`, builds
    back to `for: 0s`, and `alert/for-missing` leaves it alone, where an alert without `for` is reported."""
    rules = tmp_path / "evictions.yaml"
    rules.write_text(
        source(
            """
            groups:
            - name: kubelet
              rules:
              - alert: KubeNodeEviction
                expr: sum by (node) (rate(kubelet_evictions[15m])) > 0
                for: 0s
                labels: {severity: info}
              - alert: KubeNodeEvictionWithoutFor
                expr: sum by (node) (rate(kubelet_evictions[15m])) > 0
                labels: {severity: info}
            """
        )
    )
    project = make_project()
    imported(project, rules)
    module = (project.rules_dir / "evictions.py").read_text()
    assert module.count('for_="0s"') == 1
    project.build()
    rules_built = load_yaml(project.build_dir / "prometheus" / "evictions.rules.yaml")["groups"][0]["rules"]
    assert [rule.get("for") for rule in rules_built] == ["0s", None]
    linted = project.run("lint", "--format", "json")
    missing = [f["message"] for f in json.loads(linted.stdout)["findings"] if f["check"] == "alert/for-missing"]
    assert [message.split(":")[0] for message in missing] == ["alert KubeNodeEvictionWithoutFor"]


# --- bad input: one line naming the file and line, nothing written -----------------------------------------------


def rejected(project: Project, *args: str | Path) -> list[str]:
    before = sorted(project.rules_dir.rglob("*"))
    result = project.run("import", "rules", *map(str, args))
    assert result.crash is None, f"moncc crashed: {result.crash!r}"
    assert result.exit_code == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert sorted(project.rules_dir.rglob("*")) == before, "a failed import wrote files"
    return result.problems


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("groups: [\n", "2: not valid YAML: did not find expected node content"),
        ("kind: Deployment\napiVersion: apps/v1\n", "1: unknown kind Deployment of apiVersion apps/v1"),
        ("groups:\n- name: a\n  rules:\n  - alert: A\n", "4: alert A: no expr"),
        ("groups:\n- name: a\n  rules:\n  - alert: A\n    expr: up ==\n", "5: alert A: expr: invalid PromQL"),
        ("groups:\n- name: a\n  rules:\n  - record: a\n    expr: up\n    for: 5m\n", "6: record: unknown field 'for'"),
        ("groups:\n- name: a\n  rules:\n  - alert: A\n    expr: up\n    for: soon\n", "6: alert A: for: invalid"),
    ],
)
def test_bad_input_is_one_line_at_its_file_and_line(
    make_project: ProjectFactory, tmp_path: Path, text: str, problem: str
) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(text)
    good = THANOS / "rules.yaml"
    (message,) = rejected(make_project(), good, bad)
    assert message.startswith(f"{bad}:{problem}")


def test_a_test_of_a_missing_alert_is_refused(make_project: ProjectFactory, tmp_path: Path) -> None:
    tests = tmp_path / "tests.yaml"
    tests.write_text("tests:\n- input_series: []\n  alert_rule_test:\n  - eval_time: 1m\n    alertname: Nope\n")
    (message,) = rejected(make_project(), THANOS / "alerts.yaml", "--tests", tests)
    assert message.startswith(f"{tests}:4: alert Nope is not defined in the imported rule files")


def test_existing_modules_are_kept_unless_forced(make_project: ProjectFactory) -> None:
    project = make_project()
    imported(project, THANOS / "rules.yaml")
    module = project.rules_dir / "rules.py"
    module.write_text("# edited\n")
    assert rejected(project, THANOS / "rules.yaml") == ["rules_src/rules.py exists; pass --force to overwrite it"]
    assert module.read_text() == "# edited\n"
    imported(project, THANOS / "rules.yaml", "--force")
    assert "RuleGroup(" in module.read_text()


def test_a_recording_rule_test_is_attached_to_the_record_and_passes(
    make_project: ProjectFactory, tmp_path: Path
) -> None:
    rules = tmp_path / "jobs.yaml"
    rules.write_text("groups:\n- name: g\n  rules:\n  - record: job:up:sum\n    expr: sum by (job) (up)\n")
    tests = tmp_path / "tests.yaml"
    tests.write_text(
        source(
            """
            tests:
            - input_series: [{series: 'up{job="b", instance="1"}', values: '1x10'}]
              promql_expr_test:
              - expr: job:up:sum
                eval_time: 3m
                exp_samples: [{labels: 'job:up:sum{job="b"}', value: 1}]
            """
        )
    )
    project = make_project()
    imported(project, rules, "--tests", tests)
    module = (project.rules_dir / "jobs.py").read_text()
    assert re.search(
        r'Record\(\s+"job:up:sum",.*tests=.*Evaluates\(\s+at="3m",\s+value=1.0,\s+labels=\{"job": "b"\},\s+\)',
        module,
        re.S,
    )
    result = project.run("test")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1].endswith("tests: 1 passed, 0 failed")
