import StepLocalJSON
import Testing

@testable import StepLocalServer

@Suite("TestState")
struct TestStateTests {
    @Test("A Pass state runs alone and reports its output and next state")
    func pass() async throws {
        try await withAPI { api in
            let response = try await api.call(
                "TestState",
                ["definition": #"{"Type":"Pass","Result":{"x":1},"ResultPath":"$.r","Next":"After"}"#, "input": #"{"a":2}"#, "inspectionLevel": "DEBUG"])
            #expect(response["status"] == "SUCCEEDED")
            #expect(response["output"] == #"{"a":2,"r":{"x":1}}"#)
            #expect(response["nextState"] == "After")
            #expect(response["inspectionData"]?["input"] == #"{"a":2}"#)
        }
    }

    @Test("A Fail state reports FAILED with its error and cause")
    func fail() async throws {
        try await withAPI { api in
            let response = try await api.call("TestState", ["definition": #"{"Type":"Fail","Error":"E","Cause":"C"}"#])
            #expect(response["status"] == "FAILED")
            #expect(response["error"] == "E")
            #expect(response["cause"] == "C")
        }
    }

    @Test("A Choice state reports the branch it took")
    func choice() async throws {
        try await withAPI { api in
            let definition = #"{"Type":"Choice","Choices":[{"Variable":"$.n","NumericGreaterThan":1,"Next":"Big"}],"Default":"Small"}"#
            let response = try await api.call("TestState", ["definition": .string(definition), "input": #"{"n":5}"#])
            #expect(response["nextState"] == "Big")
        }
    }

    @Test("A Task state answered by a mock error with a matching Retrier is RETRIABLE")
    func retriable() async throws {
        try await withAPI { api in
            let definition = #"{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f","Retry":[{"ErrorEquals":["States.ALL"]}],"End":true}"#
            let response = try await api.call(
                "TestState", ["definition": .string(definition), "mock": ["errorOutput": ["error": "Oops", "cause": "bad"]]])
            #expect(response["status"] == "RETRIABLE")
            #expect(response["error"] == "Oops")
        }
    }
}
