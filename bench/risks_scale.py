"""Risk register at scale, and the DynamoDB calls of every templates and risks route.

    .venv/bin/python -m bench.risks_scale OUT.json [--quick]

One project holds 10 or 10,000 risks (one table world each, switched between samples). The big
world spreads its risks over every score, status and category; the small world's ten all match
every filter measured, so both worlds answer every list with a full page of ten.
`GET /projects/{id}/risks?limit=10`, unfiltered and filtered, is judged on the app's own time:
the request minus the time inside DynamoDB calls (moto walks a whole table for every Query,
DynamoDB reads only the index partition), as in bench/scale.py. The garbage collector is paused
while a batch is timed and run between batches: otherwise the objects moto makes walking 10,000
items would be collected during, and charged to, the app's share. Then every templates and risks
route runs once and its DynamoDB calls are listed.
"""

from __future__ import annotations

import gc
import json
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from bench.dynamo_calls import Recorder, describe, install
from bench.harness import Row, SectionResult, interleave, section_main
from bench.inproc import (
    PROJECT_BODY,
    call,
    create_tables,
    expect,
    lambda_environment,
    mint_access_token,
    start_jwks_server,
)
from bench.lambda_env import LAMBDA_ENV, LambdaContext, http_v2_event
from bench.scale import _use_world

BIG, SMALL = 10_000, 10
PAGE = 10
LISTS = ("", "status=open&minScore=10", "category=security&status=open")
_CATEGORIES = ("technical", "schedule", "budget", "security")
_STATUSES = ("open", "mitigating", "accepted", "closed")


def _seed_risks(prefix: str, project_id: str, owner_id: str, count: int) -> None:
    """Write `count` risks straight into the world's table, in batches of 25.

    A big world spreads them over scores, statuses and categories; a small one makes every risk
    open, a security risk and scored 10 or more, so each measured list is a full page there too.
    """
    small = count <= SMALL
    import boto3

    from app.core.dynamo import to_dynamo
    from app.risks.repository import RiskRecord, _store

    client = boto3.client("dynamodb", region_name=LAMBDA_ENV["AWS_REGION"])
    serialise = boto3.dynamodb.types.TypeSerializer().serialize
    base = datetime.now(UTC).timestamp() - count
    batch: list[Any] = []
    for n in range(count):
        moment = datetime.fromtimestamp(base + n, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        record = RiskRecord(
            project_id=project_id,
            risk_id=str(uuid.uuid4()),
            owner_id=owner_id,
            title=f"Risk {n}",
            category="security" if small else _CATEGORIES[n % 4],  # type: ignore[arg-type]
            likelihood=n % 4 + 2 if small else n % 5 + 1,
            impact=5 if small else n // 5 % 5 + 1,
            status="open" if small else _STATUSES[n // 25 % 4],  # type: ignore[arg-type]
            source="manual",
            version=1,
            created_at=moment,
            updated_at=moment,
            description="Seeded for the list benchmark.",
        )
        item = {k: serialise(v) for k, v in to_dynamo(_store.to_item(record)).items()}
        batch.append({"PutRequest": {"Item": item}})
        if len(batch) == 25:
            client.batch_write_item(RequestItems={f"{prefix}-risks": batch})
            batch = []
    if batch:
        client.batch_write_item(RequestItems={f"{prefix}-risks": batch})


def _world(prefix: str, count: int, token: str, sub: str, handler: Any) -> str:
    _use_world(prefix)
    create_tables(prefix=prefix)
    project = expect(call(handler, "POST", "/projects", token=token, body=PROJECT_BODY), 201)
    _seed_risks(prefix, project["projectId"], sub, count)
    return str(project["projectId"])


def _own_seconds(handler: Any, event: Any, recorder: Recorder, calls: int) -> tuple[float, float]:
    """Return (whole request, request minus DynamoDB time), mean seconds per call."""
    context = LambdaContext()
    gc.collect()
    recorder.reset()
    gc.disable()
    try:
        started = time.perf_counter()
        for _ in range(calls):
            response = handler(event, context)
        whole = time.perf_counter() - started
    finally:
        gc.enable()
    if response["statusCode"] != 200:
        raise RuntimeError(f"{event['rawPath']} answered {response['statusCode']}")
    return whole / calls, (whole - recorder.dynamo_seconds()) / calls


def _measure_lists(
    result: SectionResult,
    handler: Any,
    token: str,
    worlds: dict[str, tuple[str, str]],
    recorder: Recorder,
    quick: bool,
) -> None:
    """Time each list in both worlds, interleaved; print the calls and items of each."""
    auth = {"authorization": f"Bearer {token}"}
    calls, pairs = (3, 6) if quick else (5, 10)
    for query in LISTS:
        events = {
            world: http_v2_event(
                "GET",
                f"/projects/{project_id}/risks",
                headers=auth,
                query=f"limit={PAGE}" + (f"&{query}" if query else ""),
            )
            for world, (_, project_id) in worlds.items()
        }
        samples: dict[str, list[tuple[float, float]]] = {"big": [], "small": []}

        def sample(world: str, events: Any = events, samples: Any = samples) -> float:
            _use_world(worlds[world][0])
            handler(events[world], LambdaContext())  # the first call after a switch builds clients
            samples[world].append(_own_seconds(handler, events[world], recorder, calls))
            return float(samples[world][-1][1] * 1e6)

        own_big, own_small = interleave(
            lambda: sample("big"), lambda: sample("small"), pairs=pairs, warmup=1
        )
        label = f"GET /projects/{{id}}/risks?limit={PAGE}" + (f"&{query}" if query else "")
        result.add(
            Row(
                section="risks_scale",
                name=f"{label}: app time without DynamoDB, {BIG:,} risks",
                unit="µs",
                values=own_big,
                floor=own_small,
                floor_name=f"same with {SMALL} risks",
                goal="ratio <= 1.2",
                goal_max=1.2,
            )
        )
        result.add(
            Row(
                section="risks_scale",
                name=f"{label} end to end on moto, {BIG:,} risks",
                unit="ms",
                values=[s[0] * 1e3 for s in samples["big"][1:]],
                floor=[s[0] * 1e3 for s in samples["small"][1:]],
                floor_name=f"same with {SMALL} risks",
            )
        )
        for world in ("big", "small"):
            _use_world(worlds[world][0])
            recorder.reset()
            page = expect(handler(events[world], LambdaContext()), 200)
            result.detail(
                f"{label} ({world}): {describe(recorder.reset())}; {len(page['items'])} items, "
                f"scores {[item['score'] for item in page['items']]}"
            )


def _route_tour(
    result: SectionResult, handler: Any, token: str, prefix: str, recorder: Recorder
) -> None:
    """Call every templates and risks route once and list the DynamoDB calls each made."""
    _use_world(prefix)
    builtin = "builtin-web-mobile-product"

    def run(
        label: str,
        method: str,
        path: str,
        body: Any = None,
        status: int = 200,
        query: str = "",
        key: str | None = None,
    ) -> dict[str, Any]:
        headers = {"authorization": f"Bearer {token}"}
        if key:
            headers["idempotency-key"] = key
        if body is not None:
            headers["content-type"] = "application/json"
        payload = None if body is None else json.dumps(body)
        event = http_v2_event(method, path, headers=headers, query=query, body=payload)
        recorder.reset()
        response = handler(event, LambdaContext())
        made = recorder.reset()
        result.detail(f"{label} -> {response['statusCode']}, {len(made)} call(s): {describe(made)}")
        return expect(response, status)

    key = str(uuid.uuid4())
    template = run("POST /templates", "POST", "/templates", {"name": "T"}, 201)
    run("POST /templates (Idempotency-Key)", "POST", "/templates", {"name": "K"}, 201, key=key)
    run("POST /templates (replay)", "POST", "/templates", {"name": "K"}, 201, key=key)
    one = f"/templates/{template['templateId']}"
    run("GET /templates (scope=all)", "GET", "/templates")
    run("GET /templates?scope=builtin", "GET", "/templates", query="scope=builtin")
    run("GET /templates?scope=mine", "GET", "/templates", query="scope=mine")
    run("GET /templates?discipline=qa", "GET", "/templates", query="discipline=qa")
    run("GET /templates/{builtin}", "GET", f"/templates/{builtin}")
    run("GET /templates/{id}", "GET", one)
    run("PATCH /templates/{id}", "PATCH", one, {"version": 1, "name": "U"})
    run(
        "PATCH /templates/{builtin}",
        "PATCH",
        f"/templates/{builtin}",
        {"version": 1, "name": "U"},
        403,
    )
    run("POST /templates/generate", "POST", "/templates/generate", {"description": "Bakery"}, 202)
    project = run(
        "POST /projects (templateId)",
        "POST",
        "/projects",
        {"name": "P", "templateId": builtin},
        201,
    )
    risks = f"/projects/{project['projectId']}/risks"
    body = {"title": "R", "category": "technical", "likelihood": 2, "impact": 3}
    risk = run("POST /projects/{id}/risks", "POST", risks, body, 201)
    phase = project["phases"][0]["phaseId"]
    run(
        "POST /projects/{id}/risks (phaseId)",
        "POST",
        risks,
        {**body, "title": "Q", "phaseId": phase},
        201,
    )
    run("POST /projects/{id}/risks (Idempotency-Key)", "POST", risks, body, 201, key=key)
    run("GET /projects/{id}/risks", "GET", risks)
    run("GET /projects/{id}/risks?status&category&minScore", "GET", risks,
        query="status=open&category=technical&minScore=2")  # fmt: skip
    path = f"{risks}/{risk['riskId']}"
    run("GET /projects/{id}/risks/{id}", "GET", path)
    run("PATCH /projects/{id}/risks/{id}", "PATCH", path, {"version": 1, "impact": 5})
    run("POST /projects/{id}/risks/assess", "POST", f"{risks}/assess", {}, 202)
    run("DELETE /projects/{id}/risks/{id}", "DELETE", path, None, 204)
    run("DELETE /templates/{id}", "DELETE", one, None, 204)


def run(result: SectionResult, quick: bool) -> None:
    """Measure the risk lists in both worlds, then tour the new routes counting DynamoDB calls."""
    from moto import mock_aws

    lambda_environment(start_jwks_server())
    recorder = install()
    with mock_aws():
        import boto3

        boto3.client("sqs", region_name=LAMBDA_ENV["AWS_REGION"]).create_queue(
            QueueName="planforge-prod-jobs"
        )
        from app.handler import handler

        sub = str(uuid.uuid4())
        token = mint_access_token(sub=sub)
        started = time.perf_counter()
        worlds = {
            "big": ("bench-risks-big", _world("bench-risks-big", BIG, token, sub, handler)),
            "small": ("bench-risks-small", _world("bench-risks-small", SMALL, token, sub, handler)),
        }
        gc.collect()
        gc.freeze()  # moto's items are not the app's heap: keep them out of GC pauses
        result.detail(
            f"seeded {BIG:,} risks (big table) and {SMALL} (small) in one project of one caller "
            f"in {time.perf_counter() - started:.0f} s"
        )
        _measure_lists(result, handler, token, worlds, recorder, quick)
        _route_tour(result, handler, token, worlds["small"][0], recorder)


if __name__ == "__main__":
    section_main("risks_scale", run)
