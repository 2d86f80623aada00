"""CreateStateMachine, DescribeStateMachine, UpdateStateMachine, DeleteStateMachine, ListStateMachines."""

import datetime
import json
import time

import pytest
from botocore.exceptions import ClientError

from conftest import ACCOUNT, REGION, ROLE_ARN, error_code, http_status, pass_definition, unique


def test_create_describe_roundtrip(sfn, res):
    name = unique("create")
    definition = pass_definition({"x": 1})
    resp = sfn.create_state_machine(name=name, definition=definition, roleArn=ROLE_ARN)
    res.machines.append(resp["stateMachineArn"])
    assert resp["stateMachineArn"] == f"arn:aws:states:{REGION}:{ACCOUNT}:stateMachine:{name}"
    assert isinstance(resp["creationDate"], datetime.datetime)
    assert "stateMachineVersionArn" not in resp

    desc = sfn.describe_state_machine(stateMachineArn=resp["stateMachineArn"])
    assert desc["stateMachineArn"] == resp["stateMachineArn"]
    assert desc["name"] == name
    assert desc["status"] == "ACTIVE"
    assert desc["type"] == "STANDARD"
    assert desc["roleArn"] == ROLE_ARN
    assert json.loads(desc["definition"]) == json.loads(definition)
    assert isinstance(desc["creationDate"], datetime.datetime)
    assert desc["loggingConfiguration"]["level"] == "OFF"


def test_create_express(sfn, res):
    arn = res.machine(type_="EXPRESS")
    assert sfn.describe_state_machine(stateMachineArn=arn)["type"] == "EXPRESS"


def test_create_is_idempotent_for_identical_request(sfn, res):
    name = unique("idem")
    first = sfn.create_state_machine(name=name, definition=pass_definition(), roleArn=ROLE_ARN)
    res.machines.append(first["stateMachineArn"])
    second = sfn.create_state_machine(name=name, definition=pass_definition(), roleArn=ROLE_ARN)
    assert second["stateMachineArn"] == first["stateMachineArn"]
    assert second["creationDate"] == first["creationDate"]


def test_create_same_name_different_definition_is_already_exists(sfn, res):
    name = unique("dup")
    res.machine(name=name)
    with pytest.raises(ClientError) as e:
        sfn.create_state_machine(name=name, definition=pass_definition({"other": True}), roleArn=ROLE_ARN)
    assert error_code(e) == "StateMachineAlreadyExists"
    assert http_status(e) == 400


def test_create_with_publish_returns_version(sfn, res):
    name = unique("pub")
    resp = sfn.create_state_machine(name=name, definition=pass_definition(), roleArn=ROLE_ARN, publish=True,
                                    versionDescription="first")
    res.machines.append(resp["stateMachineArn"])
    assert resp["stateMachineVersionArn"] == resp["stateMachineArn"] + ":1"


@pytest.mark.parametrize("definition", ["not json", "{}", json.dumps({"StartAt": "Missing", "States": {"A": {"Type": "Pass", "End": True}}})])
def test_create_invalid_definition(sfn, definition):
    with pytest.raises(ClientError) as e:
        sfn.create_state_machine(name=unique("bad"), definition=definition, roleArn=ROLE_ARN)
    assert error_code(e) == "InvalidDefinition"
    assert http_status(e) == 400
    assert e.value.response["Error"]["Message"].startswith("Invalid State Machine Definition: ")


@pytest.mark.parametrize("name", ["has space", "brackets<>", "star*", "a/b", "ctl\u0001"])
def test_create_invalid_name(sfn, name):
    with pytest.raises(ClientError) as e:
        sfn.create_state_machine(name=name, definition=pass_definition(), roleArn=ROLE_ARN)
    assert error_code(e) == "InvalidName"


def test_create_invalid_role_arn(sfn):
    with pytest.raises(ClientError) as e:
        sfn.create_state_machine(name=unique("role"), definition=pass_definition(), roleArn="not-an-arn")
    assert error_code(e) == "InvalidArn"


def test_create_missing_required_member_is_validation_exception(sfn_raw):
    with pytest.raises(ClientError) as e:
        sfn_raw.create_state_machine(definition=pass_definition(), roleArn=ROLE_ARN)
    assert error_code(e) == "ValidationException"
    assert http_status(e) == 400
    assert "1 validation error detected" in e.value.response["Error"]["Message"]
    assert "'name'" in e.value.response["Error"]["Message"]


def test_create_too_long_name_is_validation_exception(sfn_raw):
    # name: min 1, max 80 in the service model; length constraints are checked before business rules.
    with pytest.raises(ClientError) as e:
        sfn_raw.create_state_machine(name="x" * 81, definition=pass_definition(), roleArn=ROLE_ARN)
    assert error_code(e) == "ValidationException"
    assert "Member must have length less than or equal to 80" in e.value.response["Error"]["Message"]


def test_create_bad_enum_is_validation_exception(sfn_raw):
    with pytest.raises(ClientError) as e:
        sfn_raw.create_state_machine(name=unique("enum"), definition=pass_definition(), roleArn=ROLE_ARN, type="LOUD")
    assert error_code(e) == "ValidationException"
    assert "Member must satisfy enum value set" in e.value.response["Error"]["Message"]


def test_describe_missing_and_invalid_arn(sfn):
    with pytest.raises(ClientError) as e:
        sfn.describe_state_machine(stateMachineArn=f"arn:aws:states:{REGION}:{ACCOUNT}:stateMachine:{unique('nope')}")
    assert error_code(e) == "StateMachineDoesNotExist"
    with pytest.raises(ClientError) as e:
        sfn.describe_state_machine(stateMachineArn="not-an-arn")
    assert error_code(e) == "InvalidArn"


def test_update_definition_and_publish(sfn, res):
    arn = res.machine()
    before = sfn.describe_state_machine(stateMachineArn=arn)
    new_def = pass_definition({"v": 2})
    upd = sfn.update_state_machine(stateMachineArn=arn, definition=new_def, publish=True, versionDescription="v2")
    assert isinstance(upd["updateDate"], datetime.datetime)
    assert upd["stateMachineVersionArn"] == arn + ":1"
    assert "revisionId" in upd
    after = sfn.describe_state_machine(stateMachineArn=arn)
    assert json.loads(after["definition"]) == json.loads(new_def)
    assert after["revisionId"] == upd["revisionId"]
    assert after.get("revisionId") != before.get("revisionId")


def test_update_without_changes_is_missing_required_parameter(sfn, res):
    arn = res.machine()
    with pytest.raises(ClientError) as e:
        sfn.update_state_machine(stateMachineArn=arn)
    assert error_code(e) == "MissingRequiredParameter"


def test_update_missing_machine_and_bad_definition(sfn, res):
    with pytest.raises(ClientError) as e:
        sfn.update_state_machine(stateMachineArn=f"arn:aws:states:{REGION}:{ACCOUNT}:stateMachine:{unique('nope')}",
                                 definition=pass_definition())
    assert error_code(e) == "StateMachineDoesNotExist"
    arn = res.machine()
    with pytest.raises(ClientError) as e:
        sfn.update_state_machine(stateMachineArn=arn, definition="{")
    assert error_code(e) == "InvalidDefinition"


def test_delete(sfn):
    arn = sfn.create_state_machine(name=unique("del"), definition=pass_definition(), roleArn=ROLE_ARN)["stateMachineArn"]
    assert sfn.delete_state_machine(stateMachineArn=arn)["ResponseMetadata"]["HTTPStatusCode"] == 200
    # AWS may briefly report DELETING before the machine disappears.
    try:
        assert sfn.describe_state_machine(stateMachineArn=arn)["status"] == "DELETING"
    except ClientError as err:
        assert err.response["Error"]["Code"] == "StateMachineDoesNotExist"
    # DeleteStateMachine declares no StateMachineDoesNotExist: deleting again succeeds.
    assert sfn.delete_state_machine(stateMachineArn=arn)["ResponseMetadata"]["HTTPStatusCode"] == 200
    with pytest.raises(ClientError) as e:
        sfn.delete_state_machine(stateMachineArn="bogus")
    assert error_code(e) == "InvalidArn"


def test_delete_while_an_execution_runs_is_deleting_until_its_next_transition(sfn, res):
    """AWS: DELETING until the executions complete; "on the next state transition, the state
    machine's executions are terminated"; meanwhile starts are StateMachineDeleting."""
    act = res.activity()
    sm = res.machine(json.dumps({"StartAt": "Work", "States": {
        "Work": {"Type": "Task", "Resource": act, "Next": "After"},
        "After": {"Type": "Pass", "End": True}}}))
    execution = res.start(sm)
    token = sfn.get_activity_task(activityArn=act, workerName="worker")["taskToken"]
    sfn.delete_state_machine(stateMachineArn=sm)
    assert sfn.describe_state_machine(stateMachineArn=sm)["status"] == "DELETING"
    assert sfn.describe_execution(executionArn=execution)["status"] == "RUNNING"
    with pytest.raises(ClientError) as e:
        sfn.start_execution(stateMachineArn=sm)
    assert (error_code(e), http_status(e)) == ("StateMachineDeleting", 400)

    sfn.send_task_success(taskToken=token, output="{}")
    # The answer's transition ends the execution; the machine and its executions then go.
    deadline = time.monotonic() + 10
    while True:
        try:
            sfn.describe_state_machine(stateMachineArn=sm)
        except ClientError as err:
            assert err.response["Error"]["Code"] == "StateMachineDoesNotExist"
            break
        assert time.monotonic() < deadline, "the machine stayed DELETING"
        time.sleep(0.02)
    with pytest.raises(ClientError) as e:
        sfn.describe_execution(executionArn=execution)
    assert error_code(e) == "ExecutionDoesNotExist"


def test_list_and_paginate(sfn, res):
    arns = {res.machine(name=unique("list")) for _ in range(3)}
    listed = sfn.list_state_machines()["stateMachines"]
    ours = [m for m in listed if m["stateMachineArn"] in arns]
    assert len(ours) == 3
    for m in ours:
        assert set(m) == {"stateMachineArn", "name", "type", "creationDate"}
        assert m["type"] == "STANDARD"

    seen, token, pages = [], None, 0
    while True:
        kwargs = {"maxResults": 1}
        if token:
            kwargs["nextToken"] = token
        page = sfn.list_state_machines(**kwargs)
        assert len(page["stateMachines"]) <= 1
        seen += [m["stateMachineArn"] for m in page["stateMachines"]]
        pages += 1
        token = page.get("nextToken")
        if not token or pages > 1000:
            break
    assert arns <= set(seen)
    assert len(seen) == len(set(seen))

    paginated = [m["stateMachineArn"] for p in sfn.get_paginator("list_state_machines").paginate(PaginationConfig={"PageSize": 2}) for m in p["stateMachines"]]
    assert arns <= set(paginated)


def test_list_bad_next_token(sfn):
    with pytest.raises(ClientError) as e:
        sfn.list_state_machines(nextToken="garbage-token-that-was-never-issued")
    assert error_code(e) == "InvalidToken"
