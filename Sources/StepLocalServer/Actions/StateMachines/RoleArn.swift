/// The check AWS makes on a `roleArn`: it must at least be an ARN. StepLocal never assumes the
/// role, so any IAM-looking ARN is accepted.
enum RoleArn {
    static func validate(_ text: String) throws(AWSServiceError) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 6, parts[0] == "arn" else {
            throw .invalidArn(text, reason: "Invalid ARN prefix: \(text)")
        }
    }
}
