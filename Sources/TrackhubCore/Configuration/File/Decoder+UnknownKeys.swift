extension Decoder {
    /// The keys of the map being decoded that `Keys` does not name, sorted: how the
    /// configuration file reports a misspelt key instead of ignoring it.
    func unknownKeys<Keys: CodingKey & CaseIterable>(_: Keys.Type) throws -> [String] {
        let known = Set(Keys.allCases.map(\.stringValue))
        let present = try container(keyedBy: AnyCodingKey.self).allKeys.map(\.stringValue)
        return present.filter { !known.contains($0) }.sorted()
    }
}
