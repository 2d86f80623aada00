import StepLocalASL
import StepLocalEngine
import StepLocalIntegrations
import StepLocalJSON
import Testing

/// `ecs:runTask` (request-response, `.sync`, `.waitForTaskToken`): the RunTask request as AWS
/// sends it, its answer as Step Functions renders it, and how a `.sync` task reads DescribeTasks.
@Suite("ECS calls")
struct ECSCallsTests {
    static func request(_ resource: String, _ parameters: JSONValue) -> TaskRequest {
        TaskRequest(
            stateName: "Run", resource: resource, parameters: parameters, taskToken: nil, timeoutSeconds: nil, heartbeatSeconds: nil,
            executionArn: "arn:aws:states:us-east-1:123456789012:execution:M:e", stateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:M",
            attempt: 0, context: [:])
    }

    static func job(_ parameters: JSONValue = ["Cluster": "c", "TaskDefinition": "job"]) throws -> SyncJob {
        try syncJob("arn:aws:states:::ecs:runTask.sync", parameters)
    }

    /// The `.sync` job of `resource` with `parameters`.
    static func syncJob(_ resource: String, _ parameters: JSONValue) throws -> SyncJob {
        let parsed = try #require(TaskResource(resource))
        return try #require(try ServiceCall.syncJob(for: request(resource, parameters), resource: parsed, defaultRegion: "us-east-1"))
    }

    static func answer(_ json: String, status: Int = 200) -> ServiceHTTPResponse {
        ServiceHTTPResponse(
            status: status, headers: [("x-amzn-RequestId", "req-1"), ("Content-Type", "application/x-amz-json-1.1")], body: Array(json.utf8))
    }

    /// The error `work` throws, if it is a StatesError.
    static func failure(_ work: () throws -> Any?) -> StatesError? {
        do {
            _ = try work()
            return nil
        } catch {
            return error as? StatesError
        }
    }

    static let running = #"{"tasks":[{"taskArn":"arn:t","clusterArn":"arn:c","lastStatus":"RUNNING","createdAt":1680596442.871,"containers":[{"name":"main","lastStatus":"RUNNING"}],"overrides":{"containerOverrides":[]}}],"failures":[]}"#

    @Test("RunTask is AWS JSON 1.1 for ecs, the PascalCase Parameters under ECS's wire names, signed for the cluster's region")
    func runTaskRequest() throws {
        let parameters: JSONValue = [
            "Cluster": "arn:aws:ecs:eu-west-1:123456789012:cluster/c", "TaskDefinition": "job:3", "LaunchType": "FARGATE",
            "NetworkConfiguration": ["AwsvpcConfiguration": ["Subnets": ["subnet-1"], "AssignPublicIp": "ENABLED"]],
            "Overrides": ["ContainerOverrides": [["Name": "main", "Command": ["run"], "Environment": [["Name": "A", "Value": "1"]]]]],
        ]
        let call = try ServiceCallTests.call("arn:aws:states:::ecs:runTask", parameters)
        #expect(call.service == "ecs" && call.signingName == "ecs" && call.region == "eu-west-1")
        #expect(call.request.method == "POST" && call.request.path == "/")
        #expect(call.request.header("X-Amz-Target") == "AmazonEC2ContainerServiceV20141113.RunTask")
        #expect(call.request.header("Content-Type") == "application/x-amz-json-1.1")
        #expect(
            try ServiceCallTests.body(call) == [
                "cluster": "arn:aws:ecs:eu-west-1:123456789012:cluster/c", "taskDefinition": "job:3", "launchType": "FARGATE",
                "networkConfiguration": ["awsvpcConfiguration": ["subnets": ["subnet-1"], "assignPublicIp": "ENABLED"]],
                "overrides": ["containerOverrides": [["name": "main", "command": ["run"], "environment": [["name": "A", "value": "1"]]]]],
            ])
    }

    @Test(".sync names Step Functions as the task's starter unless the state names one; request-response does not")
    func startedBy() throws {
        let parameters: JSONValue = ["Cluster": "c", "TaskDefinition": "job"]
        #expect(try ServiceCallTests.body(ServiceCallTests.call("arn:aws:states:::ecs:runTask.sync", parameters))["startedBy"] == "AWS Step Functions")
        #expect(try ServiceCallTests.body(ServiceCallTests.call("arn:aws:states:::ecs:runTask", parameters))["startedBy"] == nil)
        let named: JSONValue = ["Cluster": "c", "TaskDefinition": "job", "StartedBy": "nightly"]
        #expect(try ServiceCallTests.body(ServiceCallTests.call("arn:aws:states:::ecs:runTask.sync", named))["startedBy"] == "nightly")
    }

    @Test("RunTask's answer: PascalCase members in alphabetical order, timestamps in epoch milliseconds, SDK metadata among them")
    func runTaskResult() throws {
        let call = try ServiceCallTests.call("arn:aws:states:::ecs:runTask", ["Cluster": "c", "TaskDefinition": "job"])
        let result = try call.result(from: Self.answer(Self.running))
        #expect(result.objectValue?.map(\.key) == ["Failures", "SdkHttpMetadata", "SdkResponseMetadata", "Tasks"])
        #expect(result["SdkResponseMetadata"] == ["RequestId": "req-1"])
        #expect(result["Failures"] == [])
        #expect(
            result["Tasks"] == [
                [
                    "ClusterArn": "arn:c", "Containers": [["LastStatus": "RUNNING", "Name": "main"]], "CreatedAt": 1_680_596_442_871,
                    "LastStatus": "RUNNING", "Overrides": ["ContainerOverrides": []], "TaskArn": "arn:t",
                ]
            ])
    }

    @Test("A non-empty Failures is returned by request-response and fails .sync and .waitForTaskToken with AmazonECS.Unknown")
    func failures() throws {
        let body = #"{"tasks":[],"failures":[{"arn":"arn:td","reason":"MISSING"}]}"#
        let plain = try ServiceCallTests.call("arn:aws:states:::ecs:runTask", ["Cluster": "c", "TaskDefinition": "job"])
        #expect(try plain.result(from: Self.answer(body))["Failures"] == [["Arn": "arn:td", "Reason": "MISSING"]])
        for resource in ["arn:aws:states:::ecs:runTask.sync", "arn:aws:states:::ecs:runTask.waitForTaskToken"] {
            let call = try ServiceCallTests.call(resource, ["Cluster": "c", "TaskDefinition": "job"])
            let error = Self.failure { try call.result(from: Self.answer(body)) }
            #expect(error?.error == "AmazonECS.Unknown", "\(resource)")
            #expect(error?.cause == #"{"Failures":[{"Arn":"arn:td","Reason":"MISSING"}],"Tasks":[]}"#)
        }
    }

    @Test("ECS's errors are ECS.<class>: a missing cluster is ECS.ClusterNotFoundException, an unmodeled code ECS.AmazonECSException")
    func errors() throws {
        let call = try ServiceCallTests.call("arn:aws:states:::ecs:runTask.sync", ["Cluster": "nope", "TaskDefinition": "job"])
        let missing = Self.failure {
            try call.result(from: Self.answer(#"{"__type":"ClusterNotFoundException","message":"Cluster not found."}"#, status: 400))
        }
        #expect(missing?.error == "ECS.ClusterNotFoundException")
        #expect(
            missing?.cause
                == "Cluster not found. (Service: AmazonECS; Status Code: 400; Error Code: ClusterNotFoundException; Request ID: req-1; Proxy: null)")
        let other = Self.failure { try call.result(from: Self.answer(#"{"__type":"Throttled","message":"slow down"}"#, status: 400)) }
        #expect(other?.error == "ECS.AmazonECSException")
        let server = Self.failure {
            try call.result(from: Self.answer(#"{"__type":"com.amazonaws.ecs#ServerException","message":"oops"}"#, status: 500))
        }
        #expect(server?.error == "ECS.ServerException")
    }

    @Test(".sync follows the task RunTask started: DescribeTasks and StopTask name its cluster and arn")
    func followUp() throws {
        let job = try Self.job()
        #expect(job.start.request.header("X-Amz-Target") == "AmazonEC2ContainerServiceV20141113.RunTask")
        let followUp = try job.followUp(submitted: try job.start.result(from: Self.answer(Self.running)))
        #expect(followUp.describe.request.header("X-Amz-Target") == "AmazonEC2ContainerServiceV20141113.DescribeTasks")
        #expect(try ServiceCallTests.body(followUp.describe) == ["cluster": "arn:c", "tasks": ["arn:t"]])
        #expect(followUp.stop.request.header("X-Amz-Target") == "AmazonEC2ContainerServiceV20141113.StopTask")
        let stop = try ServiceCallTests.body(followUp.stop)
        #expect(stop["cluster"] == "arn:c" && stop["task"] == "arn:t" && stop["reason"]?.stringValue?.contains("Step Functions") == true)
        let none = Self.failure { try job.followUp(submitted: ["Failures": [], "Tasks": []]) }
        #expect(none?.error == "AmazonECS.Unknown")
    }

    @Test(".sync: nil while the task runs; once STOPPED its description alone is the result")
    func outcomeWhileRunningThenStopped() throws {
        let job = try Self.job()
        let followUp = try job.followUp(submitted: try job.start.result(from: Self.answer(Self.running)))
        #expect(try job.outcome(of: try followUp.describe.result(from: Self.answer(Self.running))) == nil)
        let stopped = #"{"tasks":[{"taskArn":"arn:t","lastStatus":"STOPPED","stopCode":"EssentialContainerExited","stoppedAt":1680596504.771,"containers":[{"name":"main","exitCode":0}]}],"failures":[]}"#
        let result = try job.outcome(of: try followUp.describe.result(from: Self.answer(stopped)))
        #expect(
            result == [
                "Containers": [["ExitCode": 0, "Name": "main"]], "LastStatus": "STOPPED", "StopCode": "EssentialContainerExited",
                "StoppedAt": 1_680_596_504_771, "TaskArn": "arn:t",
            ])
    }

    @Test(".sync fails with States.TaskFailed and the task as cause when a container exited non-zero or the task never started")
    func outcomeFailures() throws {
        let job = try Self.job()
        let followUp = try job.followUp(submitted: try job.start.result(from: Self.answer(Self.running)))
        for stopped in [
            #"{"tasks":[{"taskArn":"arn:t","lastStatus":"STOPPED","containers":[{"name":"main","exitCode":3}]}],"failures":[]}"#,
            #"{"tasks":[{"taskArn":"arn:t","lastStatus":"STOPPED","stopCode":"TaskFailedToStart","containers":[{"name":"main"}]}],"failures":[]}"#,
        ] {
            let described = try followUp.describe.result(from: Self.answer(stopped))
            let error = Self.failure { try job.outcome(of: described) }
            #expect(error?.error == "States.TaskFailed")
            #expect(try JSONValue(parsing: error?.cause ?? "")["TaskArn"] == "arn:t")
        }
        let gone = try followUp.describe.result(from: Self.answer(#"{"tasks":[],"failures":[{"arn":"arn:t","reason":"MISSING"}]}"#))
        #expect(Self.failure { try job.outcome(of: gone) }?.error == "States.TaskFailed")
    }
}
