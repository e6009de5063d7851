public import Foundation

/// The user data a `/track` request carries, sealed inside the envelope (`Track.user`): JSON
/// written and read by the envelope's own field rules (the one reader and writer), with the
/// member names `RawUserData`'s `Codable` conformance has always used, so envelopes sealed by an
/// older ingestd still open.
extension Envelope {
    /// Seals `user` for `Track.user` of the envelope `envelopeID` of `tenant`
    /// (``SealContext/envelopeUser(tenant:envelope:)``).
    public static func sealUser(_ user: RawUserData, tenant: String, envelopeID: String, keys: KeyRing) throws -> Sealed {
        var w = JSONWriter(profile: .envelope, capacity: 256)
        try EnvelopeField.write(user, fields: RawUserData.envelopeFields, to: &w)
        return try keys.seal(w.bytes, for: .envelopeUser(tenant: tenant, envelope: envelopeID))
    }

    /// Opens a `Track.user` of the envelope `envelopeID` of `tenant`; throws for a value that
    /// cannot be opened (another envelope's, another tenant's) or read.
    public static func openUser(_ sealed: Sealed, tenant: String, envelopeID: String, keys: KeyRing) throws -> RawUserData {
        let bytes = try keys.open(sealed, for: .envelopeUser(tenant: tenant, envelope: envelopeID))
        guard let members = JSONValue.parse(Array(bytes))?.objectMembers else {
            throw EnvelopeField<RawUserData>.corrupt("user (not a JSON object)")
        }
        return try EnvelopeField.read(RawUserData(), fields: RawUserData.envelopeFields, from: members, path: "user.")
    }
}

extension RawUserData {
    /// Member names as the synthesized `Codable` conformance spells them (camelCase).
    static let envelopeFields: [EnvelopeField<RawUserData>] = [
        .string("email", \.email),
        .string("phone", \.phone),
        .string("firstName", \.firstName),
        .string("lastName", \.lastName),
        .string("city", \.city),
        .string("state", \.state),
        .string("zip", \.zip),
        .string("country", \.country),
        .string("dateOfBirth", \.dateOfBirth),
        .string("gender", \.gender),
        .string("externalId", \.externalId),
    ]
}
