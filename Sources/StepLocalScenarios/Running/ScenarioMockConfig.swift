import StepLocalIntegrations

/// Scenario cases expressed as a Step Functions Local mock configuration, so that
/// `steplocal serve --scenarios DIR` serves each case as `stateMachineArn#caseName`.
extension Scenario {
    public static func mockConfig(_ scenarios: [Scenario]) -> MockConfig {
        var config = MockConfig()
        for scenario in scenarios {
            for item in scenario.cases {
                config.stateMachines[scenario.stateMachineName, default: [:]][item.name] = item.mocks
            }
        }
        return config
    }
}
