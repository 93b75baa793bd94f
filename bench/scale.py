"""Lists at scale: GET /projects and GET /goals with 10 against 10,000 items in the table.

moto answers a Query by walking every item of the table (it has no real index), so end to end
the emulator's cost grows with the table whatever the app does. The goal is therefore judged on
the app's own time per request: the whole request minus the time spent inside DynamoDB calls
(botocore before-call to after-call). The end-to-end figures and moto's bare Query are printed
beside it, with the items each request read, which is what DynamoDB itself would bill.
"""

from __future__ import annotations

import gc
import os
import re
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.dynamo_calls import Recorder, describe, install
from bench.harness import Row, SectionResult, interleave, section_main
from bench.inproc import (
    GOAL_BODY,
    PROJECT_BODY,
    call,
    create_tables,
    expect,
    lambda_environment,
    mint_access_token,
    start_jwks_server,
)
from bench.lambda_env import LAMBDA_ENV, LambdaContext, http_v2_event

BIG, SMALL = 10_000, 10
PAGE = 10
APP = Path(__file__).resolve().parent.parent / "app"


def _use_world(prefix: str) -> None:
    from app.core import aws
    from app.core.config import get_settings

    os.environ["TABLE_PREFIX"] = prefix
    get_settings.cache_clear()
    aws.reset_clients()


def _clone(prefix: str, logical: str, key: str, count: int, source_id: str) -> None:
    """Copy one stored item `count - 1` times with new ids and distinct createdAt."""
    import boto3

    from app.core.schemas import isoformat, utc_now

    client = boto3.client("dynamodb", region_name=LAMBDA_ENV["AWS_REGION"])
    name = f"{prefix}-{logical}"
    item = client.get_item(TableName=name, Key={key: {"S": source_id}})["Item"]
    base = utc_now().timestamp() - count
    batch: list[Any] = []
    for n in range(count - 1):
        moment = isoformat(datetime.fromtimestamp(base + n, UTC))
        copy = {**item, key: {"S": f"bench-{logical}-{n:05d}"}}
        copy["createdAt"] = {"S": moment}
        copy["updatedAt"] = {"S": moment}
        batch.append({"PutRequest": {"Item": copy}})
        if len(batch) == 25:
            client.batch_write_item(RequestItems={name: batch})
            batch = []
    if batch:
        client.batch_write_item(RequestItems={name: batch})


def _seed(prefix: str, count: int, token: str, handler: Any) -> dict[str, str]:
    _use_world(prefix)
    create_tables(prefix=prefix)
    project = expect(call(handler, "POST", "/projects", token=token, body=PROJECT_BODY), 201)
    goal = expect(call(handler, "POST", "/goals", token=token, body=GOAL_BODY), 201)
    _clone(prefix, "projects", "projectId", count, project["projectId"])
    _clone(prefix, "goals", "goalId", count, goal["goalId"])
    return {"project": project["projectId"], "goal": goal["goalId"]}


def _own_seconds(handler: Any, event: Any, recorder: Recorder, calls: int) -> tuple[float, float]:
    """Return (whole request, request minus DynamoDB time), mean seconds per call."""
    context = LambdaContext()
    recorder.reset()
    started = time.perf_counter()
    for _ in range(calls):
        response = handler(event, context)
    whole = time.perf_counter() - started
    if response["statusCode"] != 200:
        raise RuntimeError(f"{event['rawPath']} answered {response['statusCode']}")
    dynamo = recorder.dynamo_seconds()
    return whole / calls, (whole - dynamo) / calls


def run(result: SectionResult, quick: bool) -> None:
    """Measure both list routes in both worlds, then tour the routes counting DynamoDB calls."""
    from moto import mock_aws

    lambda_environment(start_jwks_server())
    recorder = install()
    pairs = 10
    calls = 5 if quick else 8
    with mock_aws():
        import boto3

        boto3.client("sqs", region_name=LAMBDA_ENV["AWS_REGION"]).create_queue(
            QueueName="planforge-prod-jobs"
        )
        # Pages carry a nextCursor, signed with this key.
        boto3.client("secretsmanager", region_name=LAMBDA_ENV["AWS_REGION"]).create_secret(
            Name=LAMBDA_ENV["CURSOR_SECRET_ARN"], SecretString="bench-cursor-key-0123456789abcdef"
        )
        from app.handler import handler

        token = mint_access_token()
        started = time.perf_counter()
        worlds = {
            "big": ("bench-big", _seed("bench-big", BIG, token, handler)),
            "small": ("bench-small", _seed("bench-small", SMALL, token, handler)),
        }
        # moto keeps the 20,000 items in this process's heap; the app's own heap would not hold
        # them, so keep them out of the garbage collector's sweeps (else GC pauses that scale
        # with the table would be charged to the app's time).
        gc.collect()
        gc.freeze()
        result.detail(
            f"seeded {BIG:,} projects and {BIG:,} goals (big table) and {SMALL} of each (small) "
            f"for one caller in {time.perf_counter() - started:.0f} s"
        )
        auth = {"authorization": f"Bearer {token}"}
        for route in ("/projects", "/goals"):
            event = http_v2_event("GET", route, headers=auth, query=f"limit={PAGE}")
            samples: dict[str, list[tuple[float, float]]] = {"big": [], "small": []}

            def sample(world: str, event: Any = event, samples: Any = samples) -> float:
                _use_world(worlds[world][0])
                handler(event, LambdaContext())  # the first call after a switch builds clients
                samples[world].append(_own_seconds(handler, event, recorder, calls))
                return float(samples[world][-1][1] * 1e6)

            own_big, own_small = interleave(
                lambda: sample("big"), lambda: sample("small"), pairs=pairs, warmup=1
            )
            result.add(
                Row(
                    section="scale",
                    name=f"GET {route}?limit={PAGE}: app time without DynamoDB, {BIG:,} items",
                    unit="µs",
                    values=own_big,
                    floor=own_small,
                    floor_name=f"same with {SMALL} items",
                    goal="ratio <= 1.2",
                    goal_max=1.2,
                )
            )
            whole_big = [s[0] * 1e3 for s in samples["big"][1:]]
            whole_small = [s[0] * 1e3 for s in samples["small"][1:]]
            result.add(
                Row(
                    section="scale",
                    name=f"GET {route}?limit={PAGE} end to end on moto, {BIG:,} items",
                    unit="ms",
                    values=whole_big,
                    floor=whole_small,
                    floor_name=f"same with {SMALL} items",
                )
            )
            for world in ("big", "small"):
                _use_world(worlds[world][0])
                recorder.reset()
                page = expect(handler(event, LambdaContext()), 200)
                result.detail(
                    f"GET {route}?limit={PAGE} ({world}): {describe(recorder.reset())}; "
                    f"{len(page['items'])} items, nextCursor "
                    f"{'set' if page.get('nextCursor') else 'null'}"
                )
        _bare_query(result, worlds, recorder)
        _route_tour(result, handler, token, worlds["big"], recorder)
    _static_scan_check(result)


def _bare_query(result: SectionResult, worlds: dict[str, Any], recorder: Recorder) -> None:
    """moto's own Query, the same one the app sends, straight from boto3."""
    import boto3
    from boto3.dynamodb.conditions import Key

    resource = boto3.resource("dynamodb", region_name=LAMBDA_ENV["AWS_REGION"])
    tables = {w: resource.Table(f"{worlds[w][0]}-projects") for w in worlds}
    seeded = tables["small"].get_item(Key={"projectId": worlds["small"][1]["project"]})
    owner = seeded["Item"]["ownerId"]

    def query(world: str) -> float:
        started = time.perf_counter()
        for _ in range(5):
            tables[world].query(
                IndexName="byOwner",
                KeyConditionExpression=Key("ownerId").eq(owner),
                Limit=PAGE,
                ScanIndexForward=False,
            )
        return (time.perf_counter() - started) / 5 * 1e3

    big, small = interleave(lambda: query("big"), lambda: query("small"), pairs=10)
    recorder.reset()
    result.add(
        Row(
            section="scale",
            name=f"moto alone: Query byOwner Limit {PAGE}, {BIG:,} items",
            unit="ms",
            values=big,
            floor=small,
            floor_name=f"same with {SMALL} items",
        )
    )


def _route_tour(
    result: SectionResult, handler: Any, token: str, world: Any, recorder: Recorder
) -> None:
    """Call each read route once on the big table and print the DynamoDB calls it made."""
    prefix, ids = world
    _use_world(prefix)
    auth = {"authorization": f"Bearer {token}"}
    admin = {"authorization": f"Bearer {mint_access_token(groups=['admin'])}"}
    routes = [
        ("/projects/{project}", "", auth),
        ("/projects", "limit=10", auth),
        ("/projects/{project}/requirements", "", auth),
        ("/goals/{goal}", "", auth),
        ("/goals", "limit=10", auth),
        ("/goals", "status=active&limit=10", auth),
        ("/goals", "category=fitness&limit=10", auth),
        ("/goals/summary", "", auth),
        ("/goals/{goal}/progress", "", auth),
        ("/assets", "", auth),
        ("/ai/jobs", "", auth),
        ("/waitlist", "", admin),
    ]
    scans = 0
    for template, query, headers in routes:
        path = template.format(**ids)
        recorder.reset()
        response = handler(
            http_v2_event("GET", path, headers=headers, query=query), LambdaContext()
        )
        made = recorder.reset()
        scans += sum(1 for c in made if c.operation == "Scan")
        label = f"GET {template}{'?' + query if query else ''}"
        result.detail(
            f"{label} -> {response['statusCode']}, {len(made)} DynamoDB call(s): {describe(made)}"
        )
    result.add(
        Row(
            section="scale",
            name="Scan calls made by the read routes above",
            unit="calls",
            values=[float(scans)],
            goal="0",
            goal_max=0,
        )
    )


def _static_scan_check(result: SectionResult) -> None:
    """No code under app/ (outside the local emulator) calls Scan at all."""
    pattern = re.compile(r"\.scan\(|[\"']Scan[\"']|paginate\([\"']scan")
    offenders = [
        f"{path.relative_to(APP.parent)}:{number}"
        for path in sorted(APP.rglob("*.py"))
        if "local" not in path.relative_to(APP).parts
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if pattern.search(line)
    ]
    result.detail(f"static check, Scan in app/ (excluding app/local): {offenders or 'none'}")


if __name__ == "__main__":
    section_main("scale", run)
