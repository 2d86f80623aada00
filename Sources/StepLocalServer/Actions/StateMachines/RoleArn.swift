import StepLocalASL
/// The check AWS makes on a `roleArn`: it must at least be an ARN. StepLocal never assumes the
/// role, so any IAM-looking ARN is accepted.
enum RoleArn {
    static func validate(_ text: String) throws(AWSServiceError) {
        guard ARN(text) != nil else {
            throw .invalidArn(text, reason: "Invalid ARN prefix: \(text)")
        }
    }
}
