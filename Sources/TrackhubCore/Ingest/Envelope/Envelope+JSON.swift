public import Foundation

/// The envelope as JSON, by the one schema in `Envelope+Schema.swift`.
///
/// Written by ``JSONWriter`` with the lossless ``JSONEscapeProfile/envelope`` profile and read
/// by ``JSONValue`` (RFC 8259, numbers kept as text), both without Codable: ingestd encodes an
/// envelope per request and dispatchd decodes every stream entry, and `JSONEncoder` /
/// `JSONDecoder` with snake_case conversion were a fifth and an eighth of their CPU.
extension Envelope {
    public func encoded() throws -> [UInt8] {
        var w = JSONWriter(profile: .envelope, capacity: 768)
        try EnvelopeField.write(self, fields: Self.fields, to: &w)
        return w.bytes
    }

    /// Reads an envelope; throws `DecodingError` for anything that is not one, or that a newer
    /// version wrote.
    public static func decode(_ bytes: some DataProtocol) throws -> Envelope {
        let envelope = try decodeFast(Array(bytes))
        guard envelope.v <= currentVersion else {
            throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "envelope version \(envelope.v) is newer than this build understands"))
        }
        return envelope
    }

    /// The schema's reading of `bytes`, without the version check.
    static func decodeFast(_ bytes: [UInt8]) throws -> Envelope {
        guard let members = JSONValue.parse(bytes)?.objectMembers else { throw EnvelopeField<Envelope>.corrupt("not a JSON object") }
        return try EnvelopeField.read(blank, fields: fields, from: members, path: "")
    }
}
