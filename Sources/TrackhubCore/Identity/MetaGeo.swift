/// Lookups over the generated ISO 3166 tables (`MetaCountryTable`, `MetaRegionTable`),
/// parsed once on first use. Keys are `MetaText.folded` strings.
enum MetaGeo {
    /// All ISO 3166-1 alpha-2 codes, lowercase.
    static let alpha2: Set<String> = Set(countryRows.map(\.alpha2))

    /// alpha-3 ("bra") -> alpha-2 ("br").
    static let alpha2ByAlpha3: [String: String] = Dictionary(
        countryRows.map { ($0.alpha3, $0.alpha2) }, uniquingKeysWith: { first, _ in first })

    /// Folded country name ("brasil", "unitedstates") -> alpha-2.
    static let alpha2ByName: [String: String] = Dictionary(
        countryRows.flatMap { row in row.names.map { ($0, row.alpha2) } }, uniquingKeysWith: { first, _ in first })

    /// alpha-2 ("us") -> its country calling code ("1"), from `MetaCallingCodeTable`.
    static let callingCodeByAlpha2: [String: String] = Dictionary(
        MetaCallingCodeTable.rows.split(separator: "\n").compactMap { line in
            let fields = line.split(separator: " ")
            return fields.count == 2 ? (String(fields[0]), String(fields[1])) : nil
        },
        uniquingKeysWith: { first, _ in first })

    /// Per country (alpha-2), folded subdivision name -> 2-letter code, and the set of codes.
    static let regions: [String: (byName: [String: String], codes: Set<String>)] = [
        "br": parseRegions(MetaRegionTable.brazil),
        "us": parseRegions(MetaRegionTable.unitedStates),
    ]

    private struct CountryRow {
        var alpha2: String
        var alpha3: String
        var names: [String]
    }

    private static let countryRows: [CountryRow] = MetaCountryTable.rows
        .split(separator: "\n")
        .compactMap { line in
            let fields = line.split(separator: "|").map(String.init)
            guard fields.count >= 2 else { return nil }
            return CountryRow(alpha2: fields[0], alpha3: fields[1], names: Array(fields.dropFirst(2)))
        }

    private static func parseRegions(_ table: String) -> (byName: [String: String], codes: Set<String>) {
        var byName: [String: String] = [:]
        var codes = Set<String>()
        for line in table.split(separator: "\n") {
            let fields = line.split(separator: "|").map(String.init)
            guard fields.count == 2 else { continue }
            codes.insert(fields[0])
            byName[fields[1]] = fields[0]
        }
        return (byName, codes)
    }
}
