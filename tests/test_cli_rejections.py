"""Every user mistake is one line `rules_src/<file>.py:<line>: <message>`, exit status 1, and build/ untouched.

Each test starts from a project that already built (`built`), adds one broken module, and runs `moncc build`.
`Project.build_fails` checks what every rejection shares (exit 1, no traceback, summary line, build/ unchanged
byte for byte, no staging folder left) and returns the problem lines, which the test compares exactly.
"""

from __future__ import annotations

import pytest

from tests.conftest import GOOD_MODULE, Project, ProjectFactory

# --- PromQL ---------------------------------------------------------------------------------------------------


def test_invalid_promql_points_at_the_alert(built: Project) -> None:
    built.write(
        "api",
        """
        from compiler.dsl import Alert, RuleGroup

        api = RuleGroup(
            "api",
            rules=[
                Alert("Broken", expr="sum(rate(http_requests_total[5m])"),
            ],
        )
        """,
    )
    assert built.build_fails() == [
        "rules_src/api.py:6: alert Broken: expr: invalid PromQL: unclosed left parenthesis",
    ]


def test_a_range_vector_is_not_a_rule_expression(built: Project) -> None:
    built.write(
        "api",
        """
        from compiler.dsl import Record, RuleGroup

        api = RuleGroup("api", rules=[Record("job:requests:range", expr="http_requests_total[5m]")])
        """,
    )
    assert built.build_fails() == [
        "rules_src/api.py:3: record job:requests:range: expr: a rule's expression must return an instant vector"
        " or a scalar, not a MatrixSelector",
    ]


def test_a_multi_line_alert_is_reported_at_the_line_that_calls_alert(built: Project) -> None:
    built.write(
        "api",
        """
        from compiler.dsl import Alert, RuleGroup

        api = RuleGroup(
            "api",
            rules=[
                Alert(
                    "Broken",
                    expr='''
                        rate(x[5m]) >
                    ''',
                ),
            ],
        )
        """,
    )
    [problem] = built.build_fails()
    assert problem.startswith("rules_src/api.py:6: alert Broken: expr: invalid PromQL: ")


def test_a_space_prometheus_does_not_read_as_a_blank(built: Project) -> None:
    built.write(
        "api",
        """
        from compiler.dsl import Alert, RuleGroup

        api = RuleGroup("api", rules=[Alert("Down", expr="up\\x0c== 0")])
        """,
    )
    assert built.build_fails() == [
        "rules_src/api.py:3: alert Down: expr: invalid PromQL: unexpected character '\\x0c' at offset 2:"
        " not a blank to Prometheus",
    ]


# --- names ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            'labels={"team-name": "sre"}',
            "alert Down: labels: invalid label name 'team-name': must match [a-zA-Z_][a-zA-Z0-9_]*",
        ),
        (
            'labels={"__name__": "x"}',
            "alert Down: labels: invalid label name '__name__': names starting with '__' are reserved",
        ),
        (
            'annotations={"run book": "https://example.com"}',
            "alert Down: annotations: invalid label name 'run book': must match [a-zA-Z_][a-zA-Z0-9_]*",
        ),
    ],
    ids=["label-with-dash", "reserved-label", "annotation-with-space"],
)
def test_invalid_label_and_annotation_names(built: Project, arguments: str, message: str) -> None:
    built.write(
        "api",
        f"""
        from compiler.dsl import Alert, RuleGroup

        api = RuleGroup("api", rules=[Alert("Down", expr="up == 0", {arguments})])
        """,
    )
    assert built.build_fails() == [f"rules_src/api.py:3: {message}"]


def test_invalid_alert_name(built: Project) -> None:
    built.write(
        "api",
        """
        from compiler.dsl import Alert, RuleGroup

        api = RuleGroup("api", rules=[Alert("Target Down", expr="up == 0")])
        """,
    )
    assert built.build_fails() == [
        "rules_src/api.py:3: alert Target Down: name: invalid metric name 'Target Down':"
        " must match [a-zA-Z_:][a-zA-Z0-9_:]*",
    ]


def test_invalid_record_name(built: Project) -> None:
    built.write(
        "api",
        """
        from compiler.dsl import Record, RuleGroup

        api = RuleGroup(
            "api",
            rules=[Record("job:http-requests:rate5m", expr="sum by (job) (rate(http_requests_total[5m]))")],
        )
        """,
    )
    assert built.build_fails() == [
        "rules_src/api.py:5: record job:http-requests:rate5m: name: invalid metric name 'job:http-requests:rate5m':"
        " must match [a-zA-Z_:][a-zA-Z0-9_:]*",
    ]


# --- durations ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("for_", '"5"', "invalid duration '5': a unit is required (ms, s, m, h, d, w, y)"),
        ("for_", '"1.5h"', "invalid duration '1.5h': expected Prometheus syntax such as '30s', '5m' or '1h30m'"),
        ("for_", '"-5m"', "invalid duration '-5m': expected Prometheus syntax such as '30s', '5m' or '1h30m'"),
        (
            "keep_firing_for",
            '"5 m"',
            "invalid duration '5 m': expected Prometheus syntax such as '30s', '5m' or '1h30m'",
        ),
        ("for_", "timedelta(minutes=-5)", "duration must not be negative, got -1 day, 23:55:00"),
    ],
    ids=["no-unit", "fraction", "negative", "space", "negative-timedelta"],
)
def test_bad_durations(built: Project, field: str, value: str, reason: str) -> None:
    built.write(
        "api",
        f"""
        from datetime import timedelta

        from compiler.dsl import Alert, RuleGroup

        api = RuleGroup("api", rules=[Alert("Down", expr="up == 0", {field}={value})])
        """,
    )
    assert built.build_fails() == [f"rules_src/api.py:5: alert Down: {field.removesuffix('_')}: {reason}"]


def test_bad_group_interval_points_at_the_group(built: Project) -> None:
    built.write(
        "api",
        """
        from compiler.dsl import Alert, RuleGroup

        api = RuleGroup(
            "api",
            rules=[Alert("Down", expr="up == 0")],
            interval="1 minute",
        )
        """,
    )
    assert built.build_fails() == [
        "rules_src/api.py:3: group api: interval: invalid duration '1 minute':"
        " expected Prometheus syntax such as '30s', '5m' or '1h30m'",
    ]


def test_sub_millisecond_timedelta_is_rejected_at_the_alert(built: Project) -> None:
    built.write(
        "api",
        """
        from datetime import timedelta

        from compiler.dsl import Alert, RuleGroup

        api = RuleGroup(
            "api",
            rules=[
                Alert("Down", expr="up == 0", for_=timedelta(microseconds=1)),
            ],
        )
        """,
    )
    problems = built.build_fails()
    assert len(problems) == 1, problems
    assert problems[0].startswith("rules_src/api.py:8: alert Down: for: "), problems


# --- templates and keywords -----------------------------------------------------------------------------------


def test_unbalanced_template_in_an_annotation(built: Project) -> None:
    built.write(
        "api",
        """
        from compiler.dsl import Alert, RuleGroup

        api = RuleGroup(
            "api",
            rules=[Alert("Down", expr="up == 0", summary="{{ $labels.job is down")],
        )
        """,
    )
    assert built.build_fails() == [
        "rules_src/api.py:5: alert Down: annotations: summary: unbalanced template: '{{' at offset 0 is never closed",
    ]


def test_unbalanced_template_in_an_alert_label(built: Project) -> None:
    built.write(
        "api",
        """
        from compiler.dsl import Alert, RuleGroup

        api = RuleGroup(
            "api",
            rules=[Alert("Down", expr="up == 0", labels={"instance": "{{/* the instance */ }}"})],
        )
        """,
    )
    assert built.build_fails() == [
        "rules_src/api.py:5: alert Down: labels: instance: invalid template: comment ends before closing delimiter"
        " at offset 20",
    ]


def test_severity_keyword_contradicting_the_severity_label(built: Project) -> None:
    built.write(
        "api",
        """
        from compiler.dsl import Alert, RuleGroup

        api = RuleGroup(
            "api",
            rules=[Alert("Down", expr="up == 0", severity="page", labels={"severity": "ticket"})],
        )
        """,
    )
    assert built.build_fails() == [
        "rules_src/api.py:5: alert Down: severity='page' contradicts labels['severity']='ticket'; give it once",
    ]


# --- one line per problem, whatever the author wrote ------------------------------------------------------------


def test_a_series_helper_mistake_is_one_line_at_its_call(built: Project) -> None:
    built.write(
        "api",
        """
        from compiler.dsl import counter

        burst = counter("x_total", 1, changes={"5 minutes": 2})
        """,
    )
    assert built.build_fails() == [
        "rules_src/api.py:3: series x_total: changes: invalid duration '5 minutes': expected Prometheus syntax such"
        " as '30s', '5m' or '1h30m'",
    ]


def test_series_fields_of_the_wrong_type_are_one_line_each(built: Project) -> None:
    built.write(
        "api",
        """
        from compiler.dsl import gauge

        level = gauge("queue_depth", "high")
        """,
    )
    built.write("ops", 'from compiler.dsl import Series\n\nboth = Series(selector="up", values=1, shape="flat")\n')
    assert built.build_fails() == [
        "rules_src/api.py:3: series queue_depth: level: Input should be a valid number, unable to parse string as a"
        " number",
        "rules_src/ops.py:3: series up: values: Input should be a valid string",
        "rules_src/ops.py:3: series up: shape: Extra inputs are not permitted",
    ]


def test_names_and_keys_holding_line_breaks_are_shown_as_literals(built: Project) -> None:
    built.write(
        "api",
        """
        from compiler.dsl import Alert, RuleGroup

        labelled = RuleGroup("api", rules=[Alert("Down", expr="up == 0", labels={"a\\nb": 1})])
        """,
    )
    built.write("ops", 'from compiler.dsl import RuleGroup\n\nempty = RuleGroup("two\\nlines", rules=[])\n')
    assert built.build_fails() == [
        "rules_src/api.py:3: alert Down: labels.'a\\nb': Input should be a valid string",
        "rules_src/ops.py:3: group 'two\\nlines': rules: List should have at least 1 item after validation, not 0",
    ]


def test_a_histogram_named_with_a_line_break_fails_on_one_line(built: Project) -> None:
    built.write(
        "api",
        """
        from compiler.dsl import histogram

        latency = histogram("latency\\nseconds", {0.1: 1})
        """,
    )
    assert built.build_fails() == [
        "rules_src/api.py:3: ValueError: histogram 'latency\\nseconds': buckets must include '+Inf' (the total rate)",
    ]


# --- modules --------------------------------------------------------------------------------------------------


def test_a_module_that_raises_name_error_is_reported_at_the_failing_line(built: Project) -> None:
    built.write(
        "api",
        """
        from compiler.dsl import Alert, RuleGroup

        THRESHOLD = 0.05
        api = RuleGroup("api", rules=[Alert("Down", expr=f"up < {TRESHOLD}")])
        """,
    )
    assert built.build_fails() == ["rules_src/api.py:4: NameError: name 'TRESHOLD' is not defined"]


def test_a_module_with_a_syntax_error_is_reported_at_its_line(built: Project) -> None:
    built.write(
        "api",
        """
        from compiler.dsl import Alert, RuleGroup

        api = RuleGroup("api", rules=[Alert("Down", expr="up == 0")]
        other = 1
        """,
    )
    [problem] = built.build_fails()
    assert problem.startswith("rules_src/api.py:3: SyntaxError: "), problem


def test_an_error_raised_in_a_helper_module_points_into_the_helper(built: Project) -> None:
    built.write(
        "_helpers",
        """
        def ratio(bad: str, total: str) -> str:
            return f"{bad} / {totl}"
        """,
    )
    built.write(
        "api",
        """
        from compiler.dsl import Record, RuleGroup
        from rules_src._helpers import ratio

        api = RuleGroup("api", rules=[Record("job:errors:ratio", expr=ratio("errors", "requests"))])
        """,
    )
    assert built.build_fails() == ["rules_src/_helpers.py:2: NameError: name 'totl' is not defined"]


def test_two_groups_with_the_same_name_in_one_module(built: Project) -> None:
    built.write(
        "api",
        """
        from compiler.dsl import Alert, RuleGroup

        first = RuleGroup("api", rules=[Alert("Down", expr="up == 0")])
        second = RuleGroup("api", rules=[Alert("Slow", expr="up == 0")])
        """,
    )
    assert built.build_fails() == [
        "rules_src/api.py:4: group api: defined twice in this module (first at rules_src/api.py:3)",
    ]


def test_an_alert_in_no_group_is_an_error(built: Project) -> None:
    built.write(
        "api",
        """
        from compiler.dsl import Alert, RuleGroup

        down = Alert("Down", expr="up == 0")
        forgotten = Alert("Forgotten", expr="up == 0")
        api = RuleGroup("api", rules=[down])
        """,
    )
    assert built.build_fails() == [
        "rules_src/api.py:4: alert Forgotten: not in any RuleGroup, so it would never be emitted; add it to a group",
    ]


def test_an_empty_group(built: Project) -> None:
    built.write(
        "api",
        """
        from compiler.dsl import RuleGroup

        api = RuleGroup("api", rules=[])
        """,
    )
    assert built.build_fails() == [
        "rules_src/api.py:3: group api: rules: List should have at least 1 item after validation, not 0",
    ]


def test_a_module_file_name_that_is_not_a_python_identifier(built: Project) -> None:
    built.write("Bad-Name", GOOD_MODULE)
    assert built.build_fails() == [
        "rules_src/Bad-Name.py:1: cannot import 'rules_src.Bad-Name': every folder and file name must be a Python"
        " identifier",
    ]


def test_a_module_name_that_is_not_a_valid_kubernetes_name_or_path(built: Project) -> None:
    built.write("café", GOOD_MODULE)  # a valid Python identifier, but neither a DNS name nor a plain file name
    assert built.build_fails() == [
        "rules_src/café.py:3: unsafe output path 'prometheus/café.rules.yaml': 'café.rules.yaml' must be letters,"
        " digits, '.', '_' or '-' and not start with '.'",
        "rules_src/café.py:3: module name 'café' gives 'café', not a valid Kubernetes object name",
    ]


def test_a_module_path_too_long_for_a_kubernetes_name(built: Project) -> None:
    folder, module = "a" * 130, "b" * 130
    built.write(f"{folder}/{module}", GOOD_MODULE)
    assert built.build_fails() == [
        f"rules_src/{folder}/{module}.py:3: module name '{folder}/{module}' gives '{folder}-{module}',"
        " not a valid Kubernetes object name",
    ]


def test_two_modules_that_map_to_the_same_crd_name(built: Project) -> None:
    built.write("team/payments", GOOD_MODULE)
    built.write("team_payments", GOOD_MODULE)
    assert built.build_fails() == [
        "rules_src/team_payments.py:3: kubernetes/prometheusrules/team-payments.yaml is also produced from"
        " rules_src/team/payments.py:3; rename one",
    ]


def test_every_problem_of_every_module_is_reported_in_one_run(built: Project) -> None:
    built.write(
        "api",
        """
        from compiler.dsl import Alert, RuleGroup

        api = RuleGroup("api", rules=[Alert("Down", expr="up ==", for_="5")])
        """,
    )
    built.write("broken", "import nosuchmodule\n")
    built.write(
        "queue",
        """
        from compiler.dsl import Alert, RuleGroup

        first = RuleGroup("queue", rules=[Alert("Backlog", expr="queue_depth > 100")])
        second = RuleGroup("queue", rules=[Alert("Stuck", expr="queue_depth > 100")])
        loose = Alert("Loose", expr="up == 0")
        """,
    )
    problems = built.build_fails()
    assert problems[0].startswith("rules_src/api.py:3: alert Down: expr: invalid PromQL: ")
    assert problems[1:] == [
        "rules_src/api.py:3: alert Down: for: invalid duration '5': a unit is required (ms, s, m, h, d, w, y)",
        "rules_src/broken.py:1: ModuleNotFoundError: No module named 'nosuchmodule'",
        "rules_src/queue.py:4: group queue: defined twice in this module (first at rules_src/queue.py:3)",
        "rules_src/queue.py:5: alert Loose: not in any RuleGroup, so it would never be emitted; add it to a group",
    ]


def test_debug_shows_the_traceback_of_a_failing_module(built: Project) -> None:
    built.write("api", "raise RuntimeError('boom')\n")
    result = built.run("--debug", "build")
    assert result.exit_code == 1
    assert "Traceback" in result.stderr
    assert "rules_src/api.py:1: RuntimeError: boom" in result.stderr.splitlines()


# --- promtool: what the DSL accepts but Prometheus does not ----------------------------------------------------


def test_a_template_promtool_rejects_fails_the_build_at_the_alert(built: Project) -> None:
    built.write(
        "api",
        """
        from compiler.dsl import Alert, RuleGroup

        api = RuleGroup(
            "api",
            rules=[
                Alert("Fine", expr="up == 0", summary="{{ $labels.job }} is down"),
                Alert("Broken", expr="up == 0", summary="{{ .Foo | nosuchfunc }}"),
            ],
        )
        """,
    )
    [problem] = built.build_fails()
    assert problem.startswith("rules_src/api.py:7: promtool check rules (prometheus-2, prometheus-3): "), problem
    assert 'function "nosuchfunc" not defined' in problem


def test_promtool_problems_of_several_files_point_at_their_own_alerts(built: Project) -> None:
    built.write(
        "api",
        """
        from compiler.dsl import Alert, RuleGroup

        api = RuleGroup("api", rules=[Alert("Broken", expr="up == 0", labels={"x": "{{ nosuchfunc }}"})])
        """,
    )
    built.write(
        "queue",
        """
        from compiler.dsl import Alert, RuleGroup

        first = RuleGroup("first", rules=[Alert("Fine", expr="up == 0")])
        second = RuleGroup(
            "second",
            rules=[
                Alert("AlsoFine", expr="up == 0"),
                Alert("Broken", expr="up == 0", description="{{ template \\"nosuchtemplate\\" }}x{{ nosuchfunc }}"),
            ],
        )
        """,
    )
    problems = built.build_fails()
    assert [problem.split(" promtool check rules (prometheus-2, prometheus-3): ")[0] for problem in problems] == [
        "rules_src/api.py:3:",
        "rules_src/queue.py:8:",
    ]


# --- settings -------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("settings", "line", "message"),
    [
        ('rule_dir = "rules"', 5, "[tool.moncc] rule_dir: Extra inputs are not permitted"),
        ("build_dir = 5", 5, "[tool.moncc] build_dir: Input is not a valid path for <class 'pathlib.Path'>"),
        (
            "[tool.moncc.kubernetes]\nlabels = { release = 1 }",
            6,
            "[tool.moncc] kubernetes.labels.release: Input should be a valid string",
        ),
        ('evaluation_interval = "0s"', 5, "[tool.moncc] evaluation_interval: must be a positive duration, got '0s'"),
        (
            'rules_dir = "."',
            5,
            "[tool.moncc] rules_dir: must be a folder of its own, not the repository root (moncc imports every"
            " module in it)",
        ),
        ('build_dir = "a\\u0000b"', 5, "[tool.moncc] build_dir: must be a printable path, got 'a\\x00b'"),
    ],
    ids=["unknown-key", "wrong-type", "label-not-a-string", "zero-interval", "root-as-sources", "nul-in-path"],
)
def test_an_invalid_setting_is_one_line_naming_pyproject(
    make_project: ProjectFactory, settings: str, line: int, message: str
) -> None:
    project = make_project(pyproject=f'[project]\nname = "x"\n\n[tool.moncc]\n{settings}\n', good=GOOD_MODULE)
    assert project.build_fails() == [f"pyproject.toml:{line}: {message}"]


def test_a_build_dir_outside_the_project_is_refused(make_project: ProjectFactory) -> None:
    project = make_project(pyproject='[tool.moncc]\nbuild_dir = "../elsewhere"\n', good=GOOD_MODULE)
    [problem] = project.build_fails()
    assert problem.startswith("pyproject.toml:2: [tool.moncc] build_dir: ")
    assert problem.endswith("must be a path inside the repository, got ../elsewhere")
    assert not (project.root.parent / "elsewhere").exists()


def test_a_setting_validator_message_has_no_pydantic_prefix(make_project: ProjectFactory) -> None:
    project = make_project(pyproject='[tool.moncc]\nbuild_dir = "/srv/build"\n', good=GOOD_MODULE)
    assert project.build_fails() == [
        "pyproject.toml:2: [tool.moncc] build_dir: must be a path inside the repository, got /srv/build"
    ]


def test_invalid_toml_is_one_line_naming_pyproject(make_project: ProjectFactory) -> None:
    project = make_project(pyproject="[tool.moncc]\nbuild_dir = [\n", good=GOOD_MODULE)
    [problem] = project.build_fails()
    assert problem.startswith("pyproject.toml:1: invalid TOML: ")


@pytest.mark.parametrize(
    "kubernetes",
    ['namespace = "Team_Monitoring"', 'labels = { "bad label!" = "x" }'],
    ids=["namespace", "label-name"],
)
def test_an_invalid_kubernetes_setting_names_pyproject(make_project: ProjectFactory, kubernetes: str) -> None:
    project = make_project(
        pyproject=f"[tool.moncc]\n\n[tool.moncc.kubernetes]\n{kubernetes}\n", api=GOOD_MODULE, queue=GOOD_MODULE
    )
    problems = project.build_fails()
    assert len(problems) == 1, problems
    assert problems[0].startswith("pyproject.toml:")
