"""ValidateStateMachineDefinition and TestState."""

import json

import pytest
from botocore.exceptions import ClientError

from conftest import ROLE_ARN, error_code, pass_definition


def test_validate_ok(sfn):
    out = sfn.validate_state_machine_definition(definition=pass_definition(), type="STANDARD")
    assert out["result"] == "OK"
    assert out["diagnostics"] == []
    assert out["truncated"] is False


def test_validate_missing_start_at(sfn):
    # recorded from AWS (shared/conformance validation.jsonl)
    out = sfn.validate_state_machine_definition(
        definition=json.dumps({"States": {"StartState": {"Type": "Pass", "End": True}}}))
    assert out["result"] == "FAIL"
    assert out["diagnostics"] == [{"severity": "ERROR", "code": "SCHEMA_VALIDATION_FAILED",
                                   "message": "These fields are required: [StartAt]", "location": "/"}]
    assert out["truncated"] is False


def test_validate_not_json(sfn):
    out = sfn.validate_state_machine_definition(definition="not a definition")
    assert out["result"] == "FAIL"
    assert [d["code"] for d in out["diagnostics"]] == ["INVALID_JSON_DESCRIPTION"]
    assert out["diagnostics"][0]["severity"] == "ERROR"


def test_validate_validation_exception(sfn_raw):
    with pytest.raises(ClientError) as e:
        sfn_raw.validate_state_machine_definition(definition=pass_definition(), type="NOPE")
    assert error_code(e) == "ValidationException"


def test_test_state_pass_info(sfn):
    state = {"Type": "Pass", "Result": {"a": 1}, "Next": "After"}
    out = sfn.test_state(definition=json.dumps(state), roleArn=ROLE_ARN, input="{}")
    assert out["status"] == "SUCCEEDED"
    assert json.loads(out["output"]) == {"a": 1}
    assert out["nextState"] == "After"


PASS_WITH_PATHS = {"Type": "Pass", "InputPath": "$.a", "Parameters": {"b.$": "$.x"}, "ResultPath": "$.out", "End": True}


def debug_test_state(sfn):
    return sfn.test_state(definition=json.dumps(PASS_WITH_PATHS), roleArn=ROLE_ARN, input=json.dumps({"a": {"x": 1}}),
                          inspectionLevel="DEBUG")


def test_test_state_pass_debug_inspection(sfn):
    out = debug_test_state(sfn)
    assert out["status"] == "SUCCEEDED"
    # ResultPath places the result into the state's raw input, not the InputPath-filtered one
    assert json.loads(out["output"]) == {"a": {"x": 1}, "out": {"b": 1}}
    data = out["inspectionData"]
    assert json.loads(data["input"]) == {"a": {"x": 1}}
    assert json.loads(data["afterResultPath"]) == {"a": {"x": 1}, "out": {"b": 1}}


def test_test_state_debug_intermediate_steps(sfn):
    data = debug_test_state(sfn)["inspectionData"]
    assert json.loads(data["afterInputPath"]) == {"x": 1}
    assert json.loads(data["afterParameters"]) == {"b": 1}
    assert json.loads(data["result"]) == {"b": 1}


def test_test_state_fail(sfn):
    out = sfn.test_state(definition=json.dumps({"Type": "Fail", "Error": "Oops", "Cause": "because"}), roleArn=ROLE_ARN)
    assert out["status"] == "FAILED"
    assert out["error"] == "Oops"
    assert out["cause"] == "because"


def test_test_state_choice_next_state(sfn):
    state = {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericGreaterThan": 5, "Next": "Big"}], "Default": "Small"}
    assert sfn.test_state(definition=json.dumps(state), roleArn=ROLE_ARN, input='{"n": 9}')["nextState"] == "Big"
    assert sfn.test_state(definition=json.dumps(state), roleArn=ROLE_ARN, input='{"n": 1}')["nextState"] == "Small"


def test_test_state_errors(sfn):
    with pytest.raises(ClientError) as e:
        sfn.test_state(definition=json.dumps({"Type": "Bogus"}), roleArn=ROLE_ARN)
    assert error_code(e) == "InvalidDefinition"
    with pytest.raises(ClientError) as e:
        sfn.test_state(definition=json.dumps({"Type": "Pass", "End": True}), roleArn=ROLE_ARN, input="{nope")
    assert error_code(e) == "InvalidExecutionInput"


def test_test_state_variables_and_context(sfn):
    """boto3 sends `variables` and `context` as JSON text; both reach the state under test."""
    state = {"QueryLanguage": "JSONata", "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
             "Arguments": {"FunctionName": "f"},
             "Output": "{% {'total': $price * $qty, 'execution': $states.context.Execution.Name} %}", "End": True}
    out = sfn.test_state(definition=json.dumps(state), roleArn=ROLE_ARN, variables=json.dumps({"price": 3, "qty": 4}),
                         mock={"result": "{}"}, context=json.dumps({"Execution": {"Name": "run-7"}}))
    assert out["status"] == "SUCCEEDED"
    assert json.loads(out["output"]) == {"total": 12, "execution": "run-7"}


def test_test_state_context_needs_mock(sfn):
    with pytest.raises(ClientError) as caught:
        sfn.test_state(definition=json.dumps({"Type": "Pass", "End": True}), roleArn=ROLE_ARN, context="{}")
    assert error_code(caught) == "ValidationException"
