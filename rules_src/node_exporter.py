"""Hosts, from node_exporter: CPU, memory, load, filesystems and network.

Metrics (labelled `job` and `instance`):
- `node_cpu_seconds_total{cpu, mode}` counter
- `node_memory_MemAvailable_bytes`, `node_memory_MemTotal_bytes` gauges
- `node_load15` gauge
- `node_filesystem_avail_bytes`, `node_filesystem_size_bytes`, `node_filesystem_readonly` gauges,
  labelled `device`, `fstype`, `mountpoint`
- `node_network_{receive,transmit}_{errs,packets}_total{device}` counters
"""

from compiler.dsl import Alert, Evaluates, Fires, Quiet, Record, RuleGroup, RuleTest, Series, counter, gauge, raw, step

_TEAM = {"team": "platform"}

# Test fixtures: one node_exporter target.
_NODE = 'job="node", instance="web-1:9100"'
_NODE_LABELS = {"job": "node", "instance": "web-1:9100"}
_ROOT = {**_NODE_LABELS, "device": "/dev/nvme0n1p1", "fstype": "ext4", "mountpoint": "/"}
_ROOT_SELECTOR = f'{_NODE}, device="/dev/nvme0n1p1", fstype="ext4", mountpoint="/"'
_TMPFS_SELECTOR = f'{_NODE}, device="tmpfs", fstype="tmpfs", mountpoint="/run"'
_OVERLAY_SELECTOR = f'{_NODE}, device="overlay", fstype="overlay", mountpoint="/var/lib/docker/overlay2/3f1c/merged"'
_ARCHIVE_SELECTOR = f'{_NODE}, device="/dev/sdb1", fstype="ext4", mountpoint="/mnt/archive"'
_ARCHIVE = {**_NODE_LABELS, "device": "/dev/sdb1", "fstype": "ext4", "mountpoint": "/mnt/archive"}
_FS_RATIO = "instance_mountpoint:node_filesystem_avail_bytes:ratio"
_NET_ERRORS = "instance_device:node_network_errors:ratio_rate5m"


def _cpus(idle: float, *, cpus: int = 4, changes: dict[str, float] | None = None) -> list[Series]:
    """`node_cpu_seconds_total` of every CPU: idle for `idle` s/s (`changes` moves it), busy in `user` for the rest."""
    busy = {at: 1 - value for at, value in (changes or {}).items()}
    series: list[Series] = []
    for cpu in range(cpus):
        labels = f'{_NODE}, cpu="{cpu}"'
        series.append(counter(f'node_cpu_seconds_total{{{labels}, mode="idle"}}', idle, changes=changes))
        series.append(counter(f'node_cpu_seconds_total{{{labels}, mode="user"}}', 1 - idle, changes=busy))
    return series


def _filesystem(
    avail: Series, *, size: float = 100e9, readonly: int = 0, selector: str = _ROOT_SELECTOR
) -> list[Series]:
    """A filesystem's size and read-only gauges around an `avail` series of the same labels."""
    return [
        avail,
        gauge(f"node_filesystem_size_bytes{{{selector}}}", size),
        gauge(f"node_filesystem_readonly{{{selector}}}", readonly),
    ]


def _draining(start: float, per_hour: float, hours: int, selector: str = _ROOT_SELECTOR) -> Series:
    """`node_filesystem_avail_bytes` falling by `per_hour` bytes an hour from `start`, sampled every 5 minutes."""
    per_sample, remainder = divmod(per_hour, 12)
    assert remainder == 0, "keep the 5-minute step a whole number of bytes"
    return raw(f"node_filesystem_avail_bytes{{{selector}}}", f"{start:.0f}-{per_sample:.0f}x{hours * 12}")


def _network(rx_packets: float, tx_packets: float, rx_errors: Series, device: str = "eth0") -> list[Series]:
    labels = f'{_NODE}, device="{device}"'
    return [
        counter(f"node_network_receive_packets_total{{{labels}}}", rx_packets),
        counter(f"node_network_transmit_packets_total{{{labels}}}", tx_packets),
        rx_errors,
        counter(f"node_network_transmit_errs_total{{{labels}}}", 0),
    ]


# Real, writable filesystems: leave out memory-backed and read-only image layers.
_FS = 'fstype!~"tmpfs|ramfs|squashfs|overlay|nsfs|fuse.lxcfs", mountpoint!=""'

node_records = RuleGroup(
    "node-exporter-records",
    rules=[
        Record(
            "instance:node_cpu_utilisation:rate5m",
            expr='1 - avg by (job, instance) (rate(node_cpu_seconds_total{mode="idle"}[5m]))',
            tests=[
                RuleTest(
                    "averages the busy share over all CPUs",
                    series=[
                        counter(f'node_cpu_seconds_total{{{_NODE}, cpu="0", mode="idle"}}', 0.2),
                        counter(f'node_cpu_seconds_total{{{_NODE}, cpu="0", mode="user"}}', 0.8),
                        counter(f'node_cpu_seconds_total{{{_NODE}, cpu="1", mode="idle"}}', 0.6),
                        counter(f'node_cpu_seconds_total{{{_NODE}, cpu="1", mode="user"}}', 0.4),
                    ],
                    expect=[Evaluates(at="10m", value=0.6, labels=_NODE_LABELS)],
                ),
            ],
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
            tests=[
                RuleTest(
                    "keeps real filesystems and leaves out tmpfs and container overlays",
                    series=[
                        *_filesystem(gauge(f"node_filesystem_avail_bytes{{{_ROOT_SELECTOR}}}", 25e9)),
                        *_filesystem(
                            gauge(
                                f"node_filesystem_avail_bytes{{{_TMPFS_SELECTOR}}}",
                                1e6,
                            ),
                            size=1.6e9,
                            selector=_TMPFS_SELECTOR,
                        ),
                        *_filesystem(
                            gauge(
                                f"node_filesystem_avail_bytes{{{_OVERLAY_SELECTOR}}}",
                                0,
                            ),
                            selector=_OVERLAY_SELECTOR,
                        ),
                    ],
                    expect=[Evaluates(at="5m", value=0.25, labels=_ROOT)],
                ),
            ],
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
            tests=[
                RuleTest(
                    "fires when all CPUs are 95% busy for 15 minutes",
                    series=_cpus(0.6, changes={"10m": 0.05}),
                    expect=[
                        Quiet(at="8m"),
                        Fires(
                            at="35m",
                            labels=_NODE_LABELS,
                            annotations={"description": "CPU utilisation on web-1:9100 has been 95%."},
                        ),
                    ],
                ),
                RuleTest(
                    "quiet at a steady 87.5% busy",
                    series=_cpus(0.125),
                    expect=[
                        Evaluates(
                            at="40m", expr="instance:node_cpu_utilisation:rate5m", value=0.875, labels=_NODE_LABELS
                        ),
                        Quiet(at="40m"),
                    ],
                ),
                RuleTest(
                    "quiet on a 10-minute burst at 100%",
                    series=_cpus(0.7, changes={"10m": 0, "20m": 0.7}),
                    expect=[Quiet(at="9m"), Quiet(at="40m")],
                ),
            ],
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
            tests=[
                RuleTest(
                    "fires when 95% of memory is used for 10 minutes",
                    series=[
                        gauge(f"node_memory_MemTotal_bytes{{{_NODE}}}", 16e9),
                        step(f"node_memory_MemAvailable_bytes{{{_NODE}}}", 6e9, 0.8e9, at="10m"),
                    ],
                    expect=[
                        Quiet(at="5m"),
                        Quiet(at="15m"),
                        Fires(
                            at="25m",
                            labels=_NODE_LABELS,
                            annotations={
                                "description": "web-1:9100 uses 95% of its memory; "
                                "the OOM killer may start terminating processes."
                            },
                        ),
                    ],
                ),
                RuleTest(
                    "quiet at 88% used",
                    series=[
                        gauge(f"node_memory_MemTotal_bytes{{{_NODE}}}", 16e9),
                        gauge(f"node_memory_MemAvailable_bytes{{{_NODE}}}", 1.92e9),
                    ],
                    expect=[
                        Evaluates(
                            at="30m", expr="instance:node_memory_utilisation:ratio", value=0.88, labels=_NODE_LABELS
                        ),
                        Quiet(at="30m"),
                    ],
                ),
            ],
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
            tests=[
                RuleTest(
                    "fires when load stays at 2.2 per CPU for 30 minutes",
                    series=[*_cpus(0.1, cpus=8), step(f"node_load15{{{_NODE}}}", 4, 17.6, at="10m")],
                    expect=[
                        Quiet(at="30m"),
                        Fires(
                            at="45m",
                            labels=_NODE_LABELS,
                            annotations={
                                "description": "The 15-minute load average on web-1:9100 is 2.2 per CPU; "
                                "work is queueing for CPU or I/O."
                            },
                        ),
                    ],
                ),
                RuleTest(
                    "quiet at 1.9 per CPU",
                    series=[*_cpus(0.1, cpus=8), gauge(f"node_load15{{{_NODE}}}", 15.2)],
                    expect=[
                        Evaluates(at="45m", expr="instance:node_load15_per_cpu:ratio", value=1.9, labels=_NODE_LABELS),
                        Quiet(at="45m"),
                    ],
                ),
            ],
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
            tests=[
                RuleTest(
                    "fires when / has 3% free for 10 minutes, not for a full tmpfs",
                    series=[
                        *_filesystem(step(f"node_filesystem_avail_bytes{{{_ROOT_SELECTOR}}}", 20e9, 3e9, at="10m")),
                        *_filesystem(
                            gauge(
                                f"node_filesystem_avail_bytes{{{_TMPFS_SELECTOR}}}",
                                1e6,
                            ),
                            size=1.6e9,
                            selector=_TMPFS_SELECTOR,
                        ),
                    ],
                    expect=[
                        Quiet(at="15m"),
                        Fires(
                            at="25m",
                            labels=_ROOT,
                            annotations={"description": "Only 3% of / (/dev/nvme0n1p1) on web-1:9100 is free."},
                        ),
                    ],
                ),
                RuleTest(
                    "quiet at 7% free",
                    series=_filesystem(gauge(f"node_filesystem_avail_bytes{{{_ROOT_SELECTOR}}}", 7e9)),
                    expect=[Evaluates(at="30m", expr=_FS_RATIO, value=0.07, labels=_ROOT), Quiet(at="30m")],
                ),
                RuleTest(
                    "quiet for a full filesystem mounted read-only",
                    series=_filesystem(
                        gauge(
                            f"node_filesystem_avail_bytes{{{_ARCHIVE_SELECTOR}}}",
                            1e9,
                        ),
                        readonly=1,
                        selector=_ARCHIVE_SELECTOR,
                    ),
                    expect=[Evaluates(at="30m", expr=_FS_RATIO, value=0.01, labels=_ARCHIVE), Quiet(at="30m")],
                ),
            ],
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
            tests=[
                RuleTest(
                    "fires when / loses 1.5 GB an hour with 33% left",
                    series=_filesystem(_draining(45e9, 1.5e9, hours=9)),
                    interval="5m",
                    expect=[
                        Quiet(at="5h"),  # 37.5% free, but a day at this rate still leaves 1.5 GB
                        Quiet(at="6h30m"),  # full within a day since ~6h: pending
                        Fires(
                            at="8h2m",  # off the 5m sample grid: same ratio whichever group runs first
                            labels=_ROOT,
                            annotations={
                                "description": "/ (/dev/nvme0n1p1) on web-1:9100 has 33% free and, at the rate of "
                                "the last 6 hours, fills up within a day."
                            },
                        ),
                    ],
                ),
                RuleTest(
                    "quiet when 35% is free and a day at 1.2 GB an hour still leaves 6 GB",
                    series=_filesystem(_draining(44.6e9, 1.2e9, hours=9)),
                    interval="5m",
                    expect=[
                        Evaluates(at="8h2m", expr=_FS_RATIO, value=0.35, labels=_ROOT),
                        Quiet(at="8h"),
                        Quiet(at="9h"),
                    ],
                ),
            ],
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
            tests=[
                RuleTest(
                    "fires when / loses 3.6 GB an hour with 10% left",
                    series=_filesystem(_draining(30e9, 3.6e9, hours=6)),
                    interval="5m",
                    expect=[
                        Quiet(at="4h"),  # 15.6% free, 4 hours at this rate leave 1.2 GB
                        Quiet(at="4h40m"),  # full within 4 hours since ~4h20m: pending
                        Fires(
                            at="5h32m",  # off the 5m sample grid: same ratio whichever group runs first
                            labels=_ROOT,
                            annotations={
                                "description": "/ (/dev/nvme0n1p1) on web-1:9100 has 10.2% free and, at the rate of "
                                "the last 6 hours, fills up within 4 hours."
                            },
                        ),
                    ],
                ),
                RuleTest(
                    "quiet when 14% is free but it drains at 0.6 GB an hour",
                    series=_filesystem(_draining(18e9, 0.6e9, hours=7)),
                    interval="5m",
                    expect=[
                        Evaluates(at="6h32m", expr=_FS_RATIO, value=0.141, labels=_ROOT),
                        Quiet(at="6h30m"),
                        Quiet(at="7h"),
                    ],
                ),
            ],
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
            tests=[
                RuleTest(
                    "fires when 1.5% of packets on eth0 fail for 15 minutes",
                    series=_network(
                        1000,
                        800,
                        counter(f'node_network_receive_errs_total{{{_NODE}, device="eth0"}}', 0, changes={"10m": 27}),
                    ),
                    expect=[
                        Quiet(at="8m"),
                        Quiet(at="20m"),
                        Fires(
                            at="35m",
                            labels={**_NODE_LABELS, "device": "eth0"},
                            annotations={
                                "description": "1.5% of packets on eth0 of web-1:9100 fail with receive or transmit "
                                "errors: check the NIC, cable or driver."
                            },
                        ),
                    ],
                ),
                RuleTest(
                    "quiet at 0.9% errors",
                    series=_network(
                        1000, 800, counter(f'node_network_receive_errs_total{{{_NODE}, device="eth0"}}', 16.2)
                    ),
                    expect=[
                        Evaluates(at="40m", expr=_NET_ERRORS, value=0.009, labels={**_NODE_LABELS, "device": "eth0"}),
                        Quiet(at="40m"),
                    ],
                ),
                RuleTest(
                    "quiet on a nearly idle interface where a few errors are a large share",
                    series=_network(
                        5,
                        3,
                        counter(f'node_network_receive_errs_total{{{_NODE}, device="eth1"}}', 1),
                        device="eth1",
                    ),
                    expect=[
                        Evaluates(at="40m", expr=_NET_ERRORS, value=0.125, labels={**_NODE_LABELS, "device": "eth1"}),
                        Quiet(at="40m"),
                    ],
                ),
            ],
        ),
    ],
)
