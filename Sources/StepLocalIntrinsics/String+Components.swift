/// Foundation-free splitting for States.Format templates.
extension String {
    /// Splits at every occurrence of `separator` (Foundation-free).
    func components(separatedBy separator: String) -> [String] {
        var pieces: [String] = []
        var current = Substring(self)
        while let range = current.firstRange(of: separator) {
            pieces.append(String(current[..<range.lowerBound]))
            current = current[range.upperBound...]
        }
        pieces.append(String(current))
        return pieces
    }
}
