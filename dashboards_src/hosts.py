"""Host overview from node_exporter: the USE method, plus filesystem space."""

from grafanalib.core import Dashboard, Target, Templating, TimeSeries

from compiler.dsl.dashboards import DATASOURCE, datasource_variable, label_variable, use_row

grafana_folder = "infrastructure"

host_overview = Dashboard(
    title="Host overview",
    uid="host-overview",
    tags=["node-exporter", "use"],
    refresh="1m",
    templating=Templating(
        [
            datasource_variable(),
            label_variable("job", "node_uname_info"),
            label_variable("instance", 'node_uname_info{job="$job"}', multi=True),
        ]
    ),
    panels=[
        use_row('job="$job", instance=~"$instance"'),
        TimeSeries(
            title="Filesystem space used",
            dataSource=DATASOURCE,
            unit="percentunit",
            span=12,
            targets=[
                Target(
                    expr='1 - node_filesystem_avail_bytes{job="$job", instance=~"$instance", fstype!~"tmpfs|overlay"}'
                    ' / node_filesystem_size_bytes{job="$job", instance=~"$instance", fstype!~"tmpfs|overlay"}',
                    legendFormat="{{instance}} {{mountpoint}}",
                )
            ],
        ),
    ],
)
