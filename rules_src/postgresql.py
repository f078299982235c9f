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

from compiler.dsl import Alert, Record, RuleGroup

_TEAM = {"team": "database"}

postgresql_records = RuleGroup(
    "postgresql-records",
    rules=[
        Record(
            "instance:pg_connections_used:ratio",
            expr="""
                sum by (job, instance) (pg_stat_activity_count)
                  / on (job, instance) max by (job, instance) (pg_settings_max_connections)
            """,
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
        ),
    ],
)
