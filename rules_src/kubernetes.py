"""Kubernetes workloads, from kube-state-metrics, cAdvisor and the kubelet.

Metrics:
- kube-state-metrics: `kube_pod_container_status_restarts_total`, `kube_pod_container_status_last_terminated_reason`,
  `kube_pod_status_ready{condition}`, `kube_pod_status_phase{phase}`, `kube_deployment_spec_replicas`,
  `kube_deployment_status_replicas_available`, `kube_deployment_status_replicas_updated`,
  `kube_pod_container_resource_limits{resource}`
- cAdvisor: `container_cpu_usage_seconds_total`, `container_memory_working_set_bytes`,
  `container_cpu_cfs_periods_total`, `container_cpu_cfs_throttled_periods_total`
- kubelet: `kubelet_volume_stats_available_bytes`, `kubelet_volume_stats_capacity_bytes`
"""

from compiler.dsl import Alert, Evaluates, Fires, Quiet, Record, RuleGroup, RuleTest, Series, counter, gauge, raw, step

_TEAM = {"team": "platform"}

# Test fixtures: the checkout pod in namespace shop, as kube-state-metrics, cAdvisor and the kubelet label it.
_KSM = 'job="kube-state-metrics", instance="10.0.3.7:8080"'
_CADVISOR = 'job="kubelet", metrics_path="/metrics/cadvisor", instance="node-a"'
_KUBELET = 'job="kubelet", metrics_path="/metrics", instance="node-a"'
_POD = 'namespace="shop", pod="checkout-7d9f8b6c5-x2k4p"'
_CONTAINER = f'{_POD}, container="checkout"'
_CONTAINER_LABELS = {"namespace": "shop", "pod": "checkout-7d9f8b6c5-x2k4p", "container": "checkout"}
_CHECKOUT_CGROUP = (
    f'{_CONTAINER}, image="registry.example.com/shop/checkout:1.42.0", id="/kubepods/burstable/pod3b1f/9c2e"'
)
_CART_CGROUP = (
    'namespace="shop", pod="cart-5c8d9-q7w2z", container="cart", '
    'image="registry.example.com/shop/cart:2.3.1", id="/kubepods/burstable/pod8a2c/41d7"'
)
_POD_CGROUP = f'{_POD}, container="", image="", id="/kubepods/burstable/pod3b1f"'
_DEPLOYMENT = f'{_KSM}, namespace="shop", deployment="checkout"'
_PVC = 'namespace="shop", persistentvolumeclaim="data-postgres-0"'
_PVC_LABELS = {"namespace": "shop", "persistentvolumeclaim": "data-postgres-0"}
_PVC_RATIO = "namespace_persistentvolumeclaim:kubelet_volume_stats_available_bytes:ratio"


def _restarts(restarted_at: list[int], *, minutes: int = 60, container: str = _CONTAINER) -> Series:
    """`kube_pod_container_status_restarts_total` sampled each minute, one restart at each of `restarted_at` minutes."""
    values = [sum(1 for at in restarted_at if at <= minute) for minute in range(minutes + 1)]
    runs: list[str] = []
    start = 0
    for index in range(1, len(values) + 1):
        if index == len(values) or values[index] != values[start]:
            runs.append(f"{values[start]}x{index - start - 1}")
            start = index
    return raw(f"kube_pod_container_status_restarts_total{{{_KSM}, {container}}}", " ".join(runs))


def _last_terminated(reason: str, *, at_minute: int, minutes: int = 60) -> Series:
    """kube-state-metrics' `last_terminated_reason` of the checkout container: absent until it first terminates."""
    selector = f'kube_pod_container_status_last_terminated_reason{{{_KSM}, {_CONTAINER}, reason="{reason}"}}'
    return raw(selector, f"_x{at_minute} 1x{minutes - at_minute}")


def _pod_status(not_ready: float, *, changes: dict[str, float] | None = None, phase: str = "Running") -> list[Series]:
    """kube-state-metrics' ready conditions and phase of the checkout pod; `not_ready` is 1 while it is unready."""
    ready = {at: 1 - value for at, value in (changes or {}).items()}
    phases = ["Pending", "Running", "Succeeded", "Failed", "Unknown"]
    return [
        gauge(f'kube_pod_status_ready{{{_KSM}, {_POD}, condition="false"}}', not_ready, changes=changes),
        gauge(f'kube_pod_status_ready{{{_KSM}, {_POD}, condition="true"}}', 1 - not_ready, changes=ready),
        gauge(f'kube_pod_status_ready{{{_KSM}, {_POD}, condition="unknown"}}', 0),
        *(gauge(f'kube_pod_status_phase{{{_KSM}, {_POD}, phase="{name}"}}', int(name == phase)) for name in phases),
    ]


def _limits(*, memory: float) -> list[Series]:
    """kube-state-metrics' limits of the checkout container: `memory` bytes and half a CPU."""
    node = f'{_KSM}, {_CONTAINER}, node="node-a"'
    return [
        gauge(f'kube_pod_container_resource_limits{{{node}, resource="memory", unit="byte"}}', memory),
        gauge(f'kube_pod_container_resource_limits{{{node}, resource="cpu", unit="core"}}', 0.5),
    ]


def _pvc(available: Series, capacity: float = 100e9) -> list[Series]:
    return [available, gauge(f"kubelet_volume_stats_capacity_bytes{{{_KUBELET}, {_PVC}}}", capacity)]


def _pvc_draining(start: float, per_hour: float, hours: int) -> Series:
    """`kubelet_volume_stats_available_bytes` falling by `per_hour` bytes an hour, sampled every 5 minutes."""
    return raw(
        f"kubelet_volume_stats_available_bytes{{{_KUBELET}, {_PVC}}}", f"{start:.0f}-{per_hour / 12:.0f}x{hours * 12}"
    )


kubernetes_records = RuleGroup(
    "kubernetes-records",
    rules=[
        Record(
            "namespace:container_cpu_usage_seconds:sum_rate5m",
            expr='sum by (namespace) (rate(container_cpu_usage_seconds_total{container!="", image!=""}[5m]))',
            tests=[
                RuleTest(
                    "sums the containers of a namespace, not the pod cgroups that contain them",
                    series=[
                        counter(f"container_cpu_usage_seconds_total{{{_CADVISOR}, {_CHECKOUT_CGROUP}}}", 0.25),
                        counter(
                            f"container_cpu_usage_seconds_total{{{_CADVISOR}, {_CART_CGROUP}}}",
                            0.5,
                        ),
                        counter(f"container_cpu_usage_seconds_total{{{_CADVISOR}, {_POD_CGROUP}}}", 0.26),
                    ],
                    expect=[Evaluates(at="10m", value=0.75, labels={"namespace": "shop"})],
                ),
            ],
        ),
        Record(
            "namespace:container_memory_working_set_bytes:sum",
            expr='sum by (namespace) (container_memory_working_set_bytes{container!="", image!=""})',
        ),
        Record(
            "namespace_pod_container:container_cpu_cfs_throttled_periods:ratio_rate5m",
            expr="""
                sum by (namespace, pod, container) (rate(container_cpu_cfs_throttled_periods_total{container!=""}[5m]))
                  / sum by (namespace, pod, container) (rate(container_cpu_cfs_periods_total{container!=""}[5m]))
            """,
        ),
        Record(
            "namespace_persistentvolumeclaim:kubelet_volume_stats_available_bytes:ratio",
            expr="""
                sum by (namespace, persistentvolumeclaim) (kubelet_volume_stats_available_bytes)
                  / sum by (namespace, persistentvolumeclaim) (kubelet_volume_stats_capacity_bytes)
            """,
        ),
    ],
)

kubernetes_alerts = RuleGroup(
    "kubernetes-alerts",
    rules=[
        Alert(
            "KubePodCrashLooping",
            expr="sum by (namespace, pod, container) (increase(kube_pod_container_status_restarts_total[15m])) > 2",
            for_="10m",
            severity="warning",
            labels=_TEAM,
            summary="Container {{ $labels.container }} of {{ $labels.namespace }}/{{ $labels.pod }} is crash looping",
            description=(
                "{{ $labels.namespace }}/{{ $labels.pod }} ({{ $labels.container }}) restarted "
                "{{ $value | humanize }} times in the last 15 minutes."
            ),
            runbook_url="https://runbooks.example.com/KubePodCrashLooping",
            tests=[
                # Restarts sampled once per restart period make a steady counter, so every window holds the
                # same restarts on Prometheus 2 and 3 (sampled each minute, a window starting on a restart
                # minute counts it on 2 only: 3 against 3.214 restarts in 15 minutes).
                RuleTest(
                    "fires when the container restarts every 5 minutes",
                    series=[counter(f"kube_pod_container_status_restarts_total{{{_KSM}, {_CONTAINER}}}", 1 / 300)],
                    interval="5m",
                    expect=[
                        Quiet(at="8m"),
                        # over 2 in 15 minutes from just after 10m: pending, firing from just after 20m
                        # (at a 15s phase already at 20m15s, so a quiet check at 20m is a knife edge)
                        Quiet(at="15m"),
                        Fires(
                            at="37m",
                            labels=_CONTAINER_LABELS,
                            annotations={
                                "description": "shop/checkout-7d9f8b6c5-x2k4p (checkout) restarted 3 times in the "
                                "last 15 minutes."
                            },
                        ),
                    ],
                ),
                RuleTest(
                    "quiet when it restarts every 10 minutes: 1.5 in 15 minutes",
                    series=[counter(f"kube_pod_container_status_restarts_total{{{_KSM}, {_CONTAINER}}}", 1 / 600)],
                    interval="5m",
                    expect=[
                        Evaluates(
                            at="52m",
                            expr="increase(kube_pod_container_status_restarts_total[15m])",
                            value=1.5,
                            labels={"job": "kube-state-metrics", "instance": "10.0.3.7:8080", **_CONTAINER_LABELS},
                        ),
                        Quiet(at="32m"),
                        Quiet(at="52m"),
                    ],
                ),
            ],
        ),
        Alert(
            "KubeDeploymentReplicasMismatch",
            expr="""
                (kube_deployment_spec_replicas > kube_deployment_status_replicas_available)
                  and (changes(kube_deployment_status_replicas_updated[10m]) == 0)
            """,
            for_="15m",
            severity="warning",
            labels=_TEAM,
            summary="Deployment {{ $labels.namespace }}/{{ $labels.deployment }} lacks available replicas",
            description=(
                "{{ $labels.namespace }}/{{ $labels.deployment }} wants {{ $value }} replicas but fewer are "
                "available, and no rollout has progressed for 10 minutes."
            ),
            runbook_url="https://runbooks.example.com/KubeDeploymentReplicasMismatch",
            tests=[
                RuleTest(
                    "fires when a replica stays unavailable with no rollout in progress",
                    series=[
                        gauge(f"kube_deployment_spec_replicas{{{_DEPLOYMENT}}}", 3),
                        step(
                            f"kube_deployment_status_replicas_available{{{_DEPLOYMENT}}}",
                            3,
                            2,
                            at="5m",
                        ),
                        gauge(
                            f"kube_deployment_status_replicas_updated{{{_DEPLOYMENT}}}",
                            3,
                        ),
                    ],
                    expect=[
                        Quiet(at="3m"),
                        Quiet(at="12m"),
                        Fires(
                            at="25m",
                            labels={
                                "job": "kube-state-metrics",
                                "instance": "10.0.3.7:8080",
                                "namespace": "shop",
                                "deployment": "checkout",
                            },
                            annotations={
                                "description": "shop/checkout wants 3 replicas but fewer are available, and no rollout "
                                "has progressed for 10 minutes."
                            },
                        ),
                    ],
                ),
                RuleTest(
                    "quiet during a slow rollout that updates a replica every 8 minutes",
                    series=[
                        gauge(f"kube_deployment_spec_replicas{{{_DEPLOYMENT}}}", 4),
                        gauge(
                            f"kube_deployment_status_replicas_available{{{_DEPLOYMENT}}}",
                            3,
                            changes={"30m": 4},
                        ),
                        gauge(
                            f"kube_deployment_status_replicas_updated{{{_DEPLOYMENT}}}",
                            1,
                            changes={"8m": 2, "16m": 3, "24m": 4},
                        ),
                    ],
                    # A replica updated at minute 8 shows in changes(...[10m]) until minute 17 or 18 (Prometheus
                    # 2 and 3 differ there), so the quiet checks sit where both agree.
                    expect=[Quiet(at="16m"), Quiet(at="50m")],
                ),
            ],
        ),
        Alert(
            "KubePodNotReady",
            expr="""
                sum by (namespace, pod) (kube_pod_status_ready{condition="false"}) > 0
                  unless on (namespace, pod) (kube_pod_status_phase{phase="Succeeded"} == 1)
            """,
            for_="15m",
            severity="warning",
            labels=_TEAM,
            summary="Pod {{ $labels.namespace }}/{{ $labels.pod }} has not been ready for 15 minutes",
            description="{{ $labels.namespace }}/{{ $labels.pod }} is running but fails its readiness checks.",
            runbook_url="https://runbooks.example.com/KubePodNotReady",
            tests=[
                RuleTest(
                    "fires when a running pod fails its readiness probe for 15 minutes",
                    series=_pod_status(0, changes={"5m": 1}),
                    expect=[
                        Quiet(at="15m"),
                        Fires(at="25m", labels={"namespace": "shop", "pod": "checkout-7d9f8b6c5-x2k4p"}),
                    ],
                ),
                RuleTest(
                    "quiet when the pod takes 10 minutes to become ready",
                    series=_pod_status(1, changes={"10m": 0}),
                    expect=[Quiet(at="8m"), Quiet(at="30m")],
                ),
                RuleTest(
                    "quiet for a completed pod, which is never ready again",
                    series=_pod_status(1, phase="Succeeded"),
                    expect=[Quiet(at="30m")],
                ),
            ],
        ),
        Alert(
            "KubeContainerOOMKilled",
            expr="""
                sum by (namespace, pod, container) (increase(kube_pod_container_status_restarts_total[10m])) > 0
                  and on (namespace, pod, container)
                    max by (namespace, pod, container) (
                      kube_pod_container_status_last_terminated_reason{reason="OOMKilled"}
                    ) == 1
            """,
            for_="1m",
            severity="warning",
            labels=_TEAM,
            summary="Container {{ $labels.container }} of {{ $labels.namespace }}/{{ $labels.pod }} was OOM killed",
            description=(
                "{{ $labels.namespace }}/{{ $labels.pod }} ({{ $labels.container }}) restarted in the last "
                "10 minutes after exceeding its memory limit."
            ),
            runbook_url="https://runbooks.example.com/KubeContainerOOMKilled",
            tests=[
                RuleTest(
                    "fires after a restart whose last termination was OOMKilled, for 10 minutes",
                    series=[
                        _restarts([10]),
                        _last_terminated("OOMKilled", at_minute=10),
                    ],
                    expect=[Quiet(at="8m"), Fires(at="13m", labels=_CONTAINER_LABELS), Quiet(at="25m")],
                ),
                RuleTest(
                    "quiet after a restart that was a crash, not an OOM kill",
                    series=[
                        _restarts([10]),
                        _last_terminated("Error", at_minute=10),
                    ],
                    expect=[Quiet(at="13m"), Quiet(at="18m")],
                ),
            ],
        ),
        Alert(
            "KubeContainerMemoryNearLimit",
            expr="""
                sum by (namespace, pod, container) (container_memory_working_set_bytes{container!="", image!=""})
                  / sum by (namespace, pod, container) (kube_pod_container_resource_limits{resource="memory"})
                > 0.9
            """,
            for_="15m",
            severity="warning",
            labels=_TEAM,
            summary="{{ $labels.namespace }}/{{ $labels.pod }} ({{ $labels.container }}) is near its memory limit",
            description=(
                "{{ $labels.namespace }}/{{ $labels.pod }} ({{ $labels.container }}) uses "
                "{{ $value | humanizePercentage }} of its memory limit and will be OOM killed at 100%."
            ),
            runbook_url="https://runbooks.example.com/KubeContainerMemoryNearLimit",
            tests=[
                RuleTest(
                    "fires when the container uses 95% of its limit for 15 minutes",
                    series=[
                        step(
                            f"container_memory_working_set_bytes{{{_CADVISOR}, {_CHECKOUT_CGROUP}}}",
                            600e6,
                            950e6,
                            at="10m",
                        ),
                        step(
                            f"container_memory_working_set_bytes{{{_CADVISOR}, {_POD_CGROUP}}}", 602e6, 952e6, at="10m"
                        ),
                        *_limits(memory=1e9),
                    ],
                    expect=[
                        Quiet(at="20m"),
                        Fires(
                            at="30m",
                            labels=_CONTAINER_LABELS,
                            annotations={
                                "description": "shop/checkout-7d9f8b6c5-x2k4p (checkout) uses 95% of its memory limit "
                                "and will be OOM killed at 100%."
                            },
                        ),
                    ],
                ),
                RuleTest(
                    "quiet at 85% of the limit",
                    series=[
                        gauge(f"container_memory_working_set_bytes{{{_CADVISOR}, {_CHECKOUT_CGROUP}}}", 850e6),
                        gauge(f"container_memory_working_set_bytes{{{_CADVISOR}, {_POD_CGROUP}}}", 852e6),
                        *_limits(memory=1e9),
                    ],
                    expect=[Quiet(at="30m")],
                ),
            ],
        ),
        Alert(
            "KubeContainerCpuThrottlingHigh",
            expr="namespace_pod_container:container_cpu_cfs_throttled_periods:ratio_rate5m > 0.25",
            for_="15m",
            severity="info",
            labels=_TEAM,
            summary="Container {{ $labels.container }} of {{ $labels.namespace }}/{{ $labels.pod }} is CPU throttled",
            description=(
                "{{ $value | humanizePercentage }} of CPU periods of {{ $labels.namespace }}/{{ $labels.pod }} "
                "({{ $labels.container }}) are throttled; its CPU limit may be too low."
            ),
            runbook_url="https://runbooks.example.com/KubeContainerCpuThrottlingHigh",
            tests=[
                RuleTest(
                    "fires when 30% of CFS periods are throttled for 15 minutes",
                    series=[
                        counter(f"container_cpu_cfs_periods_total{{{_CADVISOR}, {_CHECKOUT_CGROUP}}}", 10),
                        counter(
                            f"container_cpu_cfs_throttled_periods_total{{{_CADVISOR}, {_CHECKOUT_CGROUP}}}",
                            0,
                            changes={"10m": 3},
                        ),
                    ],
                    expect=[
                        Quiet(at="20m"),
                        Fires(
                            at="35m",
                            labels=_CONTAINER_LABELS,
                            annotations={
                                "description": "30% of CPU periods of shop/checkout-7d9f8b6c5-x2k4p (checkout) are "
                                "throttled; its CPU limit may be too low."
                            },
                        ),
                    ],
                ),
                RuleTest(
                    "quiet at 20% throttled",
                    series=[
                        counter(f"container_cpu_cfs_periods_total{{{_CADVISOR}, {_CHECKOUT_CGROUP}}}", 10),
                        counter(f"container_cpu_cfs_throttled_periods_total{{{_CADVISOR}, {_CHECKOUT_CGROUP}}}", 2),
                    ],
                    expect=[
                        Evaluates(
                            at="40m",
                            expr="namespace_pod_container:container_cpu_cfs_throttled_periods:ratio_rate5m",
                            value=0.2,
                            labels=_CONTAINER_LABELS,
                        ),
                        Quiet(at="40m"),
                    ],
                ),
            ],
        ),
        Alert(
            "KubePersistentVolumeFillingUp",
            expr="""
                namespace_persistentvolumeclaim:kubelet_volume_stats_available_bytes:ratio < 0.15
                  and on (namespace, persistentvolumeclaim)
                    max by (namespace, persistentvolumeclaim) (
                      predict_linear(kubelet_volume_stats_available_bytes[6h], 4 * 24 * 3600)
                    ) < 0
            """,
            for_="1h",
            severity="warning",
            labels=_TEAM,
            summary="PVC {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} will be full within 4 days",
            description=(
                "{{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} has {{ $value | humanizePercentage }} "
                "free and, at the rate of the last 6 hours, fills up within 4 days."
            ),
            runbook_url="https://runbooks.example.com/KubePersistentVolumeFillingUp",
            tests=[
                RuleTest(
                    "fires when a PVC with 14% free loses 0.6 GB an hour",
                    series=_pvc(_pvc_draining(16e9, 0.6e9, hours=4)),
                    interval="5m",
                    expect=[
                        Quiet(at="1h30m"),  # 15.1% free
                        Quiet(at="2h30m"),  # under 15% since 1h45m: pending
                        Fires(
                            at="3h2m",  # off the 5m sample grid: same ratio whichever group runs first
                            labels=_PVC_LABELS,
                            annotations={
                                "description": "shop/data-postgres-0 has 14.2% free and, at the rate of the last "
                                "6 hours, fills up within 4 days."
                            },
                        ),
                    ],
                ),
                RuleTest(
                    "quiet when 12% is free but 4 days at 0.12 GB an hour still leave some",
                    series=_pvc(_pvc_draining(12.5e9, 0.12e9, hours=4)),
                    interval="5m",
                    expect=[
                        Evaluates(at="3h2m", expr=_PVC_RATIO, value=0.1214, labels=_PVC_LABELS),
                        Quiet(at="3h"),
                        Quiet(at="4h"),
                    ],
                ),
            ],
        ),
        Alert(
            "KubePersistentVolumeAlmostFull",
            expr="namespace_persistentvolumeclaim:kubelet_volume_stats_available_bytes:ratio < 0.03",
            for_="5m",
            severity="critical",
            labels=_TEAM,
            summary="PVC {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} is almost full",
            description=(
                "Only {{ $value | humanizePercentage }} of {{ $labels.namespace }}/"
                "{{ $labels.persistentvolumeclaim }} is free."
            ),
            runbook_url="https://runbooks.example.com/KubePersistentVolumeAlmostFull",
            tests=[
                RuleTest(
                    "fires when the PVC has 2% free for 5 minutes",
                    series=_pvc(
                        step(f"kubelet_volume_stats_available_bytes{{{_KUBELET}, {_PVC}}}", 10e9, 2e9, at="10m")
                    ),
                    expect=[
                        Quiet(at="13m"),
                        Fires(
                            at="20m",
                            labels=_PVC_LABELS,
                            annotations={"description": "Only 2% of shop/data-postgres-0 is free."},
                        ),
                    ],
                ),
                RuleTest(
                    "quiet at 4% free",
                    series=_pvc(gauge(f"kubelet_volume_stats_available_bytes{{{_KUBELET}, {_PVC}}}", 4e9)),
                    expect=[Evaluates(at="20m", expr=_PVC_RATIO, value=0.04, labels=_PVC_LABELS), Quiet(at="20m")],
                ),
            ],
        ),
    ],
)
