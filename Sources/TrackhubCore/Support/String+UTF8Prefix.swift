extension String {
    /// The longest prefix of at most `maxBytes` UTF-8 bytes that does not split a Unicode scalar:
    /// how every byte limit on a request value (a `utm_*` value, a referrer, a passed-through
    /// parameter) cuts text.
    package func utf8Prefix(_ maxBytes: Int) -> Substring {
        guard utf8.count > maxBytes else { return self[...] }
        var bytes = 0
        var end = unicodeScalars.startIndex
        for scalar in unicodeScalars {
            let length = UTF8.width(scalar)
            guard bytes + length <= maxBytes else { break }
            bytes += length
            end = unicodeScalars.index(after: end)
        }
        return Substring(unicodeScalars[..<end])
    }
}
