// Scenario files land here.
