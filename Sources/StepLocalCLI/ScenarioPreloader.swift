import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import StepLocalScenarios

/// Creates the state machines of `steplocal serve --scenarios DIR` once the server listens, by
/// calling its own CreateStateMachine, so they exist exactly as if an SDK had created them and
/// their cases can be started as `arn#case`. (A store seeding hook in `buildApplication` would
/// avoid the round trip; until then this keeps the server free of scenario knowledge.)
enum ScenarioPreloader {
    static func create(_ scenarios: [Scenario], host: String, port: Int, accountId: String, logger: Logger) async {
        let address = host == "0.0.0.0" || host == "::" ? "127.0.0.1" : host
        guard let url = URL(string: "http://\(address):\(port)/") else { return }
        var created: Set<String> = []
        for scenario in scenarios where created.insert(scenario.stateMachineName).inserted {
            let body: [String: String] = [
                "name": scenario.stateMachineName, "definition": scenario.definitionText,
                "roleArn": "arn:aws:iam::\(accountId):role/StepLocalScenarios", "type": scenario.type.rawValue,
            ]
            var request = URLRequest(url: url)
            request.httpMethod = "POST"
            request.setValue("application/x-amz-json-1.0", forHTTPHeaderField: "Content-Type")
            request.setValue("AWSStepFunctions.CreateStateMachine", forHTTPHeaderField: "X-Amz-Target")
            request.httpBody = try? JSONSerialization.data(withJSONObject: body)
            for attempt in 0..<200 {
                do {
                    let (data, response) = try await URLSession.shared.data(for: request)
                    let status = (response as? HTTPURLResponse)?.statusCode ?? 0
                    if status == 200 {
                        logger.info("Created scenario state machine", metadata: ["name": "\(scenario.stateMachineName)", "cases": "\(scenario.cases.count)"])
                    } else {
                        logger.error("Could not create scenario state machine", metadata: ["name": "\(scenario.stateMachineName)", "answer": "\(String(decoding: data, as: UTF8.self))"])
                    }
                    break
                } catch {
                    if attempt == 199 { logger.error("Server did not come up to create scenario state machines: \(error)") }
                    try? await Task.sleep(for: .milliseconds(25))
                }
            }
        }
    }
}
