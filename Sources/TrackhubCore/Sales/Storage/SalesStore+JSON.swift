import Foundation

/// The JSON stored with each conversion (`conversions.buyer`, `conversions.tracking`), written
/// with ``JSONWriter`` (profile ``JSONEscapeProfile/stored``: a NUL in a gateway's `sck` must not
/// make Postgres refuse the sale) instead of `JSONEncoder` (two encoders per sale were a sizeable part
/// of the sales path's CPU). The members are those the synthesized `Encodable` conformances
/// write — nil optionals left out — which stay the reference (`SalesStoreJSONTests`).
extension SalesStore {
    /// The buyer's hashed identities: Meta's key names, empty keys left out. Public so the
    /// console's tests and the bench seed sales in exactly the stored shape.
    public static func buyerJSON(_ hashed: HashedUserData) -> String {
        var w = JSONWriter(profile: .stored, capacity: 256)
        var members: [JSONWriter.Member] = []
        for key in HashedUserData.Key.allCases where !hashed[key].isEmpty {
            let values = hashed[key]
            members.append((key.rawValue, { $0.array(values) }))
        }
        w.object(members)
        return w.text
    }

    /// The click-tracking values the gateway carried back.
    static func trackingJSON(_ t: TrackingParameters) -> String {
        var w = JSONWriter(profile: .stored, capacity: 256)
        var members: [JSONWriter.Member] = []
        let optional: [(String, String?)] = [
            ("sck", t.sck), ("src", t.src), ("xcod", t.xcod), ("utmSource", t.utmSource), ("utmMedium", t.utmMedium),
            ("utmCampaign", t.utmCampaign), ("utmContent", t.utmContent), ("utmTerm", t.utmTerm), ("s1", t.s1), ("s2", t.s2),
            ("s3", t.s3), ("clientReferenceID", t.clientReferenceID),
        ]
        for (key, value) in optional {
            if let value { members.append((key, { $0.string(value) })) }
        }
        let metadata = t.metadata
        members.append(("metadata", { $0.object(metadata) }))
        w.object(members)
        return w.text
    }
}
