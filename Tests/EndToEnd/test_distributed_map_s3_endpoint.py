"""Distributed Maps over data in a real S3 endpoint (issue 14): `steplocal serve --endpoint s3=URL`
with moto's server as S3. ItemReader reads the CSV, JSON Lines and listings a user put there with
boto3, ResultWriter writes AWS's layout back, and every check reads S3 back with boto3."""

from __future__ import annotations

import json

import boto3
import pytest

from conftest import REGION, make_client
from test_distributed_map_s3 import CSV_READER, ORDERS, batch_map, run
from test_real_endpoints import MOTO_CREDENTIALS, Moto
from test_scenarios_mocks import ConfiguredServer


@pytest.fixture(scope="module")
def s3_world(server, tmp_path_factory):
    """moto as S3 with buckets `data` (orders, under a key with a space) and `results`, and a
    StepLocal whose only S3 is that endpoint."""
    moto = Moto()
    s3 = boto3.client("s3", endpoint_url=moto.url, region_name=REGION, **MOTO_CREDENTIALS)
    s3.create_bucket(Bucket="data")
    s3.create_bucket(Bucket="results")
    s3.put_object(Bucket="data", Key="incoming/orders.csv", Body=ORDERS.encode())
    s3.put_object(Bucket="data", Key="incoming/more orders.jsonl", Body=b'{"n":1}\n{"n":2}\n')
    srv = ConfiguredServer(server.binary, tmp_path_factory.mktemp("s3endpoint") / "steplocal.log",
                           ["--endpoint", f"s3={moto.url}"],
                           {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"})
    srv.start()
    yield s3, make_client(srv.endpoint, inject_host_prefix=False)
    srv.stop()
    moto.stop()


def test_csv_from_the_endpoint_batched_and_written_back(s3_world):
    s3, sfn = s3_world
    writer = {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "results", "Prefix": "priced"}}
    batcher = {"MaxItemsPerBatch": 2}
    _, desc = run(sfn, batch_map(CSV_READER, batcher=batcher, writer=writer), {"bucket": "data", "key": "incoming/orders.csv"})
    assert desc["status"] == "SUCCEEDED", desc
    output = json.loads(desc["output"])
    run_id = output["MapRunArn"].rsplit(":", 1)[1]
    assert output["ResultWriterDetails"] == {"Bucket": "results", "Key": f"priced/{run_id}/manifest.json"}
    keys = sorted(o["Key"] for o in s3.list_objects_v2(Bucket="results", Prefix=f"priced/{run_id}/")["Contents"])
    assert keys == [f"priced/{run_id}/SUCCEEDED_0.json", f"priced/{run_id}/manifest.json"]
    manifest = json.loads(s3.get_object(Bucket="results", Key=f"priced/{run_id}/manifest.json")["Body"].read())
    size = s3.head_object(Bucket="results", Key=f"priced/{run_id}/SUCCEEDED_0.json")["ContentLength"]
    assert manifest["ResultFiles"]["SUCCEEDED"] == [{"Key": f"priced/{run_id}/SUCCEEDED_0.json", "Size": size}]
    records = json.loads(s3.get_object(Bucket="results", Key=f"priced/{run_id}/SUCCEEDED_0.json")["Body"].read())
    assert [json.loads(r["Input"])["Items"] for r in records] == [
        [{"orderId": "o-1", "quantity": "2", "unitPrice": "12.5"}, {"orderId": "o-2", "quantity": "1", "unitPrice": "30"}],
        [{"orderId": "o-3", "quantity": "4", "unitPrice": "7.25"}],
    ]


def test_listing_and_a_key_with_a_space(s3_world):
    _, sfn = s3_world
    listing = {"Resource": "arn:aws:states:::s3:listObjectsV2", "Parameters": {"Bucket": "data", "Prefix": "incoming/"}}
    _, desc = run(sfn, batch_map(listing), {})
    assert desc["status"] == "SUCCEEDED", desc
    items = json.loads(desc["output"])
    assert [i["Key"] for i in items] == ["incoming/more orders.jsonl", "incoming/orders.csv"]
    assert items[1]["Size"] == len(ORDERS) and items[1]["StorageClass"] == "STANDARD"
    assert items[1]["Etag"].startswith('"') and isinstance(items[1]["LastModified"], int)

    jsonl = {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "JSONL"},
             "Parameters": {"Bucket": "data", "Key": "incoming/more orders.jsonl"}}
    _, desc = run(sfn, batch_map(jsonl), {})
    assert desc["status"] == "SUCCEEDED", desc
    assert json.loads(desc["output"]) == [{"n": 1}, {"n": 2}]


def test_missing_key_and_bucket_fail_with_s3s_errors(s3_world):
    _, sfn = s3_world
    ex, desc = run(sfn, batch_map(CSV_READER), {"bucket": "data", "key": "incoming/nothing.csv"})
    assert desc["status"] == "FAILED" and desc["error"] == "States.ItemReaderFailed"
    assert desc["cause"] == "The specified key does not exist. (Service: S3, Status Code: 404, Error Code: NoSuchKey)"
    types = [e["type"] for e in sfn.get_execution_history(executionArn=ex)["events"]]
    assert types[-4:] == ["MapRunStarted", "MapRunFailed", "MapStateFailed", "ExecutionFailed"]

    _, desc = run(sfn, batch_map(CSV_READER), {"bucket": "no-such-bucket", "key": "x.csv"})
    assert desc["status"] == "FAILED" and desc["error"] == "States.ItemReaderFailed"
    assert "Error Code: NoSuchBucket" in desc["cause"] and "Status Code: 404" in desc["cause"]


def test_an_object_over_8_mib_is_read_in_ranges(s3_world):
    """ItemReader reads an endpoint's object in ranged GETs of 8 MiB: moto answers each range, and
    every row comes out once, in order, rows cut between two ranges included."""
    s3, sfn = s3_world
    rows = 120_000
    lines = "".join(f"r-{i:06d},{'x' * (i % 113)},\"a, {i}\"\n" for i in range(rows))
    body = ("id,pad,note\n" + lines).encode()
    assert len(body) > 8 * 1024 * 1024, "the object must span more than one range"
    s3.put_object(Bucket="data", Key="big/rows.csv", Body=body)
    reader = {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"},
              "Parameters": {"Bucket": "data", "Key": "big/rows.csv"}}
    writer = {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "results", "Prefix": "big"}}
    processor = {"P": {"Type": "Pass", "Parameters": {"ids.$": "$.Items[*].id", "notes.$": "$.Items[*].note"}, "End": True}}
    _, desc = run(sfn, batch_map(reader, batcher={"MaxItemsPerBatch": 2000}, writer=writer, processor=processor), {})
    assert desc["status"] == "SUCCEEDED", desc
    run_arn = json.loads(desc["output"])["MapRunArn"]
    assert sfn.describe_map_run(mapRunArn=run_arn)["itemCounts"]["succeeded"] == rows
    run_id = run_arn.rsplit(":", 1)[1]
    records = json.loads(s3.get_object(Bucket="results", Key=f"big/{run_id}/SUCCEEDED_0.json")["Body"].read())
    outputs = sorted((json.loads(r["Output"]) for r in records), key=lambda o: o["ids"][0])
    assert [i for o in outputs for i in o["ids"]] == [f"r-{i:06d}" for i in range(rows)]
    assert [n for o in outputs for n in o["notes"]] == [f"a, {i}" for i in range(rows)]
