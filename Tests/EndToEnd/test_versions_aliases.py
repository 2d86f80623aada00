"""PublishStateMachineVersion, ListStateMachineVersions, DeleteStateMachineVersion, and the alias actions
(Create/Describe/Update/Delete/ListStateMachineAliases), incl. routing when starting through an alias."""

import datetime
import json

import pytest
from botocore.exceptions import ClientError

from conftest import error_code, pass_definition, unique, wait_for_status


def test_publish_list_describe_delete_versions(sfn, res):
    sm = res.machine(definition=pass_definition({"v": 1}))
    v1 = sfn.publish_state_machine_version(stateMachineArn=sm, description="one")
    assert v1["stateMachineVersionArn"] == sm + ":1"
    assert isinstance(v1["creationDate"], datetime.datetime)
    # no change since v1: publishing again returns v1 (idempotent per revision)
    assert sfn.publish_state_machine_version(stateMachineArn=sm)["stateMachineVersionArn"] == sm + ":1"

    sfn.update_state_machine(stateMachineArn=sm, definition=pass_definition({"v": 2}))
    v2 = sfn.publish_state_machine_version(stateMachineArn=sm, description="two")
    assert v2["stateMachineVersionArn"] == sm + ":2"

    versions = sfn.list_state_machine_versions(stateMachineArn=sm)["stateMachineVersions"]
    assert [v["stateMachineVersionArn"] for v in versions] == [sm + ":2", sm + ":1"]
    assert all(isinstance(v["creationDate"], datetime.datetime) for v in versions)
    page = sfn.list_state_machine_versions(stateMachineArn=sm, maxResults=1)
    assert [v["stateMachineVersionArn"] for v in page["stateMachineVersions"]] == [sm + ":2"]
    assert "nextToken" in page

    d1 = sfn.describe_state_machine(stateMachineArn=sm + ":1")
    assert json.loads(d1["definition"]) == json.loads(pass_definition({"v": 1}))
    assert d1["description"] == "one"

    exec_arn = sfn.start_execution(stateMachineArn=sm + ":1")["executionArn"]
    desc = wait_for_status(sfn, exec_arn)
    assert json.loads(desc["output"]) == {"v": 1}
    assert desc["stateMachineVersionArn"] == sm + ":1"

    sfn.delete_state_machine_version(stateMachineVersionArn=sm + ":1")
    versions = sfn.list_state_machine_versions(stateMachineArn=sm)["stateMachineVersions"]
    assert [v["stateMachineVersionArn"] for v in versions] == [sm + ":2"]
    with pytest.raises(ClientError) as e:
        sfn.describe_state_machine(stateMachineArn=sm + ":1")
    assert error_code(e) == "StateMachineDoesNotExist"
    # version numbers are never reused
    sfn.update_state_machine(stateMachineArn=sm, definition=pass_definition({"v": 3}))
    assert sfn.publish_state_machine_version(stateMachineArn=sm)["stateMachineVersionArn"] == sm + ":3"


def test_publish_errors(sfn, res):
    sm = res.machine()
    with pytest.raises(ClientError) as e:
        sfn.publish_state_machine_version(stateMachineArn=sm, revisionId="not-the-current-revision")
    assert error_code(e) == "ConflictException"
    with pytest.raises(ClientError) as e:
        sfn.publish_state_machine_version(stateMachineArn=sm[: sm.rindex(":") + 1] + unique("nope"))
    assert error_code(e) == "StateMachineDoesNotExist"
    with pytest.raises(ClientError) as e:
        sfn.delete_state_machine_version(stateMachineVersionArn="not-an-arn")
    assert error_code(e) == "InvalidArn"


def test_alias_lifecycle_and_routing(sfn, res):
    sm = res.machine(definition=pass_definition({"v": 1}))
    v1 = sfn.publish_state_machine_version(stateMachineArn=sm)["stateMachineVersionArn"]
    sfn.update_state_machine(stateMachineArn=sm, definition=pass_definition({"v": 2}))
    v2 = sfn.publish_state_machine_version(stateMachineArn=sm)["stateMachineVersionArn"]

    created = sfn.create_state_machine_alias(
        name="live", description="prod", routingConfiguration=[{"stateMachineVersionArn": v1, "weight": 100}]
    )
    alias = created["stateMachineAliasArn"]
    assert alias == sm + ":live"
    assert isinstance(created["creationDate"], datetime.datetime)

    desc = sfn.describe_state_machine_alias(stateMachineAliasArn=alias)
    assert desc["name"] == "live"
    assert desc["description"] == "prod"
    assert desc["routingConfiguration"] == [{"stateMachineVersionArn": v1, "weight": 100}]
    assert desc["stateMachineAliasArn"] == alias

    listed = sfn.list_state_machine_aliases(stateMachineArn=sm)["stateMachineAliases"]
    assert [a["stateMachineAliasArn"] for a in listed] == [alias]

    ex = sfn.start_execution(stateMachineArn=alias)["executionArn"]
    d = wait_for_status(sfn, ex)
    assert d["stateMachineAliasArn"] == alias
    assert d["stateMachineVersionArn"] == v1
    assert json.loads(d["output"]) == {"v": 1}

    # a version an alias points at cannot be deleted
    with pytest.raises(ClientError) as e:
        sfn.delete_state_machine_version(stateMachineVersionArn=v1)
    assert error_code(e) == "ConflictException"

    upd = sfn.update_state_machine_alias(
        stateMachineAliasArn=alias,
        routingConfiguration=[{"stateMachineVersionArn": v1, "weight": 50}, {"stateMachineVersionArn": v2, "weight": 50}],
    )
    assert isinstance(upd["updateDate"], datetime.datetime)
    versions_hit = set()
    for _ in range(40):  # 50/50 routing: both versions show up (all 40 on one side: p = 2^-39)
        arn = sfn.start_execution(stateMachineArn=alias)["executionArn"]
        versions_hit.add(sfn.describe_execution(executionArn=arn)["stateMachineVersionArn"])
    assert versions_hit == {v1, v2}

    sfn.delete_state_machine_alias(stateMachineAliasArn=alias)
    with pytest.raises(ClientError) as e:
        sfn.describe_state_machine_alias(stateMachineAliasArn=alias)
    assert error_code(e) == "ResourceNotFound"
    sfn.delete_state_machine_version(stateMachineVersionArn=v1)


def test_alias_errors(sfn, sfn_raw, res):
    sm = res.machine()
    v1 = sfn.publish_state_machine_version(stateMachineArn=sm)["stateMachineVersionArn"]
    with pytest.raises(ClientError) as e:
        sfn.create_state_machine_alias(name="a1", routingConfiguration=[{"stateMachineVersionArn": sm + ":99", "weight": 100}])
    assert error_code(e) == "ResourceNotFound"
    with pytest.raises(ClientError) as e:
        sfn.describe_state_machine_alias(stateMachineAliasArn=sm + ":" + unique("missing"))
    assert error_code(e) == "ResourceNotFound"
    with pytest.raises(ClientError) as e:
        sfn.update_state_machine_alias(stateMachineAliasArn=sm + ":" + unique("missing"), description="x")
    assert error_code(e) == "ResourceNotFound"
    with pytest.raises(ClientError) as e:
        sfn.delete_state_machine_alias(stateMachineAliasArn="nope")
    assert error_code(e) == "InvalidArn"
    # weight is 0..100 in the service model
    with pytest.raises(ClientError) as e:
        sfn_raw.create_state_machine_alias(name="a2", routingConfiguration=[{"stateMachineVersionArn": v1, "weight": 101}])
    assert error_code(e) == "ValidationException"
