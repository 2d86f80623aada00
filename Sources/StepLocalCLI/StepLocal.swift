@main struct StepLocal { static func main() {} }
