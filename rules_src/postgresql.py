"""PostgreSQL, from postgres_exporter.

Metrics (labelled `job` and `instance`):
- `pg_up` gauge: the exporter can reach the server
- `pg_stat_activity_count{datname, state}`, `pg_settings_max_connections`: connection usage
- `pg_stat_activity_max_tx_duration{datname, state}`: age of the oldest open transaction
- `pg_stat_database_deadlocks`, `pg_stat_database_xact_commit`, `pg_stat_database_xact_rollback`,
  `pg_stat_database_blks_hit`, `pg_stat_database_blks_read` counters, labelled `datname`
- `pg_replication_lag` (seconds) and `pg_replication_is_replica` gauges, on replicas
- `pg_database_size_bytes{datname}` gauge
"""

from collections.abc import Mapping

from compiler.dsl import Alert, Evaluates, Fires, Quiet, Record, RuleGroup, RuleTest, Series, counter, gauge, raw, step

_TEAM = {"team": "database"}

# Test fixtures: postgres_exporter runs as job "postgres" next to a primary and a replica.
_JOB = "postgres"
_PRIMARY = "pg-0.db.internal:9187"
_REPLICA = "pg-1.db.internal:9187"


def _on(instance: str, **labels: str) -> str:
    """The label matchers of a series the exporter at `instance` exposes."""
    return ", ".join([f'job="{_JOB}"', f'instance="{instance}"', *(f'{k}="{v}"' for k, v in labels.items())])


def _connections(
    instance: str, *, active: float, idle: float, idle_changes: Mapping[str, float] | None = None
) -> list[Series]:
    """pg_stat_activity_count of `instance` (database "app", plus the exporter's own session) out of 100 slots."""
    return [
        gauge(f"pg_settings_max_connections{{{_on(instance)}}}", 100),
        gauge(f"pg_stat_activity_count{{{_on(instance, datname='app', state='active')}}}", active),
        gauge(f"pg_stat_activity_count{{{_on(instance, datname='app', state='idle')}}}", idle, changes=idle_changes),
        gauge(f"pg_stat_activity_count{{{_on(instance, datname='app', state='idle in transaction')}}}", 4),
        gauge(f"pg_stat_activity_count{{{_on(instance, datname='postgres', state='active')}}}", 1),
    ]


def _transactions(commits: float, rollbacks: float, *, hit: float = 990, read: float = 10) -> list[Series]:
    """Transactions/s and buffer blocks/s (`hit` from shared buffers, `read` from disk) of database "app"."""
    app = _on(_PRIMARY, datname="app")
    return [
        counter(f"pg_stat_database_xact_commit{{{app}}}", commits),
        counter(f"pg_stat_database_xact_rollback{{{app}}}", rollbacks),
        counter(f"pg_stat_database_blks_hit{{{app}}}", hit),
        counter(f"pg_stat_database_blks_read{{{app}}}", read),
    ]


def _tx_duration(*, datname: str, state: str) -> str:
    return f"pg_stat_activity_max_tx_duration{{{_on(_PRIMARY, datname=datname, state=state)}}}"


def _replica(lag: float, *, at: str, then: float, instance: str = _REPLICA, is_replica: float = 1) -> list[Series]:
    return [
        step(f"pg_replication_lag{{{_on(instance)}}}", lag, then, at=at),
        gauge(f"pg_replication_is_replica{{{_on(instance)}}}", is_replica),
    ]


postgresql_records = RuleGroup(
    "postgresql-records",
    rules=[
        Record(
            "instance:pg_connections_used:ratio",
            expr="""
                sum by (job, instance) (pg_stat_activity_count)
                  / on (job, instance) max by (job, instance) (pg_settings_max_connections)
            """,
            tests=[
                RuleTest(
                    "counts every database and state against max_connections",
                    series=[_connections(_PRIMARY, active=30, idle=50)],
                    expect=[Evaluates(at="5m", value=0.85, labels={"job": _JOB, "instance": _PRIMARY})],
                ),
            ],
        ),
        Record(
            "instance_datname:pg_transactions:rate5m",
            expr="""
                sum by (job, instance, datname) (
                  rate(pg_stat_database_xact_commit[5m]) + rate(pg_stat_database_xact_rollback[5m])
                )
            """,
        ),
        Record(
            "instance_datname:pg_rollbacks:ratio_rate5m",
            expr="""
                sum by (job, instance, datname) (rate(pg_stat_database_xact_rollback[5m]))
                  / instance_datname:pg_transactions:rate5m
            """,
        ),
        Record(
            "instance_datname:pg_cache_hit:ratio_rate5m",
            expr="""
                sum by (job, instance, datname) (rate(pg_stat_database_blks_hit[5m]))
                  / sum by (job, instance, datname) (
                    rate(pg_stat_database_blks_hit[5m]) + rate(pg_stat_database_blks_read[5m])
                  )
            """,
            tests=[
                RuleTest(
                    "is the share of blocks found in shared buffers",
                    series=[_transactions(10, 0, hit=850, read=150)],
                    expect=[
                        Evaluates(at="10m30s", value=0.85, labels={"job": _JOB, "instance": _PRIMARY, "datname": "app"})
                    ],
                ),
            ],
        ),
    ],
)

postgresql_alerts = RuleGroup(
    "postgresql-alerts",
    rules=[
        Alert(
            "PostgresqlDown",
            expr="pg_up == 0",
            for_="1m",
            severity="critical",
            labels=_TEAM,
            summary="PostgreSQL {{ $labels.instance }} is down",
            description="postgres_exporter {{ $labels.job }} cannot connect to the server at {{ $labels.instance }}.",
            runbook_url="https://runbooks.example.com/PostgresqlDown",
            tests=[
                RuleTest(
                    "fires when the exporter loses the server",
                    series=[step(f"pg_up{{{_on(_PRIMARY)}}}", 1, 0, at="10m"), gauge(f"pg_up{{{_on(_REPLICA)}}}", 1)],
                    expect=[
                        Quiet(at="10m"),  # pending
                        Fires(at="12m", labels={"job": _JOB, "instance": _PRIMARY}),
                    ],
                ),
                RuleTest(
                    "quiet after a single failed scrape",
                    series=[gauge(f"pg_up{{{_on(_PRIMARY)}}}", 1, changes={"10m": 0, "11m": 1})],
                    expect=[Quiet(at="10m"), Quiet(at="11m"), Quiet(at="15m")],
                ),
            ],
        ),
        Alert(
            "PostgresqlTooManyConnections",
            expr="instance:pg_connections_used:ratio > 0.8",
            for_="5m",
            severity="warning",
            labels=_TEAM,
            summary="PostgreSQL {{ $labels.instance }} uses more than 80% of max_connections",
            description=(
                "{{ $labels.instance }} uses {{ $value | humanizePercentage }} of its connection slots; "
                "new clients will be refused when none are left."
            ),
            runbook_url="https://runbooks.example.com/PostgresqlTooManyConnections",
            tests=[
                RuleTest(
                    "fires when idle connections pile up to 85% of the slots on the primary",
                    series=[
                        _connections(_PRIMARY, active=30, idle=10, idle_changes={"10m": 50}),
                        _connections(_REPLICA, active=10, idle=10),
                    ],
                    expect=[
                        Quiet(at="9m"),
                        Quiet(at="12m"),  # pending
                        Fires(
                            at="20m",
                            labels={"job": _JOB, "instance": _PRIMARY},
                            annotations={
                                "description": (
                                    f"{_PRIMARY} uses 85% of its connection slots; "
                                    "new clients will be refused when none are left."
                                )
                            },
                        ),
                    ],
                ),
                RuleTest(
                    "quiet at 78% of the slots",
                    series=[_connections(_PRIMARY, active=30, idle=43)],
                    expect=[Quiet(at="20m")],
                ),
            ],
        ),
        Alert(
            "PostgresqlDeadlocks",
            expr="sum by (job, instance, datname) (increase(pg_stat_database_deadlocks[10m])) > 5",
            for_="5m",
            severity="warning",
            labels=_TEAM,
            summary="Deadlocks in database {{ $labels.datname }} on {{ $labels.instance }}",
            description=(
                "{{ $value | humanize }} deadlocks in {{ $labels.datname }} on {{ $labels.instance }} "
                "in the last 10 minutes."
            ),
            runbook_url="https://runbooks.example.com/PostgresqlDeadlocks",
            tests=[
                RuleTest(
                    "fires at 12 deadlocks in 10 minutes",
                    series=[
                        counter(
                            f"pg_stat_database_deadlocks{{{_on(_PRIMARY, datname='app')}}}", 0, changes={"10m": 0.02}
                        )
                    ],
                    expect=[
                        Quiet(at="9m30s"),
                        Quiet(at="14m30s"),  # pending
                        Fires(
                            at="25m30s",
                            labels={"job": _JOB, "instance": _PRIMARY, "datname": "app"},
                            annotations={"description": f"12 deadlocks in app on {_PRIMARY} in the last 10 minutes."},
                        ),
                    ],
                ),
                RuleTest(
                    "quiet at 4.8 deadlocks in 10 minutes",
                    series=[counter(f"pg_stat_database_deadlocks{{{_on(_PRIMARY, datname='app')}}}", 0.008)],
                    expect=[Quiet(at="30m30s")],
                ),
            ],
        ),
        Alert(
            "PostgresqlReplicationLagHigh",
            expr="""
                pg_replication_lag > 30
                  and on (job, instance) pg_replication_is_replica == 1
            """,
            for_="5m",
            severity="warning",
            labels=_TEAM,
            summary="PostgreSQL replica {{ $labels.instance }} lags behind its primary",
            description="Replica {{ $labels.instance }} is {{ $value | humanizeDuration }} behind its primary.",
            runbook_url="https://runbooks.example.com/PostgresqlReplicationLagHigh",
            tests=[
                RuleTest(
                    "fires when the replica falls 95s behind",
                    series=[_replica(2, at="10m", then=95)],
                    expect=[
                        Quiet(at="12m"),  # pending
                        Fires(
                            at="20m",
                            labels={"job": _JOB, "instance": _REPLICA},
                            annotations={"description": f"Replica {_REPLICA} is 1m 35s behind its primary."},
                        ),
                    ],
                ),
                RuleTest("quiet at 25s of lag", series=[_replica(2, at="10m", then=25)], expect=[Quiet(at="20m")]),
                RuleTest(
                    "quiet for the primary, whose lag reading means nothing",
                    series=[_replica(3600, at="10m", then=3660, instance=_PRIMARY, is_replica=0)],
                    expect=[Quiet(at="20m")],
                ),
            ],
        ),
        Alert(
            "PostgresqlLongRunningTransaction",
            expr='pg_stat_activity_max_tx_duration{datname!~"template.*|"} > 3600',
            for_="5m",
            severity="warning",
            labels=_TEAM,
            summary="Transaction open for over an hour in {{ $labels.datname }} on {{ $labels.instance }}",
            description=(
                "A transaction in state {{ $labels.state }} on {{ $labels.datname }} has been open for "
                "{{ $value | humanizeDuration }}; it holds locks and blocks vacuum."
            ),
            runbook_url="https://runbooks.example.com/PostgresqlLongRunningTransaction",
            tests=[
                RuleTest(
                    "fires for a transaction left idle for over an hour",
                    # opened 55 minutes before the test starts, never committed
                    series=[
                        raw(_tx_duration(datname="app", state="idle in transaction"), "3300+60x30"),
                    ],
                    expect=[
                        Quiet(at="5m"),  # 3600s, not above
                        Quiet(at="9m"),  # pending
                        Fires(
                            at="12m",
                            labels={
                                "job": _JOB,
                                "instance": _PRIMARY,
                                "datname": "app",
                                "state": "idle in transaction",
                            },
                            annotations={
                                "description": (
                                    "A transaction in state idle in transaction on app has been open for 1h 7m 0s; "
                                    "it holds locks and blocks vacuum."
                                )
                            },
                        ),
                    ],
                ),
                RuleTest(
                    "quiet for a 59-minute transaction that commits",
                    series=[
                        raw(_tx_duration(datname="app", state="active"), "3000+60x9 0x20"),
                    ],
                    expect=[Quiet(at="9m"), Quiet(at="20m")],
                ),
                RuleTest(
                    "quiet for sessions outside a user database",
                    series=[
                        gauge(_tx_duration(datname="", state="active"), 7200),
                        gauge(_tx_duration(datname="template1", state="idle"), 7200),
                    ],
                    expect=[Quiet(at="20m")],
                ),
            ],
        ),
        Alert(
            "PostgresqlHighRollbackRate",
            expr="""
                instance_datname:pg_rollbacks:ratio_rate5m > 0.1
                  and on (job, instance, datname) instance_datname:pg_transactions:rate5m > 1
            """,
            for_="15m",
            severity="warning",
            labels=_TEAM,
            summary="Many rolled back transactions in {{ $labels.datname }} on {{ $labels.instance }}",
            description="{{ $value | humanizePercentage }} of transactions in {{ $labels.datname }} roll back.",
            runbook_url="https://runbooks.example.com/PostgresqlHighRollbackRate",
            tests=[
                RuleTest(
                    "fires when 20% of transactions roll back",
                    series=[_transactions(8, 2)],
                    expect=[
                        Quiet(at="10m"),  # pending
                        Fires(
                            at="20m",
                            labels={"job": _JOB, "instance": _PRIMARY, "datname": "app"},
                            annotations={"description": "20% of transactions in app roll back."},
                        ),
                    ],
                ),
                RuleTest("quiet at 8% rollbacks", series=[_transactions(9.2, 0.8)], expect=[Quiet(at="30m")]),
                RuleTest(
                    "quiet when half of under 1 transaction/s roll back",
                    series=[_transactions(0.4, 0.4)],
                    expect=[Quiet(at="30m")],
                ),
            ],
        ),
        Alert(
            "PostgresqlLowCacheHitRatio",
            expr="""
                instance_datname:pg_cache_hit:ratio_rate5m < 0.9
                  and on (job, instance, datname) instance_datname:pg_transactions:rate5m > 1
            """,
            for_="30m",
            severity="info",
            labels=_TEAM,
            summary="Low buffer cache hit ratio in {{ $labels.datname }} on {{ $labels.instance }}",
            description=(
                "Only {{ $value | humanizePercentage }} of block reads in {{ $labels.datname }} hit "
                "shared buffers; the working set may no longer fit in memory."
            ),
            runbook_url="https://runbooks.example.com/PostgresqlLowCacheHitRatio",
            tests=[
                RuleTest(
                    "fires when 85% of block reads hit the cache for half an hour",
                    series=[_transactions(10, 0, hit=850, read=150)],
                    expect=[
                        Quiet(at="20m"),  # pending
                        Fires(
                            at="40m",
                            labels={"job": _JOB, "instance": _PRIMARY, "datname": "app"},
                            annotations={
                                "description": (
                                    "Only 85% of block reads in app hit shared buffers; "
                                    "the working set may no longer fit in memory."
                                )
                            },
                        ),
                    ],
                ),
                RuleTest(
                    "quiet at a 92% hit ratio",
                    series=[_transactions(10, 0, hit=920, read=80)],
                    expect=[Quiet(at="45m")],
                ),
                RuleTest(
                    "quiet for a database serving under 1 transaction/s",
                    series=[_transactions(0.5, 0, hit=50, read=50)],
                    expect=[Quiet(at="45m")],
                ),
            ],
        ),
        Alert(
            "PostgresqlDatabaseGrowingFast",
            expr="""
                predict_linear(pg_database_size_bytes[6h], 7 * 24 * 3600) > 2 * pg_database_size_bytes
                  and pg_database_size_bytes > 1e9
            """,
            for_="1h",
            severity="info",
            labels=_TEAM,
            summary="Database {{ $labels.datname }} on {{ $labels.instance }} will double in size within a week",
            description=(
                "At the growth rate of the last 6 hours, {{ $labels.datname }} will reach "
                "{{ $value | humanize1024 }}B in 7 days."
            ),
            runbook_url="https://runbooks.example.com/PostgresqlDatabaseGrowingFast",
            tests=[
                RuleTest(
                    "fires for a 5GB database growing 1MB a minute",
                    # 10.08GB more in a week: more than double
                    series=[raw(f"pg_database_size_bytes{{{_on(_PRIMARY, datname='app')}}}", "5e9+1e6x100")],
                    expect=[
                        Quiet(at="50m"),  # pending
                        Fires(
                            at="1h30m",
                            labels={"job": _JOB, "instance": _PRIMARY, "datname": "app"},
                            annotations={
                                "description": (
                                    "At the growth rate of the last 6 hours, app will reach 14.13GiB in 7 days."
                                )
                            },
                        ),
                    ],
                ),
                RuleTest(
                    "quiet for a 5GB database that grows by 91% in a week",
                    series=[raw(f"pg_database_size_bytes{{{_on(_PRIMARY, datname='app')}}}", "5e9+4.5e5x100")],
                    expect=[Quiet(at="1h30m")],
                ),
                RuleTest(
                    "quiet for a database under 1GB, however fast it grows",
                    series=[raw(f"pg_database_size_bytes{{{_on(_PRIMARY, datname='app')}}}", "5e8+2e5x100")],
                    expect=[Quiet(at="1h30m")],
                ),
            ],
        ),
    ],
)
