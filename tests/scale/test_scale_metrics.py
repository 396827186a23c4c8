"""/metrics in Prometheus text format and JSON logs with project and step ids."""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path
from typing import Any

from factories import make_campaign, make_settings, make_workspace
from fastapi.testclient import TestClient

from adloom.app import create_app
from adloom.observability import Family, JsonFormatter, histogram, log_context, render_families
from adloom.pipeline import service as pipeline
from adloom.pipeline.runtime import Runtime


def sample(body: str, name: str, **labels: str) -> float:
    for line in body.splitlines():
        if line.startswith("#"):
            continue
        metric, _, value = line.rpartition(" ")
        base, _, rest = metric.partition("{")
        got = dict(re.findall(r'(\w+)="([^"]*)"', rest))
        if base == name and all(got.get(k) == v for k, v in labels.items()):
            return float(value)
    raise AssertionError(f"no sample {name} {labels} in:\n{body}")


def test_metrics_after_a_completed_and_a_failed_project(tmp_path: Path) -> None:
    rt = Runtime(make_settings(tmp_path), migrate=True)
    try:
        ws = make_workspace(rt)
        cid = make_campaign(rt, ws)
        done = pipeline.generate(rt, workspace_id=ws, campaign_id=cid, kind="banner", options={}, autopilot=True)
        broken = pipeline.generate(rt, workspace_id=ws, campaign_id=cid, kind="banner", options={}, until="scenes_ready")
        rt.workdir(broken).mkdir(parents=True, exist_ok=True)
        (rt.workdir(broken) / "fail-render").write_text("")
        pipeline.advance(rt, workspace_id=ws, project_id=broken, autopilot=True)
        assert (rt.wait_for(done).status, rt.wait_for(broken).status) == ("completed", "failed")
        # /metrics answers loopback clients only (no ADLOOM_METRICS_TOKEN): scrape as one.
        with TestClient(create_app(runtime=rt, workers=False), client=("127.0.0.1", 50000)) as client:
            response = client.get("/metrics")
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain; version=0.0.4")
        body = response.text
        assert sample(body, "adloom_projects", status="completed") == 1
        assert sample(body, "adloom_projects", status="failed") == 1
        assert sample(body, "adloom_steps", step="render", status="succeeded") == 1
        assert sample(body, "adloom_steps", step="render", status="failed") == 1
        assert sample(body, "adloom_step_failures_total", step="render", code="render_failed") == 1
        assert sample(body, "adloom_step_duration_seconds_count", step="ideas") == 2
        assert sample(body, "adloom_step_duration_seconds_bucket", step="stitch", le="+Inf") == 1
        # banner set (5) + script (2) charged for the completed one; the failed render released its 5.
        assert sample(body, "adloom_credits_captured_total") == 2 + 5 + 2
        assert sample(body, "adloom_credits_released_total") == 5
        assert sample(body, "adloom_credits_held") == 0
        assert sample(body, "adloom_credits_available") == 250 - 9
        assert sample(body, "adloom_queue_depth") == 0
        assert "# TYPE adloom_step_duration_seconds histogram" in body
    finally:
        rt.close()


def test_histogram_buckets_are_cumulative() -> None:
    family = Family("d", "histogram", "x")
    histogram(family, [0.05, 0.5, 0.7, 3.0, 99.0], (0.1, 1.0, 10.0))
    assert render_families([family]).splitlines()[2:] == [
        'd_bucket{le="0.1"} 1', 'd_bucket{le="1"} 3', 'd_bucket{le="10"} 4', 'd_bucket{le="+Inf"} 5',
        "d_sum 103.25", "d_count 5",
    ]


def test_label_values_are_escaped() -> None:
    family = Family("x", "gauge", "h")
    family.add(1, code='a"b\\c\nd')
    assert render_families([family]).splitlines()[-1] == 'x{code="a\\"b\\\\c\\nd"} 1'


def test_json_logs_carry_project_and_step_ids() -> None:
    record = logging.LogRecord("adloom.pipeline", logging.WARNING, __file__, 1, "step %s failed", ("s1",), None)
    with log_context(project_id="p1", step_id="s1", step="render"):
        inside = json.loads(JsonFormatter().format(record))
    outside = json.loads(JsonFormatter().format(record))
    assert inside["msg"] == "step s1 failed" and inside["level"] == "warning"
    assert (inside["project_id"], inside["step_id"], inside["step"]) == ("p1", "s1", "render")
    assert "project_id" not in outside


def test_pipeline_logs_are_bound_to_the_step(tmp_path: Path, caplog: Any) -> None:
    rt = Runtime(make_settings(tmp_path), migrate=True)
    try:
        ws = make_workspace(rt)
        cid = make_campaign(rt, ws)
        formatter = JsonFormatter()
        lines: list[dict[str, Any]] = []

        class Capture(logging.Handler):
            def emit(self, record: logging.LogRecord) -> None:
                lines.append(json.loads(formatter.format(record)))

        handler = Capture(logging.INFO)
        logging.getLogger("adloom").addHandler(handler)
        logging.getLogger("adloom").setLevel(logging.INFO)
        try:
            pid = pipeline.generate(rt, workspace_id=ws, campaign_id=cid, kind="banner", options={})
        finally:
            logging.getLogger("adloom").removeHandler(handler)
        started = [line for line in lines if "started" in line["msg"]]
        assert started and all(line.get("project_id") == pid and line.get("step") == "ideas" for line in started)
    finally:
        rt.close()


def test_configure_logging_writes_one_json_line_per_record(capsys: Any) -> None:
    from adloom.observability import configure_logging

    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    try:
        logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(message)s", force=True)
        configure_logging("INFO", json_lines=True)
        with log_context(project_id="p9"):
            logging.getLogger("adloom.test").info("hello %s", "there")
        lines = capsys.readouterr().err.strip().splitlines()
        assert len(lines) == 1 and json.loads(lines[0])["msg"] == "hello there"
        assert json.loads(lines[0])["project_id"] == "p9"
    finally:
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])
