"""How the server keeps executions: boto3's paginator over ListExecutions while executions start
between pages (AWS's tokens survive inserts), and what DeleteStateMachine releases."""

import pytest
from botocore.exceptions import ClientError

from conftest import error_code, pass_definition, wait_for_status


def test_list_executions_paginator_survives_starts_between_pages(sfn, res):
    sm = res.machine(pass_definition())
    first = [res.start(sm, name=f"before-{i}") for i in range(7)]
    for arn in first:
        wait_for_status(sfn, arn)

    seen, later = [], []
    for page in sfn.get_paginator("list_executions").paginate(stateMachineArn=sm, PaginationConfig={"PageSize": 2}):
        seen += [e["name"] for e in page["executions"]]
        # Executions started meanwhile are newer than every page still to come: never on them.
        later.append(res.start(sm, name=f"during-{len(later)}"))
    assert seen == [f"before-{i}" for i in reversed(range(7))]

    everything = [e["name"] for e in sfn.list_executions(stateMachineArn=sm)["executions"]]
    assert everything == [f"during-{i}" for i in reversed(range(len(later)))] + seen


def test_foreign_page_token_is_invalid_token(sfn, res):
    sm, other = res.machine(pass_definition()), res.machine(pass_definition())
    for i in range(3):
        res.start(sm, name=f"e{i}")
    token = sfn.list_executions(stateMachineArn=sm, maxResults=1)["nextToken"]
    with pytest.raises(ClientError) as e:
        sfn.list_executions(stateMachineArn=other, nextToken=token)
    assert error_code(e) == "InvalidToken"


def test_delete_state_machine_forgets_its_closed_executions(sfn, res):
    sm = res.machine(pass_definition())
    arn = res.start(sm)
    wait_for_status(sfn, arn)
    sfn.delete_state_machine(stateMachineArn=sm)
    with pytest.raises(ClientError) as e:
        sfn.describe_execution(executionArn=arn)
    assert error_code(e) == "ExecutionDoesNotExist"
