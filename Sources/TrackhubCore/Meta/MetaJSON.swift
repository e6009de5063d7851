import Foundation

/// JSON plumbing shared by the CAPI models.
enum MetaJSON {
    /// Sorted keys make the bytes a pure function of the value: the same event always encodes
    /// to the same blob, so blobs can be compared, hashed, stored and re-sent as they are.
    static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// The value trimmed, or nil when nothing but whitespace is left (so it is omitted).
    static func nonEmpty(_ value: String?) -> String? {
        guard let value else { return nil }
        let trimmed = MetaText.trimmed(value)
        return trimmed.isEmpty ? nil : trimmed
    }
}
