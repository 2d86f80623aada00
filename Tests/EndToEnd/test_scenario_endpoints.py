"""The mixed case (issue 13): one `steplocal test` run where some Task states are mocked and the others
call real services.

moto's server plays DynamoDB (the `moto_endpoint` fixture of test_real_endpoints.py, one per module on a
free loopback port). Each scenario file is written into tmp_path: a mocked Lambda Task, then a real
`dynamodb:putItem` and `dynamodb:getItem` against moto, named in the scenario's `endpoints:` section, on
the command line (`--endpoint`) or in the environment. What the workflow wrote is read back with boto3.
`steplocal run --endpoint` is checked the same way.
"""

from __future__ import annotations

import json
import os
import subprocess

import boto3
import pytest

from conftest import REGION, free_port, unique
from test_real_endpoints import MOTO_CREDENTIALS, moto_endpoint  # noqa: F401  (moto's server, a fixture)

# Enrich is mocked in every case; Put and Get are DynamoDB's, answered by whatever endpoint is configured.
SCENARIO = """\
name: Mixed
definition:
  StartAt: Enrich
  States:
    Enrich:
      Type: Task
      Resource: arn:aws:states:::lambda:invoke
      Parameters: { FunctionName: enrich, Payload.$: $ }
      ResultSelector: { name.$: $.Payload.name }
      ResultPath: $.customer
      Next: Put
    Put:
      Type: Task
      Resource: arn:aws:states:::dynamodb:putItem
      Parameters:
        TableName: TABLE
        Item: { id: { S.$: $.id }, name: { S.$: $.customer.name } }
        ConditionExpression: attribute_not_exists(id)
      ResultPath: null
      Catch: [{ ErrorEquals: [DynamoDB.ConditionalCheckFailedException], ResultPath: $.error, Next: AlreadyThere }]
      Next: Get
    Get:
      Type: Task
      Resource: arn:aws:states:::dynamodb:getItem
      Parameters: { TableName: TABLE, Key: { id: { S.$: $.id } } }
      ResultSelector: { name.$: $.Item.name.S }
      ResultPath: $.stored
      End: true
    AlreadyThere: { Type: Pass, End: true }
ENDPOINTS
cases:
  - name: a new customer is stored
    input: { id: NEW_ID }
    mocks:
      Enrich: { return: { StatusCode: 200, Payload: { name: Ada } } }
    expect:
      output: { id: NEW_ID, customer: { name: Ada }, stored: { name: Ada } }
      states: [Enrich, Put, Get]
      calls: { Enrich: 1, Put: 1, Get: 1 }
      called: { Put: [{ Item: { id: { S: NEW_ID } } }] }
"""

TAKEN_CASE = """\
  - name: a customer already stored is caught by its DynamoDB error name
    input: { id: TAKEN_ID }
    mocks:
      Enrich: { return: { StatusCode: 200, Payload: { name: Grace } } }
    expect:
      states: [Enrich, Put, AlreadyThere]
      outputContains: { id: TAKEN_ID, error: { Error: DynamoDB.ConditionalCheckFailedException } }
"""


@pytest.fixture(scope="module")
def dynamodb(moto_endpoint):  # noqa: F811  (the imported fixture)
    return boto3.client("dynamodb", endpoint_url=moto_endpoint, region_name=REGION, **MOTO_CREDENTIALS)


@pytest.fixture(scope="module")
def table(dynamodb):
    name = unique("steplocal-customers")
    dynamodb.create_table(TableName=name, KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                          AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}], BillingMode="PAY_PER_REQUEST")
    return name


def write_scenario(tmp_path, table, endpoint=None, taken_id=None):
    """The scenario file, its `endpoints:` naming `endpoint` (none when None); returns (path, new id)."""
    new_id = unique("customer")
    text = SCENARIO + (TAKEN_CASE if taken_id else "")
    endpoints = f"endpoints:\n  dynamodb: {endpoint}\n" if endpoint else ""
    text = text.replace("ENDPOINTS\n", endpoints).replace("TABLE", table).replace("NEW_ID", new_id)
    if taken_id:
        text = text.replace("TAKEN_ID", taken_id)
    path = tmp_path / "mixed.yaml"
    path.write_text(text)
    return path, new_id


def steplocal(server, *args, env=None):
    """Runs the binary with moto's credentials and no endpoint variables but those in `env`."""
    clean = {k: v for k, v in os.environ.items() if not (k.startswith("AWS_ENDPOINT_URL") or k.endswith("_ENDPOINT"))}
    clean.update(AWS_DEFAULT_REGION=REGION, **{k.upper(): v for k, v in MOTO_CREDENTIALS.items()}, **(env or {}))
    return subprocess.run([str(server.binary), *map(str, args)], capture_output=True, text=True, timeout=120, env=clean)


def stored_name(dynamodb, table, id_):
    item = dynamodb.get_item(TableName=table, Key={"id": {"S": id_}}).get("Item")
    return item and item["name"]["S"]


def test_mocks_and_real_dynamodb_in_one_run(server, moto_endpoint, dynamodb, table, tmp_path):  # noqa: F811
    dynamodb.put_item(TableName=table, Item={"id": {"S": "taken"}, "name": {"S": "Original"}})
    path, new_id = write_scenario(tmp_path, table, endpoint=moto_endpoint, taken_id="taken")
    proc = steplocal(server, "test", path, "--verbose")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.strip().splitlines()
    assert "✓ Mixed › a new customer is stored" in lines
    assert "✓ Mixed › a customer already stored is caught by its DynamoDB error name" in lines
    assert lines[-1] == "2 passed, 0 failed"
    # Really written by the workflow (the name came from the mocked Lambda), and the condition held.
    assert stored_name(dynamodb, table, new_id) == "Ada"
    assert stored_name(dynamodb, table, "taken") == "Original"


def test_without_an_endpoint_the_unmocked_task_fails_loudly_as_before(server, tmp_path):
    path, _ = write_scenario(tmp_path, "no-table")
    proc = steplocal(server, "test", path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "StepLocal has no answer for state 'Put'" in proc.stdout
    assert proc.stdout.strip().splitlines()[-1] == "0 passed, 1 failed"


@pytest.mark.parametrize("how", ["--endpoint", "AWS_ENDPOINT_URL_DYNAMODB", "DYNAMODB_ENDPOINT"])
def test_the_endpoint_from_the_command_line_or_the_environment(server, moto_endpoint, dynamodb, table, tmp_path, how):  # noqa: F811
    path, new_id = write_scenario(tmp_path, table)
    if how == "--endpoint":
        proc = steplocal(server, "test", "--endpoint", f"dynamodb={moto_endpoint}", path)
    else:
        proc = steplocal(server, "test", path, env={how: moto_endpoint})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "1 passed, 0 failed"
    assert stored_name(dynamodb, table, new_id) == "Ada"


def test_the_scenarios_endpoints_win_over_the_command_line(server, moto_endpoint, dynamodb, table, tmp_path):  # noqa: F811
    path, new_id = write_scenario(tmp_path, table, endpoint=moto_endpoint)
    nothing_listens = f"http://127.0.0.1:{free_port()}"
    proc = steplocal(server, "test", "--endpoint", f"dynamodb={nothing_listens}", path,
                     env={"AWS_ENDPOINT_URL": nothing_listens})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert stored_name(dynamodb, table, new_id) == "Ada"


def test_bad_endpoints_are_refused_with_file_and_line(server, tmp_path):
    path, _ = write_scenario(tmp_path, "t", endpoint="http://localhost:8000")
    path.write_text(path.read_text().replace("  dynamodb: http://localhost:8000", "  dynamo: http://localhost:8000"))
    proc = steplocal(server, "test", path)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    line = path.read_text().splitlines().index("  dynamo: http://localhost:8000") + 1
    assert f"{path}:{line}: /endpoints/dynamo: unknown service 'dynamo'" in proc.stderr
    flag = steplocal(server, "test", "--endpoint", "dynamodb", path)
    assert flag.returncode != 0 and "is not SERVICE=URL" in flag.stderr, flag.stderr


def test_steplocal_run_calls_the_endpoint_given_with_endpoint(server, moto_endpoint, dynamodb, table, tmp_path):  # noqa: F811
    definition = {
        "StartAt": "Put",
        "States": {
            "Put": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
                    "Parameters": {"TableName": table, "Item": {"id": {"S.$": "$.id"}, "name": {"S": "Linus"}}},
                    "ResultPath": None, "Next": "Get"},
            "Get": {"Type": "Task", "Resource": "arn:aws:states:::dynamodb:getItem",
                    "Parameters": {"TableName": table, "Key": {"id": {"S.$": "$.id"}}},
                    "ResultSelector": {"name.$": "$.Item.name.S"}, "ResultPath": "$.stored", "End": True},
        },
    }
    path = tmp_path / "put-get.asl.json"
    path.write_text(json.dumps(definition))
    id_ = unique("run")
    proc = steplocal(server, "run", path, "--input", json.dumps({"id": id_}), "--endpoint", f"dynamodb={moto_endpoint}")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert json.loads(proc.stdout) == {"id": id_, "stored": {"name": "Linus"}}
    assert stored_name(dynamodb, table, id_) == "Linus"
    # Without it the same run fails as an unmocked Task, as before.
    unmocked = steplocal(server, "run", path, "--input", json.dumps({"id": id_}))
    assert unmocked.returncode == 1 and "States.TaskFailed" in unmocked.stdout, unmocked.stdout + unmocked.stderr
