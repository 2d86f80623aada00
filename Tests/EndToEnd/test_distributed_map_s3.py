"""`steplocal serve --s3-dir DIR`: Distributed Maps over real data. Objects are files (bucket B, key K
is DIR/B/K): a CSV dropped in a folder is read by ItemReader, batched by ItemBatcher, and the
ResultWriter's manifest and result files land back in the folder, laid out as on AWS."""

from __future__ import annotations

import json

import pytest

from conftest import make_client, unique, wait_for_status
from test_scenarios_mocks import ConfiguredServer

ORDERS = "orderId,quantity,unitPrice\no-1,2,12.5\no-2,1,30\no-3,4,7.25\n"


def batch_map(reader, batcher=None, writer=None, processor=None, catch=None):
    state = {
        "Type": "Map", "ItemReader": reader,
        "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "P",
                          "States": processor or {"P": {"Type": "Pass", "End": True}}},
        "End": True,
    }
    if batcher:
        state["ItemBatcher"] = batcher
    if writer:
        state["ResultWriter"] = writer
    if catch:
        state["Catch"] = catch
    return json.dumps({"StartAt": "M", "States": {"M": state}})


CSV_READER = {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"},
              "Parameters": {"Bucket.$": "$.bucket", "Key.$": "$.key"}}


@pytest.fixture(scope="module")
def s3(server, tmp_path_factory):
    """A server on an S3 folder with buckets `data` (the orders) and `results` (empty)."""
    root = tmp_path_factory.mktemp("s3")
    (root / "data" / "incoming").mkdir(parents=True)
    (root / "data" / "incoming" / "orders.csv").write_text(ORDERS)
    (root / "data" / "incoming" / "orders.jsonl").write_text('{"n":1}\n{"n":2}\n')
    (root / "results").mkdir()
    srv = ConfiguredServer(server.binary, tmp_path_factory.mktemp("s3log") / "steplocal.log", ["--s3-dir", str(root)])
    srv.start()
    yield root, make_client(srv.endpoint, inject_host_prefix=False)
    srv.stop()


def run(sfn, definition, payload):
    arn = sfn.create_state_machine(name=unique("s3map"), definition=definition,
                                   roleArn="arn:aws:iam::123456789012:role/r")["stateMachineArn"]
    ex = sfn.start_execution(stateMachineArn=arn, input=json.dumps(payload))["executionArn"]
    return ex, wait_for_status(sfn, ex)


def test_csv_rows_become_string_items(s3):
    _, sfn = s3
    _, desc = run(sfn, batch_map(CSV_READER), {"bucket": "data", "key": "incoming/orders.csv"})
    assert desc["status"] == "SUCCEEDED", desc
    assert json.loads(desc["output"]) == [
        {"orderId": "o-1", "quantity": "2", "unitPrice": "12.5"},
        {"orderId": "o-2", "quantity": "1", "unitPrice": "30"},
        {"orderId": "o-3", "quantity": "4", "unitPrice": "7.25"},
    ]


def test_batches_of_two_written_to_the_results_folder(s3):
    root, sfn = s3
    writer = {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "results", "Prefix": "priced"}}
    batcher = {"MaxItemsPerBatch": 2, "BatchInput": {"currency": "EUR"}}
    ex, desc = run(sfn, batch_map(CSV_READER, batcher=batcher, writer=writer), {"bucket": "data", "key": "incoming/orders.csv"})
    assert desc["status"] == "SUCCEEDED", desc
    output = json.loads(desc["output"])
    run_arn = output["MapRunArn"]
    run_id = run_arn.rsplit(":", 1)[1]
    assert output["ResultWriterDetails"] == {"Bucket": "results", "Key": f"priced/{run_id}/manifest.json"}

    folder = root / "results" / "priced" / run_id
    assert sorted(p.name for p in folder.iterdir()) == ["SUCCEEDED_0.json", "manifest.json"]
    manifest = json.loads((folder / "manifest.json").read_text())
    succeeded_file = folder / "SUCCEEDED_0.json"
    assert manifest == {
        "DestinationBucket": "results", "MapRunArn": run_arn,
        "ResultFiles": {"FAILED": [], "PENDING": [],
                        "SUCCEEDED": [{"Key": f"priced/{run_id}/SUCCEEDED_0.json", "Size": succeeded_file.stat().st_size}]},
    }
    records = json.loads(succeeded_file.read_text())
    assert [json.loads(r["Input"]) for r in records] == [
        {"BatchInput": {"currency": "EUR"}, "Items": [{"orderId": "o-1", "quantity": "2", "unitPrice": "12.5"},
                                                      {"orderId": "o-2", "quantity": "1", "unitPrice": "30"}]},
        {"BatchInput": {"currency": "EUR"}, "Items": [{"orderId": "o-3", "quantity": "4", "unitPrice": "7.25"}]},
    ]
    assert all(r["Status"] == "SUCCEEDED" and r["Output"] == r["Input"] for r in records)
    children = sfn.list_executions(mapRunArn=run_arn)["executions"]
    assert sorted(r["ExecutionArn"] for r in records) == sorted(c["executionArn"] for c in children)
    described = sfn.describe_map_run(mapRunArn=run_arn)
    # Items count the batches' items, executions the children (AWS's API reference).
    assert described["itemCounts"]["total"] == 3 and described["itemCounts"]["resultsWritten"] == 3
    assert described["itemCounts"]["succeeded"] == 3
    assert described["executionCounts"]["total"] == 2 and described["executionCounts"]["resultsWritten"] == 2
    listed = sfn.list_executions(mapRunArn=run_arn)["executions"]
    assert sorted(e["itemCount"] for e in listed) == [1, 2]
    types = [e["type"] for e in sfn.get_execution_history(executionArn=ex)["events"]]
    assert types == ["ExecutionStarted", "MapStateEntered", "MapStateStarted", "MapRunStarted", "MapRunSucceeded",
                     "MapStateSucceeded", "MapStateExited", "ExecutionSucceeded"]


def test_listing_and_json_lines(s3):
    _, sfn = s3
    listing = {"Resource": "arn:aws:states:::s3:listObjectsV2", "Parameters": {"Bucket": "data", "Prefix": "incoming/"}}
    _, desc = run(sfn, batch_map(listing), {})
    assert desc["status"] == "SUCCEEDED", desc
    items = json.loads(desc["output"])
    assert [i["Key"] for i in items] == ["incoming/orders.csv", "incoming/orders.jsonl"]
    assert items[0]["Size"] == len(ORDERS) and items[0]["StorageClass"] == "STANDARD"
    assert items[0]["Etag"].startswith('"') and isinstance(items[0]["LastModified"], int)

    jsonl = {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": {"InputType": "JSONL"},
             "Parameters": {"Bucket": "data", "Key": "incoming/orders.jsonl"}}
    _, desc = run(sfn, batch_map(jsonl), {})
    assert json.loads(desc["output"]) == [{"n": 1}, {"n": 2}]


def test_missing_object_fails_the_map_run(s3):
    _, sfn = s3
    ex, desc = run(sfn, batch_map(CSV_READER), {"bucket": "data", "key": "incoming/nothing.csv"})
    assert desc["status"] == "FAILED"
    assert desc["error"] == "States.ItemReaderFailed"
    assert desc["cause"] == "The specified key does not exist. (Service: S3, Status Code: 404, Error Code: NoSuchKey)"
    events = sfn.get_execution_history(executionArn=ex)["events"]
    assert [e["type"] for e in events][-4:] == ["MapRunStarted", "MapRunFailed", "MapStateFailed", "ExecutionFailed"]


def test_keys_cannot_leave_the_folder(s3):
    _, sfn = s3
    _, desc = run(sfn, batch_map(CSV_READER), {"bucket": "data", "key": "../results/x.csv"})
    assert desc["status"] == "FAILED" and desc["error"] == "States.ItemReaderFailed"
    assert "must stay inside its bucket's folder" in desc["cause"]


def test_without_s3_dir_the_reader_says_how_to_give_it_data(sfn, res):
    sm = res.machine(definition=batch_map(CSV_READER))
    desc = wait_for_status(sfn, res.start(sm, input_=json.dumps({"bucket": "data", "key": "k.csv"})))
    assert desc["status"] == "FAILED" and desc["error"] == "States.ItemReaderFailed"
    assert "--s3-dir" in desc["cause"]


@pytest.mark.parametrize("kind", ["csv", "json", "jsonl"])
def test_a_file_larger_than_one_read_streams_whole(s3, kind):
    """Files are read a mebibyte at a time: rows that straddle the pieces (quoted line breaks and
    escaped quotes included) come out whole, every one, in order, through the real server."""
    root, sfn = s3
    rows = 30_000
    notes = ['plain', 'with, comma', 'two\nlines', 'say "hi"', '[{"not": "json"}],']
    folder = root / "data" / "big"
    folder.mkdir(exist_ok=True)
    path = folder / f"rows.{kind}"
    records = [{"id": f"r-{i:05d}", "note": notes[i % len(notes)], "pad": "x" * (i % 97)} for i in range(rows)]
    if kind == "csv":
        def field(text):
            return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\n') else text
        path.write_text("id,note,pad\r\n" + "".join(f"{r['id']},{field(r['note'])},{r['pad']}\r\n" for r in records))
        config = {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW"}
    elif kind == "json":
        path.write_text(json.dumps(records, indent=1))
        config = {"InputType": "JSON"}
    else:
        path.write_text("".join(json.dumps(r) + "\n" for r in records))
        config = {"InputType": "JSONL"}
    assert path.stat().st_size > 2 * 1024 * 1024, "the file must span several pieces"
    reader = {"Resource": "arn:aws:states:::s3:getObject", "ReaderConfig": config,
              "Parameters": {"Bucket": "data", "Key": f"big/rows.{kind}"}}
    writer = {"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Bucket": "results", "Prefix": f"big-{kind}"}}
    processor = {"P": {"Type": "Pass", "Parameters": {"ids.$": "$.Items[*].id", "notes.$": "$.Items[*].note"}, "End": True}}
    _, desc = run(sfn, batch_map(reader, batcher={"MaxItemsPerBatch": 1000}, writer=writer, processor=processor), {})
    assert desc["status"] == "SUCCEEDED", desc
    run_arn = json.loads(desc["output"])["MapRunArn"]
    counts = sfn.describe_map_run(mapRunArn=run_arn)
    assert counts["itemCounts"]["total"] == rows and counts["itemCounts"]["succeeded"] == rows
    assert counts["executionCounts"]["total"] == rows // 1000
    run_id = run_arn.rsplit(":", 1)[1]
    succeeded = json.loads((root / "results" / f"big-{kind}" / run_id / "SUCCEEDED_0.json").read_text())
    outputs = sorted((json.loads(record["Output"]) for record in succeeded), key=lambda o: o["ids"][0])
    assert [i for o in outputs for i in o["ids"]] == [r["id"] for r in records]
    assert [n for o in outputs for n in o["notes"]] == [r["note"] for r in records]
