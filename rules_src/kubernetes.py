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

from compiler.dsl import Alert, Record, RuleGroup

_TEAM = {"team": "platform"}

kubernetes_records = RuleGroup(
    "kubernetes-records",
    rules=[
        Record(
            "namespace:container_cpu_usage_seconds:sum_rate5m",
            expr='sum by (namespace) (rate(container_cpu_usage_seconds_total{container!="", image!=""}[5m]))',
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
        ),
    ],
)
