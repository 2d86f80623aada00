/// A Distributed Map's `ResultWriter`: the children's results written to S3 (`s3:putObject`,
/// `Bucket` and `Prefix`) as `manifest.json` plus `SUCCEEDED_n`/`FAILED_n`/`PENDING_n` files,
/// the state's result then naming where they are, and/or `WriterConfig` reshaping the results,
/// as AWS's "ResultWriter (Map)" page describes.
public struct ResultWriterSpec: Sendable {
    /// `WriterConfig.Transformation`.
    public enum Transformation: String, Sendable, CaseIterable {
        /// Each child's execution record (ARN, input, output, status, dates, ...).
        case none = "NONE"
        /// Each child's output only (what a Map without ResultWriter returns).
        case compact = "COMPACT"
        /// Each child's output, an array output spread into the list.
        case flatten = "FLATTEN"
    }

    /// `WriterConfig.OutputType`: how the result files are written.
    public enum OutputType: String, Sendable, CaseIterable {
        case json = "JSON"
        case jsonl = "JSONL"
    }

    /// `Parameters` (JSONPath) or `Arguments` (JSONata): `Bucket` and `Prefix`. Nil without
    /// `Resource`: the results are reshaped and returned, not written.
    public let parameters: PayloadTemplate?
    /// Whether `Resource` is `s3:putObject` (the only one AWS accepts).
    public let writesToS3: Bool
    /// Absent: NONE when writing to S3, COMPACT otherwise.
    public let transformation: Transformation?
    public let outputType: OutputType

    public init(parameters: PayloadTemplate?, writesToS3: Bool, transformation: Transformation?, outputType: OutputType) {
        self.parameters = parameters
        self.writesToS3 = writesToS3
        self.transformation = transformation
        self.outputType = outputType
    }
}
