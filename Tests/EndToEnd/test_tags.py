"""TagResource, UntagResource, ListTagsForResource on state machines and activities."""

import pytest
from botocore.exceptions import ClientError

from conftest import ACCOUNT, REGION, error_code, unique


def tags_of(sfn, arn):
    return {t["key"]: t["value"] for t in sfn.list_tags_for_resource(resourceArn=arn)["tags"]}


def test_tag_state_machine(sfn, res):
    sm = res.machine(tags=[{"key": "team", "value": "core"}])
    assert tags_of(sfn, sm) == {"team": "core"}
    sfn.tag_resource(resourceArn=sm, tags=[{"key": "env", "value": "dev"}, {"key": "team", "value": "infra"}])
    assert tags_of(sfn, sm) == {"team": "infra", "env": "dev"}
    sfn.untag_resource(resourceArn=sm, tagKeys=["team", "not-there"])
    assert tags_of(sfn, sm) == {"env": "dev"}


def test_tag_activity(sfn, res):
    act = res.activity(tags=[{"key": "a", "value": "1"}])
    sfn.tag_resource(resourceArn=act, tags=[{"key": "b", "value": "2"}])
    assert tags_of(sfn, act) == {"a": "1", "b": "2"}
    sfn.untag_resource(resourceArn=act, tagKeys=["a"])
    assert tags_of(sfn, act) == {"b": "2"}


def test_tag_errors(sfn, sfn_raw):
    missing = f"arn:aws:states:{REGION}:{ACCOUNT}:stateMachine:{unique('missing')}"
    for call in (lambda: sfn.list_tags_for_resource(resourceArn=missing),
                 lambda: sfn.tag_resource(resourceArn=missing, tags=[{"key": "k", "value": "v"}]),
                 lambda: sfn.untag_resource(resourceArn=missing, tagKeys=["k"])):
        with pytest.raises(ClientError) as e:
            call()
        assert error_code(e) == "ResourceNotFound"
    with pytest.raises(ClientError) as e:
        sfn.list_tags_for_resource(resourceArn="not-an-arn")
    assert error_code(e) == "InvalidArn"
    with pytest.raises(ClientError) as e:
        sfn_raw.tag_resource(resourceArn=missing, tags=[{"key": "k" * 129, "value": "v"}])
    assert error_code(e) == "ValidationException"
