"""The metrics catalogue: every raw metric this repository's rules, SLOs and dashboards read, by who exposes it.

Lint checks types and labels against these declarations. `job` and `instance`, which Prometheus adds to every
scraped series, are implied; a label only some scrape configs add is declared on the metrics they scrape (the
kubelet jobs' `metrics_path`, which tells its /metrics and /metrics/cadvisor endpoints apart).
A histogram is declared by its base name and covers its `_bucket{le}`, `_sum` and `_count` series.
"""

from compiler.dsl import Metric

# The HTTP API, instrumented by the service itself.
http_api_metrics = [
    Metric(
        "http_requests_total",
        type="counter",
        labels=["method", "route", "code"],
        help="HTTP requests served, by method, route and status code.",
    ),
    Metric(
        "http_request_duration_seconds",
        type="histogram",
        labels=["method", "route"],
        help="HTTP request latency (buckets 5ms .. 10s).",
        unit="seconds",
    ),
]

# The WebSocket gateway, instrumented by the service itself.
websocket_gateway_metrics = [
    Metric("websocket_connections_active", type="gauge", help="WebSocket connections currently open."),
    Metric("websocket_connections_opened_total", type="counter", help="WebSocket connections opened."),
    Metric(
        "websocket_connection_errors_total",
        type="counter",
        labels=["reason"],
        help="WebSocket connection attempts that failed, by reason.",
    ),
    Metric(
        "websocket_reconnections_total",
        type="counter",
        help="Connections opened by clients reconnecting after losing a connection.",
    ),
    Metric(
        "websocket_messages_total",
        type="counter",
        labels=["direction", "type"],
        help="WebSocket messages sent and received, by direction (inbound, outbound) and frame type.",
    ),
    Metric(
        "websocket_message_latency_seconds",
        type="histogram",
        help="Latency of WebSocket message delivery (buckets 1ms .. 5s).",
        unit="seconds",
    ),
]

# The message queue broker's exporter.
message_queue_metrics = [
    Metric("queue_depth", type="gauge", labels=["queue"], help="Messages waiting in the queue."),
    Metric(
        "queue_consumer_lag_seconds",
        type="gauge",
        labels=["queue", "consumer_group"],
        help="Age of the oldest message the consumer group has not consumed yet.",
        unit="seconds",
    ),
    Metric(
        "queue_messages_published_total",
        type="counter",
        labels=["queue"],
        help="Messages published to the queue.",
    ),
    Metric(
        "queue_messages_delivered_total",
        type="counter",
        labels=["queue"],
        help="Messages delivered from the queue to consumers.",
    ),
    Metric(
        "queue_messages_failed_total",
        type="counter",
        labels=["queue", "reason"],
        help="Deliveries the consumer failed to process, by reason.",
    ),
    Metric(
        "queue_messages_dead_lettered_total",
        type="counter",
        labels=["queue"],
        help="Messages moved to the dead-letter queue.",
    ),
    Metric(
        "queue_delivery_latency_seconds",
        type="histogram",
        labels=["queue"],
        help="Time from publishing a message to delivering it (buckets 10ms .. 60s).",
        unit="seconds",
    ),
]

# PostgreSQL, from postgres_exporter (collector package; older releases also add a `server` label).
postgresql_metrics = [
    Metric(
        "pg_up",
        type="gauge",
        help="Whether the last scrape of metrics from PostgreSQL was able to connect to the server (1 yes, 0 no).",
    ),
    Metric(
        "pg_stat_activity_count",
        type="gauge",
        labels=["datname", "state", "usename", "application_name", "backend_type", "wait_event_type", "wait_event"],
        help="number of connections in this state",
    ),
    Metric(
        "pg_stat_activity_max_tx_duration",
        type="gauge",
        labels=["datname", "state", "usename", "application_name", "backend_type", "wait_event_type", "wait_event"],
        help="max duration in seconds any active transaction has been running",
        unit="seconds",
    ),
    Metric("pg_settings_max_connections", type="gauge", help="Sets the maximum number of concurrent connections."),
    Metric(
        "pg_stat_database_xact_commit",
        type="counter",
        labels=["datid", "datname"],
        help="Number of transactions in this database that have been committed",
    ),
    Metric(
        "pg_stat_database_xact_rollback",
        type="counter",
        labels=["datid", "datname"],
        help="Number of transactions in this database that have been rolled back",
    ),
    Metric(
        "pg_stat_database_blks_hit",
        type="counter",
        labels=["datid", "datname"],
        help="Number of times disk blocks were found already in the buffer cache, so that a read was not necessary",
    ),
    Metric(
        "pg_stat_database_blks_read",
        type="counter",
        labels=["datid", "datname"],
        help="Number of disk blocks read in this database",
    ),
    Metric(
        "pg_stat_database_deadlocks",
        type="counter",
        labels=["datid", "datname"],
        help="Number of deadlocks detected in this database",
    ),
    # From the `pg_replication` query of the exporter's queries.yaml; its built-in replication collector
    # names the same value `pg_replication_lag_seconds`.
    Metric(
        "pg_replication_lag",
        type="gauge",
        help="Replication lag behind master in seconds",
        unit="seconds",
    ),
    Metric("pg_replication_is_replica", type="gauge", help="Indicates if the server is a replica"),
    Metric(
        "pg_database_size_bytes",
        type="gauge",
        labels=["datname"],
        help="Disk space used by the database",
        unit="bytes",
    ),
]

# Hosts, from node_exporter.
_FILESYSTEM = ["device", "mountpoint", "fstype", "device_error"]

node_exporter_metrics = [
    Metric(
        "node_cpu_seconds_total",
        type="counter",
        labels=["cpu", "mode"],
        help="Seconds the CPUs spent in each mode.",
        unit="seconds",
    ),
    Metric(
        "node_memory_MemAvailable_bytes",
        type="gauge",
        help="Memory information field MemAvailable_bytes.",
        unit="bytes",
    ),
    Metric("node_memory_MemTotal_bytes", type="gauge", help="Memory information field MemTotal_bytes.", unit="bytes"),
    Metric("node_load5", type="gauge", help="5m load average."),
    Metric("node_load15", type="gauge", help="15m load average."),
    Metric(
        "node_filesystem_avail_bytes",
        type="gauge",
        labels=_FILESYSTEM,
        help="Filesystem space available to non-root users in bytes.",
        unit="bytes",
    ),
    Metric(
        "node_filesystem_size_bytes",
        type="gauge",
        labels=_FILESYSTEM,
        help="Filesystem size in bytes.",
        unit="bytes",
    ),
    Metric("node_filesystem_readonly", type="gauge", labels=_FILESYSTEM, help="Filesystem read-only status."),
    Metric(
        "node_network_receive_packets_total",
        type="counter",
        labels=["device"],
        help="Network device statistic receive_packets.",
    ),
    Metric(
        "node_network_transmit_packets_total",
        type="counter",
        labels=["device"],
        help="Network device statistic transmit_packets.",
    ),
    Metric(
        "node_network_receive_errs_total",
        type="counter",
        labels=["device"],
        help="Network device statistic receive_errs.",
    ),
    Metric(
        "node_network_transmit_errs_total",
        type="counter",
        labels=["device"],
        help="Network device statistic transmit_errs.",
    ),
    Metric(
        "node_uname_info",
        type="gauge",
        labels=["domainname", "machine", "nodename", "release", "sysname", "version"],
        help="Labeled system information as provided by the uname system call.",
    ),
]

# Kubernetes workloads, from kube-state-metrics.
kube_state_metrics_metrics = [
    Metric(
        "kube_pod_container_status_restarts_total",
        type="counter",
        labels=["namespace", "pod", "uid", "container"],
        help="The number of container restarts per container.",
    ),
    Metric(
        "kube_pod_container_status_last_terminated_reason",
        type="gauge",
        labels=["namespace", "pod", "uid", "container", "reason"],
        help="Describes the last reason the container was in terminated state.",
    ),
    Metric(
        "kube_pod_status_ready",
        type="gauge",
        labels=["namespace", "pod", "uid", "condition"],
        help="Describes whether the pod is ready to serve requests.",
    ),
    Metric(
        "kube_pod_status_phase",
        type="gauge",
        labels=["namespace", "pod", "uid", "phase"],
        help="The pods current phase.",
    ),
    Metric(
        "kube_pod_container_resource_limits",
        type="gauge",
        labels=["namespace", "pod", "uid", "container", "node", "resource", "unit"],
        help="The number of requested limit resource by a container.",
    ),
    Metric(
        "kube_deployment_spec_replicas",
        type="gauge",
        labels=["namespace", "deployment"],
        help="Number of desired pods for a deployment.",
    ),
    Metric(
        "kube_deployment_status_replicas_available",
        type="gauge",
        labels=["namespace", "deployment"],
        help="The number of available replicas per deployment.",
    ),
    Metric(
        "kube_deployment_status_replicas_updated",
        type="gauge",
        labels=["namespace", "deployment"],
        help="The number of updated replicas per deployment.",
    ),
]

# Containers, from the cAdvisor built into the kubelet (/metrics/cadvisor). Pod-level cgroups have an empty
# `container` and `image`. The kubelet jobs' scrape configs add `metrics_path`.
_CGROUP = ["metrics_path", "namespace", "pod", "container", "id", "image", "name"]

cadvisor_metrics = [
    Metric(
        "container_cpu_usage_seconds_total",
        type="counter",
        labels=[*_CGROUP, "cpu"],
        help="Cumulative cpu time consumed in seconds.",
        unit="seconds",
    ),
    Metric(
        "container_memory_working_set_bytes",
        type="gauge",
        labels=_CGROUP,
        help="Current working set in bytes.",
        unit="bytes",
    ),
    Metric(
        "container_cpu_cfs_periods_total",
        type="counter",
        labels=_CGROUP,
        help="Number of elapsed enforcement period intervals.",
    ),
    Metric(
        "container_cpu_cfs_throttled_periods_total",
        type="counter",
        labels=_CGROUP,
        help="Number of throttled period intervals.",
    ),
]

# Persistent volume usage, from the kubelet (/metrics).
kubelet_metrics = [
    Metric(
        "kubelet_volume_stats_available_bytes",
        type="gauge",
        labels=["metrics_path", "namespace", "persistentvolumeclaim"],
        help="Number of available bytes in the volume.",
        unit="bytes",
    ),
    Metric(
        "kubelet_volume_stats_capacity_bytes",
        type="gauge",
        labels=["metrics_path", "namespace", "persistentvolumeclaim"],
        help="Capacity in bytes of the volume.",
        unit="bytes",
    ),
]

# Prometheus itself: `up`, which it writes for every target, and its own metrics. `ALERTS` is left out: it
# carries every label of each alert's series, so no declaration could list its labels.
prometheus_metrics = [
    Metric("up", type="gauge", help="1 if the target's last scrape succeeded, 0 if it failed."),
    Metric(
        "prometheus_rule_evaluation_failures_total",
        type="counter",
        labels=["rule_group"],
        help="The total number of rule evaluation failures.",
    ),
    Metric(
        "prometheus_notifications_sent_total",
        type="counter",
        labels=["alertmanager"],
        help="Total number of alerts sent.",
    ),
    Metric(
        "prometheus_notifications_errors_total",
        type="counter",
        labels=["alertmanager"],
        help="Total number of sent alerts affected by errors.",
    ),
    Metric(
        "prometheus_notifications_alertmanagers_discovered",
        type="gauge",
        help="The number of alertmanagers discovered and active.",
    ),
    Metric(
        "prometheus_tsdb_compactions_failed_total",
        type="counter",
        help="Total number of compactions that failed for the partition.",
    ),
    Metric(
        "prometheus_tsdb_reloads_failures_total",
        type="counter",
        help="Number of times the database failed to reloadBlocks block data from disk.",
    ),
    Metric(
        "prometheus_config_last_reload_successful",
        type="gauge",
        help="Whether the last configuration reload attempt was successful.",
    ),
    Metric(
        "prometheus_target_scrapes_exceeded_sample_limit_total",
        type="counter",
        help="Total number of scrapes that hit the sample limit and were rejected.",
    ),
]
