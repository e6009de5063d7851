/// `data_processing_options` (+ `_country`, `_state`): Meta's Limited Data Use flag for US
/// state privacy laws.
///
/// Unlike other fields, an empty `options` list IS sent: Meta reads `[]` as "explicitly not
/// LDU", which differs from not saying anything. Meta's rule "if you set a country, you must also
/// set a state" is checked by `CAPIEventValidator`.
public struct CAPIDataProcessingOptions: Sendable, Equatable, Hashable {
    /// `["LDU"]` or `[]`.
    public var options: [String]
    /// `1` = United States, `0` = let Meta geolocate from the IP.
    public var country: Int?
    /// `1000` = California, `0` = let Meta geolocate from the IP.
    public var state: Int?

    public init(options: [String], country: Int? = nil, state: Int? = nil) {
        self.options = options
        self.country = country
        self.state = state
    }

    /// Explicitly not Limited Data Use.
    public static let notLimited = CAPIDataProcessingOptions(options: [])

    /// Limited Data Use; with the defaults (0, 0) Meta geolocates the person from the IP.
    public static func limitedDataUse(country: Int = 0, state: Int = 0) -> CAPIDataProcessingOptions {
        CAPIDataProcessingOptions(options: ["LDU"], country: country, state: state)
    }
}
