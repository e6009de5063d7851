/// The hashed `user_data` keys of a Meta server event: each is a list of lowercase SHA-256 hex
/// digests of normalized values, de-duplicated, and empty when absent.
///
/// Lists (not single strings) because Meta accepts several values per key and because one
/// input can legitimately produce more than one candidate (a Brazilian mobile in both its
/// 9-digit and legacy 8-digit forms). Produced by `UserDataNormalizer`; combine sources with
/// `merging(_:)`. Encodes with Meta's key names and omits empty keys.
public struct HashedUserData: Sendable, Equatable, Hashable, Codable {
    public let em: [String]
    public let ph: [String]
    public let fn: [String]
    public let ln: [String]
    public let ct: [String]
    public let st: [String]
    public let zp: [String]
    public let country: [String]
    public let db: [String]
    public let ge: [String]
    /// Meta key `external_id`.
    public let externalId: [String]

    /// Stores the given digests de-duplicated (order kept, empty strings dropped). The values
    /// are taken as already hashed: use `UserDataNormalizer` to get them from raw input.
    public init(
        em: [String] = [], ph: [String] = [], fn: [String] = [], ln: [String] = [],
        ct: [String] = [], st: [String] = [], zp: [String] = [], country: [String] = [],
        db: [String] = [], ge: [String] = [], externalId: [String] = []
    ) {
        self.em = MetaText.unique(em); self.ph = MetaText.unique(ph)
        self.fn = MetaText.unique(fn); self.ln = MetaText.unique(ln)
        self.ct = MetaText.unique(ct); self.st = MetaText.unique(st)
        self.zp = MetaText.unique(zp); self.country = MetaText.unique(country)
        self.db = MetaText.unique(db); self.ge = MetaText.unique(ge)
        self.externalId = MetaText.unique(externalId)
    }

    /// True when no key holds a value: Meta would reject an event with nothing else to match on.
    public var isEmpty: Bool { Key.allCases.allSatisfy { self[$0].isEmpty } }

    /// Union of both, per key, `self`'s values first; for combining e.g. buyer data from a
    /// webhook with the lead form data of the same person.
    public func merging(_ other: HashedUserData) -> HashedUserData {
        HashedUserData(
            em: em + other.em, ph: ph + other.ph, fn: fn + other.fn, ln: ln + other.ln,
            ct: ct + other.ct, st: st + other.st, zp: zp + other.zp, country: country + other.country,
            db: db + other.db, ge: ge + other.ge, externalId: externalId + other.externalId)
    }

    /// Meta's JSON key names, in the order Meta's docs list them.
    public enum Key: String, CaseIterable, Sendable, CodingKey {
        case em, ph, fn, ln, db, ge, ct, st, zp, country
        case externalId = "external_id"
    }

    /// The values of one key.
    public subscript(key: Key) -> [String] {
        switch key {
        case .em: em
        case .ph: ph
        case .fn: fn
        case .ln: ln
        case .db: db
        case .ge: ge
        case .ct: ct
        case .st: st
        case .zp: zp
        case .country: country
        case .externalId: externalId
        }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        func list(_ key: Key) throws -> [String] { try c.decodeIfPresent([String].self, forKey: key) ?? [] }
        self.init(
            em: try list(.em), ph: try list(.ph), fn: try list(.fn), ln: try list(.ln),
            ct: try list(.ct), st: try list(.st), zp: try list(.zp), country: try list(.country),
            db: try list(.db), ge: try list(.ge), externalId: try list(.externalId))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        for key in Key.allCases where !self[key].isEmpty {
            try c.encode(self[key], forKey: key)
        }
    }
}
