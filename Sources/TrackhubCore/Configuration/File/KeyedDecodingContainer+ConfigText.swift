extension KeyedDecodingContainer {
    /// Text, also accepting a number written without quotes (`id: 1234567890` in YAML is an
    /// integer, and so is a JSON number), so ids and codes read as written.
    func decodeText(_ key: Key) throws -> String? {
        guard contains(key), try !decodeNil(forKey: key) else { return nil }
        if let text = try? decode(String.self, forKey: key) { return text }
        if let number = try? decode(Int.self, forKey: key) { return String(number) }
        return try decode(String.self, forKey: key)  // throws the type mismatch
    }
}
