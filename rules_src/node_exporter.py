"""Hosts, from node_exporter: CPU, memory, load, filesystems and network.

Metrics (labelled `job` and `instance`):
- `node_cpu_seconds_total{cpu, mode}` counter
- `node_memory_MemAvailable_bytes`, `node_memory_MemTotal_bytes` gauges
- `node_load15` gauge
- `node_filesystem_avail_bytes`, `node_filesystem_size_bytes`, `node_filesystem_readonly` gauges,
  labelled `device`, `fstype`, `mountpoint`
- `node_network_{receive,transmit}_{errs,packets}_total{device}` counters
"""

from compiler.dsl import Alert, Record, RuleGroup

_TEAM = {"team": "platform"}

# Real, writable filesystems: leave out memory-backed and read-only image layers.
_FS = 'fstype!~"tmpfs|ramfs|squashfs|overlay|nsfs|fuse.lxcfs", mountpoint!=""'

node_records = RuleGroup(
    "node-exporter-records",
    rules=[
        Record(
            "instance:node_cpu_utilisation:rate5m",
            expr='1 - avg by (job, instance) (rate(node_cpu_seconds_total{mode="idle"}[5m]))',
        ),
        Record(
            "instance:node_memory_utilisation:ratio",
            expr="1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes",
        ),
        Record(
            "instance:node_load15_per_cpu:ratio",
            expr='node_load15 / on (job, instance) count by (job, instance) (node_cpu_seconds_total{mode="idle"})',
        ),
        Record(
            "instance_mountpoint:node_filesystem_avail_bytes:ratio",
            expr=f"node_filesystem_avail_bytes{{{_FS}}} / node_filesystem_size_bytes{{{_FS}}}",
        ),
        Record(
            "instance_device:node_network_errors:ratio_rate5m",
            expr="""
                (rate(node_network_receive_errs_total[5m]) + rate(node_network_transmit_errs_total[5m]))
                  / (rate(node_network_receive_packets_total[5m]) + rate(node_network_transmit_packets_total[5m]))
            """,
        ),
    ],
)

node_alerts = RuleGroup(
    "node-exporter-alerts",
    rules=[
        Alert(
            "NodeHighCpuUtilisation",
            expr="instance:node_cpu_utilisation:rate5m > 0.9",
            for_="15m",
            severity="warning",
            labels=_TEAM,
            summary="{{ $labels.instance }} CPU is more than 90% busy",
            description="CPU utilisation on {{ $labels.instance }} has been {{ $value | humanizePercentage }}.",
            runbook_url="https://runbooks.example.com/NodeHighCpuUtilisation",
        ),
        Alert(
            "NodeMemoryPressure",
            expr="instance:node_memory_utilisation:ratio > 0.9",
            for_="10m",
            severity="warning",
            labels=_TEAM,
            summary="{{ $labels.instance }} has less than 10% memory available",
            description=(
                "{{ $labels.instance }} uses {{ $value | humanizePercentage }} of its memory; "
                "the OOM killer may start terminating processes."
            ),
            runbook_url="https://runbooks.example.com/NodeMemoryPressure",
        ),
        Alert(
            "NodeHighLoad",
            expr="instance:node_load15_per_cpu:ratio > 2",
            for_="30m",
            severity="warning",
            labels=_TEAM,
            summary="{{ $labels.instance }} load is twice its CPU count",
            description=(
                "The 15-minute load average on {{ $labels.instance }} is {{ $value | humanize }} per CPU; "
                "work is queueing for CPU or I/O."
            ),
            runbook_url="https://runbooks.example.com/NodeHighLoad",
        ),
        Alert(
            "NodeFilesystemAlmostFull",
            expr="""
                instance_mountpoint:node_filesystem_avail_bytes:ratio < 0.05
                  and on (job, instance, device, mountpoint) node_filesystem_readonly == 0
            """,
            for_="10m",
            severity="critical",
            labels=_TEAM,
            summary="{{ $labels.mountpoint }} on {{ $labels.instance }} is almost full",
            description=(
                "Only {{ $value | humanizePercentage }} of {{ $labels.mountpoint }} ({{ $labels.device }}) "
                "on {{ $labels.instance }} is free."
            ),
            runbook_url="https://runbooks.example.com/NodeFilesystemAlmostFull",
        ),
        Alert(
            "NodeFilesystemFillingUp",
            expr=f"""
                instance_mountpoint:node_filesystem_avail_bytes:ratio < 0.4
                  and predict_linear(node_filesystem_avail_bytes{{{_FS}}}[6h], 24 * 3600) < 0
                  and on (job, instance, device, mountpoint) node_filesystem_readonly == 0
            """,
            for_="1h",
            severity="warning",
            labels=_TEAM,
            summary="{{ $labels.mountpoint }} on {{ $labels.instance }} will be full within 24 hours",
            description=(
                "{{ $labels.mountpoint }} ({{ $labels.device }}) on {{ $labels.instance }} has "
                "{{ $value | humanizePercentage }} free and, at the rate of the last 6 hours, fills up within a day."
            ),
            runbook_url="https://runbooks.example.com/NodeFilesystemFillingUp",
        ),
        Alert(
            "NodeFilesystemFillingUpFast",
            expr=f"""
                instance_mountpoint:node_filesystem_avail_bytes:ratio < 0.2
                  and predict_linear(node_filesystem_avail_bytes{{{_FS}}}[6h], 4 * 3600) < 0
                  and on (job, instance, device, mountpoint) node_filesystem_readonly == 0
            """,
            for_="30m",
            severity="critical",
            labels=_TEAM,
            summary="{{ $labels.mountpoint }} on {{ $labels.instance }} will be full within 4 hours",
            description=(
                "{{ $labels.mountpoint }} ({{ $labels.device }}) on {{ $labels.instance }} has "
                "{{ $value | humanizePercentage }} free and, at the rate of the last 6 hours, "
                "fills up within 4 hours."
            ),
            runbook_url="https://runbooks.example.com/NodeFilesystemFillingUpFast",
        ),
        Alert(
            "NodeNetworkErrors",
            expr="""
                instance_device:node_network_errors:ratio_rate5m > 0.01
                  and on (job, instance, device) rate(node_network_receive_packets_total[5m]) > 10
            """,
            for_="15m",
            severity="warning",
            labels=_TEAM,
            summary="{{ $labels.device }} on {{ $labels.instance }} drops packets with errors",
            description=(
                "{{ $value | humanizePercentage }} of packets on {{ $labels.device }} of {{ $labels.instance }} "
                "fail with receive or transmit errors: check the NIC, cable or driver."
            ),
            runbook_url="https://runbooks.example.com/NodeNetworkErrors",
        ),
    ],
)
