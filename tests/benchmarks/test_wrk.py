"""Reading wrk's report and writing its Lua scripts (no timing here: see benchmarks/)."""

from __future__ import annotations

import pytest

from benchmarks import wrk

REPORT = """\
Running 10s test @ http://127.0.0.1:8000/concepts/consultation
  2 threads and 50 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     3.51ms    1.02ms  42.17ms   91.20%
    Req/Sec     7.20k   512.33     8.01k    70.50%
  Latency Distribution
     50%    3.39ms
     75%    3.80ms
     90%  850.00us
     99%    1.20s
  143210 requests in 10.01s, 650.21MB read
  Non-2xx or 3xx responses: 210
  Socket errors: connect 0, read 2, write 0, timeout 1
Requests/sec:  14306.69
Transfer/sec:     64.96MB
"""


def test_a_report_is_read_with_its_units() -> None:
    load = wrk.parse(REPORT)
    assert load.requests == 143_210
    assert load.seconds == pytest.approx(10.01)
    assert load.rate == pytest.approx(14_306.69)
    assert load.percentiles == {50: 3.39, 75: 3.80, 90: 0.85, 99: 1200.0}
    assert (load.p50, load.p99) == (3.39, 1200.0)
    assert (load.non_2xx, load.socket_errors) == (210, 3)


def test_only_successes_count_towards_a_rate() -> None:
    load = wrk.parse(REPORT)
    assert load.ok_rate == pytest.approx(14_306.69 * (1 - 210 / 143_210))


def test_a_clean_report_has_no_failures() -> None:
    lines = [line for line in REPORT.splitlines() if "Non-2xx" not in line and "Socket" not in line]
    load = wrk.parse("\n".join(lines))
    assert (load.non_2xx, load.socket_errors) == (0, 0)
    assert load.ok_rate == load.rate


def test_anything_else_is_refused() -> None:
    with pytest.raises(ValueError, match="not a wrk report"):
        wrk.parse("unable to connect to 127.0.0.1:1 Connection refused")


def test_cpu_figures_are_per_second_and_per_request() -> None:
    load = wrk.Load(1000, 2.0, 500.0, {50: 1.0, 99: 2.0}, 0, 0, client_cpu=0.5, server_cpu=0.06)
    assert load.client_cores == pytest.approx(0.25)
    assert load.server_cores == pytest.approx(0.03)
    assert load.server_us == pytest.approx(60.0)


def test_options_become_arguments() -> None:
    assert wrk.Options(2, 50, 10).arguments() == ["-t2", "-c50", "-d10s", "--latency"]


def test_a_lua_script_carries_method_body_and_headers() -> None:
    body = '{"query": "{ concept(id: \\"café\\") { id } }"}\n'
    script = wrk.lua_request("POST", body, (("Content-Type", "application/json"),))
    assert script.splitlines() == [
        'wrk.method = "POST"',
        'wrk.body = "{\\"query\\": \\"{ concept(id: \\\\\\"café\\\\\\") { id } }\\"}\\n"',
        'wrk.headers["Content-Type"] = "application/json"',
    ]
