import StepLocalASL
import StepLocalEngine
import StepLocalIntegrations
import StepLocalJSON
import Testing

/// Requests built as AWS builds them, and answers read as Step Functions reads them.
@Suite("Service calls")
struct ServiceCallTests {
    static func call(_ resource: String, _ parameters: JSONValue, region: String = "us-east-1") throws -> ServiceCall {
        let request = TaskRequest(
            stateName: "T", resource: resource, parameters: parameters, taskToken: nil, timeoutSeconds: nil, heartbeatSeconds: nil,
            executionArn: "arn:aws:states:us-east-1:123456789012:execution:M:e", stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:M",
            attempt: 0, context: [:])
        let parsed = try #require(TaskResource(resource))
        return try #require(try ServiceCall.make(for: request, resource: parsed, defaultRegion: region))
    }

    static func body(_ call: ServiceCall) throws -> JSONValue { try JSONParser.parse(bytes: call.request.body) }

    @Test("dynamodb:putItem is AWS JSON 1.0 with X-Amz-Target DynamoDB_20120810.PutItem and the Parameters as body")
    func dynamoDBPutItem() throws {
        let parameters: JSONValue = ["TableName": "T", "Item": ["id": ["S": "1"]], "ConditionExpression": "attribute_not_exists(id)"]
        let call = try Self.call("arn:aws:states:::dynamodb:putItem", parameters)
        #expect(call.service == "dynamodb" && call.signingName == "dynamodb")
        #expect(call.request.method == "POST" && call.request.path == "/")
        #expect(call.request.header("X-Amz-Target") == "DynamoDB_20120810.PutItem")
        #expect(call.request.header("Content-Type") == "application/x-amz-json-1.0")
        #expect(try Self.body(call) == parameters)
    }

    @Test("Only the four item actions of DynamoDB, sendMessage, publish, invoke, runTask and startExecution are made for real")
    func supported() throws {
        for (resource, expected) in [
            ("arn:aws:states:::dynamodb:getItem", true), ("arn:aws:states:::dynamodb:updateItem", true), ("arn:aws:states:::dynamodb:deleteItem", true),
            ("arn:aws:states:::dynamodb:query", false), ("arn:aws:states:::sqs:sendMessage.waitForTaskToken", true),
            ("arn:aws:states:::lambda:invoke.waitForTaskToken", true), ("arn:aws:states:::sns:publish", true), ("arn:aws:states:::ecs:runTask.sync", true),
            ("arn:aws:states:::ecs:runTask.waitForTaskToken", true), ("arn:aws:states:::ecs:runTask.sync:2", false),
            ("arn:aws:states:::states:startExecution.sync:2", true), ("arn:aws:states:::states:startExecution.waitForTaskToken", true),
            ("arn:aws:states:::sqs:sendMessage.sync", false), ("arn:aws:states:::batch:submitJob.sync", false),
            ("arn:aws:lambda:us-east-1:123456789012:function:f", true), ("arn:aws:states:::aws-sdk:s3:listBuckets", false),
        ] {
            #expect(ServiceCall.supports(try #require(TaskResource(resource))) == expected, "\(resource)")
        }
    }

    @Test("sqs:sendMessage sends a JSON MessageBody as its text, with X-Amz-Target AmazonSQS.SendMessage")
    func sqsSendMessage() throws {
        let call = try Self.call("arn:aws:states:::sqs:sendMessage", ["QueueUrl": "http://q/1/q", "MessageBody": ["token": "abc"]])
        #expect(call.request.header("X-Amz-Target") == "AmazonSQS.SendMessage")
        #expect(try Self.body(call)["MessageBody"] == #"{"token":"abc"}"#)
    }

    @Test("lambda:invoke posts the payload to /2015-03-31/functions/NAME/invocations, signed for the function's region")
    func lambdaInvoke() throws {
        let call = try Self.call(
            "arn:aws:states:::lambda:invoke",
            ["FunctionName": "arn:aws:lambda:eu-central-1:123456789012:function:f", "Payload": ["a": 1], "Qualifier": "live", "InvocationType": "Event"])
        #expect(call.region == "eu-central-1")
        #expect(call.request.path == "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aeu-central-1%3A123456789012%3Afunction%3Af/invocations")
        #expect(call.request.query.map { "\($0.0)=\($0.1)" } == ["Qualifier=live"])
        #expect(call.request.header("X-Amz-Invocation-Type") == "Event")
        #expect(String(decoding: call.request.body, as: UTF8.self) == #"{"a":1}"#)
    }

    @Test("lambda:invoke without FunctionName fails as a runtime error naming the field")
    func lambdaWithoutFunction() throws {
        #expect(throws: StatesError.self) { try Self.call("arn:aws:states:::lambda:invoke", ["Payload": 1]) }
    }

    @Test("Lambda's answer becomes {ExecutedVersion, Payload (parsed), SdkHttpMetadata, SdkResponseMetadata, StatusCode}")
    func lambdaResult() throws {
        let call = try Self.call("arn:aws:states:::lambda:invoke", ["FunctionName": "f"])
        let result = try call.result(
            from: ServiceHTTPResponse(
                status: 200, headers: [("X-Amz-Executed-Version", "$LATEST"), ("x-amzn-RequestId", "r-1"), ("Content-Type", "application/json")],
                body: Array(#"{"body":"string body"}"#.utf8)))
        #expect(result.objectValue.map { Array($0.keys) } == ["ExecutedVersion", "Payload", "SdkHttpMetadata", "SdkResponseMetadata", "StatusCode"])
        #expect(result["Payload"] == ["body": "string body"])
        #expect(result["StatusCode"] == 200)
        #expect(result["SdkResponseMetadata"] == ["RequestId": "r-1"])
        #expect(result["SdkHttpMetadata"]?["AllHttpHeaders"]?["X-Amz-Executed-Version"] == ["$LATEST"])
        #expect(result["SdkHttpMetadata"]?["HttpHeaders"]?["Content-Type"] == "application/json")
        #expect(result["SdkHttpMetadata"]?["HttpStatusCode"] == 200)
    }

    @Test("A function error fails with the payload's errorType as the error and the payload text as the cause")
    func lambdaFunctionError() throws {
        let call = try Self.call("arn:aws:states:::lambda:invoke", ["FunctionName": "f"])
        let payload = #"{"errorMessage":"","errorType":"CustomException","requestId":"x","stackTrace":[]}"#
        #expect(throws: StatesError("CustomException", cause: payload)) {
            try call.result(from: ServiceHTTPResponse(status: 200, headers: [("X-Amz-Function-Error", "Unhandled")], body: Array(payload.utf8)))
        }
    }

    @Test("The legacy function-ARN resource sends the input and returns the payload alone")
    func legacyLambda() throws {
        let call = try Self.call("arn:aws:lambda:us-west-2:123456789012:function:f", ["x": 1])
        #expect(call.region == "us-west-2")
        #expect(try Self.body(call) == ["x": 1])
        #expect(try call.result(from: ServiceHTTPResponse(status: 200, body: Array("[1,2]".utf8))) == [1, 2])
    }

    @Test("Lambda's 404 is Lambda.ResourceNotFoundException with the SDK's cause")
    func lambdaNotFound() throws {
        let call = try Self.call("arn:aws:states:::lambda:invoke", ["FunctionName": "nope"])
        let response = ServiceHTTPResponse(
            status: 404, headers: [("x-amzn-ErrorType", "ResourceNotFoundException"), ("x-amzn-RequestId", "r-2")],
            body: Array(#"{"Type":"User","Message":"Function not found: arn:aws:lambda:us-east-1:123456789012:function:nope"}"#.utf8))
        #expect(
            throws: StatesError(
                "Lambda.ResourceNotFoundException",
                cause: "Function not found: arn:aws:lambda:us-east-1:123456789012:function:nope (Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: r-2; Proxy: null)")
        ) { try call.result(from: response) }
    }

    @Test("A failed condition is DynamoDB.ConditionalCheckFailedException; an unmodeled code is DynamoDB.AmazonDynamoDBException")
    func dynamoDBErrors() throws {
        let call = try Self.call("arn:aws:states:::dynamodb:putItem", ["TableName": "T"])
        let failed = ServiceHTTPResponse(
            status: 400, headers: [("x-amzn-RequestId", "r-3")],
            body: Array(#"{"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"The conditional request failed"}"#.utf8))
        #expect(
            throws: StatesError(
                "DynamoDB.ConditionalCheckFailedException",
                cause: "The conditional request failed (Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ConditionalCheckFailedException; Request ID: r-3; Proxy: null)")
        ) { try call.result(from: failed) }
        let invalid = ServiceHTTPResponse(
            status: 400, body: Array(#"{"__type":"com.amazon.coral.validate#ValidationException","message":"bad"}"#.utf8))
        #expect(throws: StatesError("DynamoDB.AmazonDynamoDBException", cause: "bad (Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ValidationException; Request ID: null; Proxy: null)")) {
            try call.result(from: invalid)
        }
    }

    @Test("DynamoDB's answer is its fields plus SDK metadata")
    func dynamoDBResult() throws {
        let call = try Self.call("arn:aws:states:::dynamodb:getItem", ["TableName": "T", "Key": ["id": ["S": "1"]]])
        let result = try call.result(from: ServiceHTTPResponse(status: 200, headers: [("x-amzn-RequestId", "r")], body: Array(#"{"Item":{"id":{"S":"1"}}}"#.utf8)))
        #expect(result["Item"] == ["id": ["S": "1"]])
        #expect(result.objectValue.map { Array($0.keys) } == ["Item", "SdkHttpMetadata", "SdkResponseMetadata"])
    }

    @Test("A missing queue is SQS.QueueDoesNotExistException, read from the query-compatible code; MissingParameter is SQS.AmazonSQSException")
    func sqsErrors() throws {
        let call = try Self.call("arn:aws:states:::sqs:sendMessage", ["QueueUrl": "q", "MessageBody": "m"])
        let missing = ServiceHTTPResponse(
            status: 400,
            headers: [("X-Amzn-Errortype", "com.amazonaws.sqs#QueueDoesNotExist"), ("x-amzn-query-error", "AWS.SimpleQueueService.NonExistentQueue;Sender"), ("x-amzn-requestid", "r-4")],
            body: Array(#"{"__type": "com.amazonaws.sqs#QueueDoesNotExist", "message": "The specified queue does not exist."}"#.utf8))
        #expect(
            throws: StatesError(
                "SQS.QueueDoesNotExistException",
                cause: "The specified queue does not exist. (Service: AmazonSQS; Status Code: 400; Error Code: AWS.SimpleQueueService.NonExistentQueue; Request ID: r-4; Proxy: null)")
        ) { try call.result(from: missing) }
        let parameter = ServiceHTTPResponse(
            status: 400, headers: [("x-amzn-query-error", "MissingParameter;Sender")],
            body: Array(#"{"__type":"com.amazonaws.sqs#MissingParameter","message":"The request must contain the parameter MessageBody."}"#.utf8))
        #expect(throws: StatesError("SQS.AmazonSQSException", cause: "The request must contain the parameter MessageBody. (Service: AmazonSQS; Status Code: 400; Error Code: MissingParameter; Request ID: null; Proxy: null)")) {
            try call.result(from: parameter)
        }
    }

    @Test("sns:publish is a form-encoded Publish; its XML answer gives MessageId, its XML error SNS.NotFoundException")
    func snsPublish() throws {
        let call = try Self.call(
            "arn:aws:states:::sns:publish",
            ["TopicArn": "arn:aws:sns:ap-south-1:123456789012:t", "Message": ["k": "v w"], "MessageAttributes": ["a": ["DataType": "String", "StringValue": "x"]]])
        #expect(call.region == "ap-south-1")
        #expect(
            String(decoding: call.request.body, as: UTF8.self)
                == "Action=Publish&Version=2010-03-31&TopicArn=arn%3Aaws%3Asns%3Aap-south-1%3A123456789012%3At&Message=%7B%22k%22%3A%22v%20w%22%7D"
                + "&MessageAttributes.entry.1.Name=a&MessageAttributes.entry.1.Value.DataType=String&MessageAttributes.entry.1.Value.StringValue=x")
        let ok = """
            <PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>m-1</MessageId></PublishResult>
            <ResponseMetadata><RequestId>r-5</RequestId></ResponseMetadata></PublishResponse>
            """
        let result = try call.result(from: ServiceHTTPResponse(status: 200, headers: [("Content-Type", "text/xml")], body: Array(ok.utf8)))
        #expect(result["MessageId"] == "m-1")
        #expect(result["SdkResponseMetadata"] == ["RequestId": "r-5"])
        let error = """
            <ErrorResponse><Error><Type>Sender</Type><Code>NotFound</Code><Message>Topic does not exist</Message></Error><RequestId>r-6</RequestId></ErrorResponse>
            """
        #expect(
            throws: StatesError(
                "SNS.NotFoundException",
                cause: "Topic does not exist (Service: AmazonSNS; Status Code: 404; Error Code: NotFound; Request ID: r-6; Proxy: null)")
        ) { try call.result(from: ServiceHTTPResponse(status: 404, body: Array(error.utf8))) }
    }
}
