import OrderedCollections

/// XPath `format-number`/`format-integer` pictures for `$formatNumber`, `$formatInteger` and
/// `$parseInteger`.
enum JSONataNumberFormat {
    static func formatNumber(_ d: Double, _ picture: String, options: OrderedDictionary<String, JSONataValue>?) throws(JSONataError) -> String {
        var properties = JSONataDecimalFormat()
        for (k, v) in options ?? [:] {
            if case .string(let s) = v { properties.set(k, s) }
        }
        return try properties.format(d, picture)
    }

    static func formatInteger(_ d: Double, _ picture: String) throws(JSONataError) -> String {
        try JSONataIntegerPicture(picture).format(JSONataClamp.int64(d.rounded(.down)))
    }

    static func parseInteger(_ s: String, _ picture: String) throws(JSONataError) -> Double? {
        try JSONataIntegerPicture(picture).parse(s)
    }
}
