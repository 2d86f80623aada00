/// The static routing table from action name to handler: every one of the model's 37 actions.
/// A test checks it against ``ServiceModel/operations`` so none is forgotten.
enum ActionTable {
    static let handlers: [String: any ActionHandler] = {
        let all: [any ActionHandler] = [
            // State machines
            CreateStateMachineAction(), DescribeStateMachineAction(), UpdateStateMachineAction(),
            DeleteStateMachineAction(), ListStateMachinesAction(), ValidateStateMachineDefinitionAction(),
            // Versions and aliases
            PublishStateMachineVersionAction(), ListStateMachineVersionsAction(), DeleteStateMachineVersionAction(),
            CreateStateMachineAliasAction(), DescribeStateMachineAliasAction(), UpdateStateMachineAliasAction(),
            DeleteStateMachineAliasAction(), ListStateMachineAliasesAction(),
            // Executions
            StartExecutionAction(), StartSyncExecutionAction(), StopExecutionAction(), DescribeExecutionAction(),
            ListExecutionsAction(), GetExecutionHistoryAction(), DescribeStateMachineForExecutionAction(),
            RedriveExecutionAction(), TestStateAction(),
            // Tags
            TagResourceAction(), UntagResourceAction(), ListTagsForResourceAction(),
            // Activities and task tokens
            CreateActivityAction(), DescribeActivityAction(), DeleteActivityAction(), ListActivitiesAction(),
            GetActivityTaskAction(), SendTaskSuccessAction(), SendTaskFailureAction(), SendTaskHeartbeatAction(),
            // Map runs
            DescribeMapRunAction(), ListMapRunsAction(), UpdateMapRunAction(),
        ]
        var table: [String: any ActionHandler] = [:]
        for handler in all { table[type(of: handler).name] = handler }
        return table
    }()
}
