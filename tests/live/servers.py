"""Real servers for integration tests: Prometheus, Alertmanager, a webhook receiver and a scrape target.

Everything listens on 127.0.0.1, on a port free when it starts; every wait is bounded and fails with an
`AssertionError` that says what it waited for; every server is stopped when its `with` block ends, whether or
not the test failed. Only the standard library is used.

    with Webhook() as webhook, MetricsEndpoint() as metrics:
        with alertmanager(am_config, tmp_path) as am, prometheus(
            [rule_file], tmp_path, alertmanager_url=am.url, scrape_targets=[metrics.target]
        ) as prom:
            metrics.set("queue_depth", 42, queue="orders")
            webhook.wait_for(lambda n: n.has_alert(alertname="QueueBacklog"))

Samples can also be stored without a scrape: `backfill()` writes blocks (through `promtool tsdb
create-blocks-from openmetrics`) into the storage a later `prometheus()` in the same folder runs on, and
`Prometheus.remote_write()` writes into a running server started with `remote_write_receiver=True`:

    backfill([Series({"__name__": "jobs_total"}, [(start_ms, 0.0), (start_ms + 60_000, 5.0)])], tmp_path)
    with prometheus([rule_file], tmp_path, remote_write_receiver=True) as prom:
        prom.remote_write([Series({"__name__": "jobs_total"}, [(start_ms + 120_000, 9.0)])])

The servers are Debian's packages, installed by `make setup`: `prometheus` (/usr/bin/prometheus, 2.42, which
ships /usr/bin/promtool) and `prometheus-alertmanager` (/usr/bin/prometheus-alertmanager, 0.25). A missing one
fails the test.
"""

from __future__ import annotations

import contextlib
import json
import math
import shutil
import socket
import struct
import subprocess
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, Self, TypeVar, cast

from prometheus_remote_writer import RemoteWriter

T = TypeVar("T")

HOST = "127.0.0.1"
STARTUP_TIMEOUT = 30.0
"""Seconds a server may take to answer /-/ready (and Prometheus to find its targets)."""
STOP_TIMEOUT = 10.0
"""Seconds a server may take to exit after SIGTERM before it is killed."""
REQUEST_TIMEOUT = 10.0
SCRAPE_JOB = "live"
"""The `job` label of the samples Prometheus scrapes from `scrape_targets`."""
PROMETHEUS_STORAGE = "prometheus-data"
"""The TSDB folder, inside a test's folder, that `backfill()` writes and `prometheus()` runs on."""
BACKFILL_TIMEOUT = 60.0
STALE_NAN: float = struct.unpack("<d", struct.pack("<Q", 0x7FF0000000000002))[0]
"""Prometheus' staleness marker: a NaN with this exact bit pattern (`Series` values keep it as given)."""

_PORT_ATTEMPTS = 3
_LOG_TAIL_LINES = 25


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago (the kernel's pick for port 0)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def wait_until(
    check: Callable[[], T | None],
    *,
    what: str,
    timeout: float,
    interval: float = 0.1,
    diagnose: Callable[[], str] | None = None,
) -> T:
    """Call `check` until it returns something other than None, for at most `timeout` seconds.

    Fails with "timed out after N s waiting for <what>", followed by `diagnose()` (what was seen instead).
    """
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result is not None:
            return result
        if time.monotonic() >= deadline:
            detail = f"; {diagnose()}" if diagnose is not None else ""
            raise AssertionError(f"timed out after {timeout:g} s waiting for {what}{detail}")
        time.sleep(interval)


# --- HTTP servers in this process -----------------------------------------------------------------------


class _QuietHandler(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """Requests are not logged: pytest would show them as the test's stderr."""


class _BackgroundServer:
    """A ThreadingHTTPServer on 127.0.0.1 serving in a daemon thread; a context manager that shuts it down."""

    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self._server = ThreadingHTTPServer((HOST, 0), handler)
        self._server.daemon_threads = True
        self.port = int(self._server.server_address[1])
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True, name=type(self).__name__
        )
        self._thread.start()

    @property
    def url(self) -> str:
        """http://127.0.0.1:<port>, without a trailing slash."""
        return f"http://{HOST}:{self.port}"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=STOP_TIMEOUT)

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.close()


@dataclass(frozen=True)
class Notification:
    """One POST a Webhook received: its path and JSON body (Alertmanager's webhook payload, version 4)."""

    path: str
    body: Any

    @property
    def alerts(self) -> list[dict[str, Any]]:
        """The payload's `alerts`: each with `status`, `labels`, `annotations`, `startsAt`, `fingerprint`..."""
        if not isinstance(self.body, dict):
            return []
        alerts = self.body.get("alerts")
        return [alert for alert in alerts if isinstance(alert, dict)] if isinstance(alerts, list) else []

    def has_alert(self, status: str | None = None, **labels: str) -> bool:
        """Whether one of its alerts carries all these labels (and has this status: firing, resolved)."""
        return any(
            all(alert.get("labels", {}).get(name) == value for name, value in labels.items())
            and (status is None or alert.get("status") == status)
            for alert in self.alerts
        )


class Webhook(_BackgroundServer):
    """An Alertmanager webhook receiver: records every POSTed JSON body with its request path.

    Point a receiver's `webhook_configs[].url` at `webhook.url + "/any/path"`. A body that is not JSON is
    answered 400 and kept in `rejected`.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._notifications: list[Notification] = []
        self.rejected: list[bytes] = []
        webhook = self

        class Handler(_QuietHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                try:
                    body = json.loads(raw)
                except ValueError:
                    with webhook._lock:
                        webhook.rejected.append(raw)
                    self.send_response(400)
                else:
                    with webhook._lock:
                        webhook._notifications.append(Notification(self.path, body))
                    self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

        super().__init__(Handler)

    @property
    def notifications(self) -> list[Notification]:
        """Every notification received so far, oldest first (a copy)."""
        with self._lock:
            return list(self._notifications)

    def wait_for(
        self, predicate: Callable[[Notification], bool], *, timeout: float = 60.0, what: str = "a notification"
    ) -> Notification:
        """The first notification (received so far or within `timeout` seconds) that satisfies `predicate`."""
        return wait_until(
            lambda: next((n for n in self.notifications if predicate(n)), None),
            what=f"{what} at {self.url}",
            timeout=timeout,
            diagnose=lambda: _describe_notifications(self.notifications),
        )


def _describe_notifications(notifications: Sequence[Notification]) -> str:
    if not notifications:
        return "no notification was received"
    shown = "; ".join(
        f"{n.path}: " + ", ".join(f"{a.get('status')} {a.get('labels')}" for a in n.alerts) for n in notifications[-5:]
    )
    return f"received {len(notifications)} notifications, the last ones: {shown}"


class MetricsEndpoint(_BackgroundServer):
    """A scrape target: serves the samples a test sets, in Prometheus' text format, at /metrics.

    `metrics.set("queue_depth", 42, queue="orders")` adds or replaces the sample `queue_depth{queue="orders"}`;
    Prometheus reads it at its next scrape of `metrics.target`.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._samples: dict[tuple[str, tuple[tuple[str, str], ...]], float] = {}
        self._scrapes = 0
        endpoint = self

        class Handler(_QuietHandler):
            def do_GET(self) -> None:
                if urllib.parse.urlsplit(self.path).path != "/metrics":
                    self.send_error(404)
                    return
                body = endpoint.exposition().encode()
                with endpoint._lock:
                    endpoint._scrapes += 1
                self.send_response(200)
                self.send_header("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        super().__init__(Handler)

    @property
    def target(self) -> str:
        """127.0.0.1:<port>: the address to scrape (and the `instance` label of its samples)."""
        return f"{HOST}:{self.port}"

    @property
    def scrapes(self) -> int:
        """How many times /metrics has been served."""
        with self._lock:
            return self._scrapes

    def set(self, name: str, value: float, /, **labels: str) -> None:
        """Add or replace the sample `name{labels}`."""
        with self._lock:
            self._samples[(name, tuple(sorted(labels.items())))] = value

    def remove(self, name: str, /, **labels: str) -> None:
        """Stop exposing the sample `name{labels}` (its series goes stale at the next scrape)."""
        with self._lock:
            self._samples.pop((name, tuple(sorted(labels.items()))), None)

    def exposition(self) -> str:
        """The text /metrics serves now."""
        with self._lock:
            samples = sorted(self._samples.items())
        lines = []
        for (name, labels), value in samples:
            matchers = ",".join(f'{label}="{_escape_label_value(text)}"' for label, text in labels)
            lines.append(f"{name}{{{matchers}}} {_sample_value(value)}" if labels else f"{name} {_sample_value(value)}")
        return "".join(f"{line}\n" for line in lines)

    def wait_scraped(self, times: int = 1, *, timeout: float = 30.0) -> None:
        """Wait until /metrics has been served `times` more times (so a value just set has been read)."""
        goal = self.scrapes + times
        wait_until(
            lambda: True if self.scrapes >= goal else None,
            what=f"{times} more scrape(s) of {self.target}/metrics",
            timeout=timeout,
            diagnose=lambda: f"scraped {self.scrapes} times in all",
        )


def _escape_label_value(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _sample_value(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    return repr(float(value))


# --- stored samples -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Series:
    """One series' samples to store: its labels (`__name__` among them) and (time in ms, value), oldest first."""

    labels: Mapping[str, str]
    samples: Sequence[tuple[int, float]]


def is_stale(value: float) -> bool:
    """Whether the value is `STALE_NAN`, the staleness marker, rather than any other NaN."""
    return struct.pack("<d", value) == struct.pack("<d", STALE_NAN)


def backfill(series: Sequence[Series], tmp_dir: Path, *, timeout: float = BACKFILL_TIMEOUT) -> Path:
    """Store these samples as TSDB blocks in the storage `prometheus(..., tmp_dir)` then runs on; its path.

    The samples are written as OpenMetrics (tmp_dir/backfill.openmetrics.txt) and turned into blocks by
    `promtool tsdb create-blocks-from openmetrics`. OpenMetrics has no staleness marker: a `STALE_NAN` is
    refused (write it with `Prometheus.remote_write()`). A sample the server then receives must be newer than
    the blocks' newest (the head refuses older ones as out of bounds).
    """
    if any(is_stale(value) for each in series for _, value in each.samples):
        raise ValueError("OpenMetrics cannot carry a staleness marker: write it through remote_write()")
    text = tmp_dir / "backfill.openmetrics.txt"
    text.write_text("".join(_openmetrics_lines(each) for each in series) + "# EOF\n")
    storage = tmp_dir / PROMETHEUS_STORAGE
    storage.mkdir(parents=True, exist_ok=True)
    promtool = find_binary("promtool", package="prometheus")
    argv = [promtool, "tsdb", "create-blocks-from", "openmetrics", "--quiet", str(text), str(storage)]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=timeout, check=False)
    assert done.returncode == 0, f"{' '.join(argv)} exited with status {done.returncode}:\n{done.stderr}{done.stdout}"
    return storage


def _openmetrics_lines(series: Series) -> str:
    """The series' samples in OpenMetrics' text (no TYPE: `unknown`), timestamps in seconds."""
    name = series.labels["__name__"]
    labels = ",".join(
        f'{label}="{_escape_label_value(value)}"'
        for label, value in sorted(series.labels.items())
        if label != "__name__"
    )
    selector = f"{name}{{{labels}}}" if labels else name
    return "".join(f"{selector} {_sample_value(value)} {at_ms / 1000:.3f}\n" for at_ms, value in series.samples)


# --- HTTP client -----------------------------------------------------------------------------------------


def http_json(method: str, url: str, payload: Any = None, *, timeout: float = REQUEST_TIMEOUT) -> Any:
    """Send a request (with `payload` as its JSON body, unless None) and decode the JSON answer (None if empty).

    An error status fails with the server's answer in the message.
    """
    data = None if payload is None else json.dumps(payload).encode()
    request = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            raw = response.read()
    except urllib.error.HTTPError as error:
        answer = error.read().decode(errors="replace")
        raise AssertionError(f"{method} {url} answered {error.code}: {answer}") from None
    return json.loads(raw) if raw.strip() else None


def _prometheus_data(url: str) -> Any:
    answer = http_json("GET", url)
    assert isinstance(answer, dict) and answer.get("status") == "success", f"GET {url} answered {answer}"
    return answer["data"]


def _dicts(value: Any, source: str) -> list[dict[str, Any]]:
    assert isinstance(value, list) and all(isinstance(item, dict) for item in value), f"{source}: {value!r}"
    return cast(list[dict[str, Any]], value)


# --- server processes ------------------------------------------------------------------------------------


def find_binary(*names: str, package: str) -> str:
    """The first of these commands on PATH; fails naming the Debian package `make setup` installs."""
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    raise AssertionError(f"{' or '.join(names)} not found on PATH: run `make setup` (Debian package {package})")


@dataclass
class ServerProcess:
    """A server started by this harness: its command line, and its stdout and stderr in `log_path`."""

    name: str
    argv: list[str]
    log_path: Path
    popen: subprocess.Popen[bytes] = field(repr=False)

    @classmethod
    def start(cls, name: str, argv: list[str], log_path: Path) -> ServerProcess:
        with log_path.open("wb") as log:
            popen = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT)
        return cls(name, argv, log_path, popen)

    def log(self) -> str:
        """Everything the server has written so far."""
        try:
            return self.log_path.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def log_tail(self, lines: int = _LOG_TAIL_LINES) -> str:
        """The log's last lines, after its earlier errors (the one that explains a failure often comes first)."""
        logged = self.log().splitlines()
        earlier_errors = [line for line in logged[:-lines] if "level=error" in line]
        shown = [*earlier_errors, "..."] if earlier_errors else []
        text = "\n".join([*shown, *logged[-lines:]])
        return f"{self.name} log ({self.log_path}), its errors and last lines:\n{text}"

    def wait_ready(self, url: str, timeout: float) -> None:
        """Wait until `url` answers 200; fails at once if the process exits."""
        deadline = time.monotonic() + timeout
        last = "no answer"
        while True:
            code = self.popen.poll()
            if code is not None:
                raise _Exited(f"{self.name} exited with status {code} while starting: {' '.join(self.argv)}\n")
            try:
                with urllib.request.urlopen(url, timeout=1.0) as response:
                    if response.status == 200:
                        return
                    last = f"status {response.status}"
            except urllib.error.HTTPError as error:
                last = f"status {error.code}"
            except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
                last = str(error)
            if time.monotonic() >= deadline:
                raise AssertionError(
                    f"timed out after {timeout:g} s waiting for {self.name} to answer {url} ({last}); "
                    f"{' '.join(self.argv)}\n{self.log_tail()}"
                )
            time.sleep(0.1)

    def stop(self, timeout: float = STOP_TIMEOUT) -> None:
        """SIGTERM, then SIGKILL if it has not exited after `timeout` seconds."""
        if self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()


class _Exited(AssertionError):
    pass


class _PortTaken(_Exited):
    pass


@contextlib.contextmanager
def _serving(
    name: str,
    command: Callable[[int], list[str]],
    log_path: Path,
    startup_timeout: float,
    is_ours: Callable[[str], bool] | None = None,
) -> Iterator[tuple[str, ServerProcess]]:
    """Start `command(port)` on a free port, wait for /-/ready, yield (base URL, process); always stop it.

    A port taken between `free_port()` and the server's bind is retried on another port, and so is one where
    the server that answers is not this one (`is_ours(url)` false: it took the port first, and this one is
    about to exit). An exception raised in the `with` block gets the end of the server's log as a note.
    """
    for attempt in range(1, _PORT_ATTEMPTS + 1):
        port = free_port()
        url = f"http://{HOST}:{port}"
        process = ServerProcess.start(name, command(port), log_path)
        try:
            process.wait_ready(f"{url}/-/ready", startup_timeout)
            if is_ours is not None and not is_ours(url):
                raise _PortTaken(f"another {name} answers on port {port}\n")
        except _Exited as error:
            process.stop()
            taken = isinstance(error, _PortTaken) or "address already in use" in process.log()
            if taken and attempt < _PORT_ATTEMPTS:
                continue
            raise AssertionError(f"{error}{process.log_tail()}") from None
        except BaseException:
            process.stop()
            raise
        break
    try:
        yield url, process
    except Exception as error:
        error.add_note(process.log_tail())
        raise
    finally:
        process.stop()


@dataclass(frozen=True)
class Alertmanager:
    """A running Alertmanager: its base URL and API v2."""

    url: str
    process: ServerProcess

    @property
    def address(self) -> str:
        """127.0.0.1:<port>"""
        return urllib.parse.urlsplit(self.url).netloc

    def post_alerts(self, alerts: Sequence[Mapping[str, Any]]) -> None:
        """POST /api/v2/alerts: each alert a dict with `labels`, and optionally `annotations`, `startsAt`,
        `endsAt` (RFC 3339; without it the alert resolves after `resolve_timeout`), `generatorURL`."""
        http_json("POST", f"{self.url}/api/v2/alerts", [dict(alert) for alert in alerts])

    def alerts(
        self,
        *matchers: str,
        active: bool = True,
        silenced: bool = True,
        inhibited: bool = True,
        unprocessed: bool = True,
        receiver: str | None = None,
    ) -> list[dict[str, Any]]:
        """GET /api/v2/alerts, filtered by matchers such as 'alertname="DiskFull"'.

        Each alert has `labels`, `annotations`, `fingerprint`, `receivers` and `status`: `state` (unprocessed,
        active, suppressed), `inhibitedBy` and `silencedBy` (fingerprints and silence IDs).
        """
        query: list[tuple[str, str]] = [("filter", matcher) for matcher in matchers]
        flags = {"active": active, "silenced": silenced, "inhibited": inhibited, "unprocessed": unprocessed}
        query += [(flag, str(on).lower()) for flag, on in flags.items()]
        if receiver is not None:
            query.append(("receiver", receiver))
        url = f"{self.url}/api/v2/alerts?{urllib.parse.urlencode(query)}"
        return _dicts(http_json("GET", url), f"GET {url}")

    def status(self) -> dict[str, Any]:
        """GET /api/v2/status: `config.original` (the configuration as loaded), `versionInfo`, `cluster`..."""
        answer = http_json("GET", f"{self.url}/api/v2/status")
        assert isinstance(answer, dict), answer
        return answer

    def log(self) -> str:
        return self.process.log()


@contextlib.contextmanager
def alertmanager(
    config_path: Path, tmp_dir: Path, *, startup_timeout: float = STARTUP_TIMEOUT
) -> Iterator[Alertmanager]:
    """Run Alertmanager with this configuration, its data and log in `tmp_dir`, HA clustering off.

    Yields once /-/ready answers; a configuration it rejects fails with its log. Always stopped.
    """
    binary = find_binary("prometheus-alertmanager", "alertmanager", package="prometheus-alertmanager")
    storage = tmp_dir / "alertmanager-data"
    storage.mkdir(parents=True, exist_ok=True)

    def command(port: int) -> list[str]:
        return [
            binary,
            f"--config.file={config_path}",
            f"--storage.path={storage}",
            f"--web.listen-address={HOST}:{port}",
            # Else links (a notification's `externalURL`) name the machine's hostname.
            f"--web.external-url=http://{HOST}:{port}/",
            # Empty: no gossip port, and no wait for peers before a notification is sent.
            "--cluster.listen-address=",
        ]

    with _serving("alertmanager", command, tmp_dir / "alertmanager.log", startup_timeout) as (url, process):
        yield Alertmanager(url, process)


@dataclass(frozen=True)
class Prometheus:
    """A running Prometheus: its base URL and HTTP API."""

    url: str
    process: ServerProcess
    config_path: Path

    def rules(self, type: str | None = None) -> list[dict[str, Any]]:
        """GET /api/v1/rules: the rule groups, each with `name`, `file` and `rules` (an alerting rule's
        `state`, `health`, `lastError`, `lastEvaluation`, `alerts`...). `type`: "alert" or "record"."""
        query = f"?type={type}" if type else ""
        data = _prometheus_data(f"{self.url}/api/v1/rules{query}")
        return _dicts(data["groups"], "GET /api/v1/rules")

    def alerts(self) -> list[dict[str, Any]]:
        """GET /api/v1/alerts: every pending or firing alert (`labels`, `annotations`, `state`, `value`)."""
        return _dicts(_prometheus_data(f"{self.url}/api/v1/alerts")["alerts"], "GET /api/v1/alerts")

    def query(self, expr: str, *, at: float | None = None) -> list[dict[str, Any]]:
        """GET /api/v1/query at the current time (or at `at`, Unix seconds): the vector's samples (`metric`,
        `value`)."""
        parameters = {"query": expr} if at is None else {"query": expr, "time": f"{at:.3f}"}
        url = f"{self.url}/api/v1/query?{urllib.parse.urlencode(parameters)}"
        data = _prometheus_data(url)
        assert data["resultType"] == "vector", f"{expr} is a {data['resultType']}, not an instant vector"
        return _dicts(data["result"], f"GET {url}")

    def targets(self) -> list[dict[str, Any]]:
        """GET /api/v1/targets: the active scrape targets (`scrapeUrl`, `health`, `lastError`, `lastScrape`)."""
        return _dicts(_prometheus_data(f"{self.url}/api/v1/targets")["activeTargets"], "GET /api/v1/targets")

    def remote_write(self, series: Sequence[Series]) -> None:
        """POST the samples to /api/v1/write (a server started with `remote_write_receiver=True`); once it
        returns they are stored. A sample the server refuses (out of order, out of bounds) fails with its answer.
        """
        with RemoteWriter(url=f"{self.url}/api/v1/write", timeout=REQUEST_TIMEOUT) as writer:
            try:
                writer.send(
                    [
                        {
                            "metric": dict(each.labels),
                            "values": [value for _, value in each.samples],
                            "timestamps": [at_ms for at_ms, _ in each.samples],
                        }
                        for each in series
                    ]
                )
            except RuntimeError as error:
                raise AssertionError(f"POST {self.url}/api/v1/write: {error}") from None

    def alertmanagers(self) -> list[str]:
        """GET /api/v1/alertmanagers: the URLs of the Alertmanagers alerts are sent to."""
        data = _prometheus_data(f"{self.url}/api/v1/alertmanagers")
        return [str(am["url"]) for am in _dicts(data["activeAlertmanagers"], "GET /api/v1/alertmanagers")]

    def log(self) -> str:
        return self.process.log()


def prometheus_config(
    rule_files: Sequence[Path],
    *,
    alertmanager_url: str | None = None,
    scrape_targets: Sequence[str] = (),
    scrape_interval: str = "1s",
    evaluation_interval: str = "1s",
) -> dict[str, Any]:
    """The prometheus.yml `prometheus()` writes (as JSON, which is YAML): rule files by absolute path, one
    scrape job `SCRAPE_JOB` over `scrape_targets`, alerts sent to `alertmanager_url`."""
    config: dict[str, Any] = {
        "global": {
            "scrape_interval": scrape_interval,
            # Prometheus rejects a timeout longer than the interval, and the default timeout is 10s.
            "scrape_timeout": scrape_interval,
            "evaluation_interval": evaluation_interval,
        },
        "rule_files": [str(path.resolve()) for path in rule_files],
    }
    if scrape_targets:
        config["scrape_configs"] = [{"job_name": SCRAPE_JOB, "static_configs": [{"targets": list(scrape_targets)}]}]
    if alertmanager_url is not None:
        parts = urllib.parse.urlsplit(alertmanager_url)
        config["alerting"] = {
            "alertmanagers": [
                {
                    "scheme": parts.scheme,
                    "path_prefix": parts.path or "/",
                    "static_configs": [{"targets": [parts.netloc]}],
                }
            ]
        }
    return config


@contextlib.contextmanager
def prometheus(
    config: Path | Sequence[Path],
    tmp_dir: Path,
    *,
    alertmanager_url: str | None = None,
    scrape_targets: Sequence[str] = (),
    scrape_interval: str = "1s",
    evaluation_interval: str = "1s",
    remote_write_receiver: bool = False,
    startup_timeout: float = STARTUP_TIMEOUT,
) -> Iterator[Prometheus]:
    """Run Prometheus, its data (tmp_dir/PROMETHEUS_STORAGE, with any blocks `backfill()` wrote there),
    configuration and log in `tmp_dir`; with `remote_write_receiver`, it accepts `remote_write()`.

    `config` is either a prometheus.yml used as it is, or the rule files to load: then `prometheus_config()`
    writes one from the other arguments. Yields once /-/ready answers and, for a written configuration, once
    Prometheus sends alerts to `alertmanager_url` and has scraped every target once (its discovery takes up to
    5 s to hand them over). Always stopped.
    """
    binary = find_binary("prometheus", package="prometheus")
    if isinstance(config, Path):
        if alertmanager_url is not None or scrape_targets:
            raise ValueError("alertmanager_url and scrape_targets go into a written configuration, not a given one")
        config_path = config
    else:
        config_path = tmp_dir / "prometheus.yml"
        written = prometheus_config(
            config,
            alertmanager_url=alertmanager_url,
            scrape_targets=scrape_targets,
            scrape_interval=scrape_interval,
            evaluation_interval=evaluation_interval,
        )
        config_path.write_text(json.dumps(written, indent=2) + "\n")
    storage = tmp_dir / PROMETHEUS_STORAGE
    storage.mkdir(parents=True, exist_ok=True)

    def command(port: int) -> list[str]:
        return [
            binary,
            f"--config.file={config_path}",
            f"--storage.tsdb.path={storage}",
            f"--web.listen-address={HOST}:{port}",
            # Else links (an alert's `generatorURL`) name the machine's hostname.
            f"--web.external-url=http://{HOST}:{port}/",
            *(["--web.enable-remote-write-receiver"] if remote_write_receiver else []),
        ]

    def is_ours(url: str) -> bool:
        return bool(_prometheus_data(f"{url}/api/v1/status/flags").get("storage.tsdb.path") == str(storage))

    with _serving("prometheus", command, tmp_dir / "prometheus.log", startup_timeout, is_ours) as (url, process):
        server = Prometheus(url, process, config_path)
        if alertmanager_url is not None:
            wait_until(
                lambda: True if any(alertmanager_url in am for am in server.alertmanagers()) else None,
                what=f"Prometheus to send alerts to {alertmanager_url}",
                timeout=startup_timeout,
                diagnose=lambda: f"it sends them to {server.alertmanagers()}",
            )
        if scrape_targets:
            wait_until(
                lambda: True if _all_scraped(server.targets(), scrape_targets) else None,
                what=f"Prometheus to scrape {', '.join(scrape_targets)}",
                timeout=startup_timeout,
                diagnose=lambda: f"its targets: {server.targets()}",
            )
        yield server


def _all_scraped(targets: Sequence[Mapping[str, Any]], addresses: Sequence[str]) -> bool:
    scraped = {target.get("labels", {}).get("instance") for target in targets if target.get("health") in ("up", "down")}
    return all(address in scraped for address in addresses)
