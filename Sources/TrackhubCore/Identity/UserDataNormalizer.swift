public import Foundation

/// Turns `RawUserData` into `HashedUserData`: normalizes each field the way Meta's docs
/// specify (see `MetaNormalize` and docs/NORMALIZATION.md), drops what is unusable and hashes
/// the rest with SHA-256.
///
/// A value that already is a SHA-256 hex digest (64 hex characters after trimming and
/// lowercasing) is passed through unchanged, never hashed twice. The normalizer is a value
/// type without state: build one per tenant configuration and share it freely.
public struct UserDataNormalizer: Sendable, Equatable {
    /// Country-dependent defaults, for input that does not say where it is from.
    public struct Configuration: Sendable, Equatable {
        /// Calling code prepended to numbers written without one (digits only, e.g. "55").
        /// Empty: numbers without a "+"/"00" prefix are taken to include their country code.
        public var defaultCountryCallingCode: String
        /// ISO 3166-1 alpha-2 (lowercase) of the country assumed when the input names none: it
        /// picks the state table, the ZIP rules and the date order, and is sent as `country`
        /// (Meta asks to always send it) unless `emitDefaultCountry` is false or the phone
        /// number's country code contradicts it. Empty: no default.
        public var defaultCountry: String
        /// Send Brazilian mobiles in both the 9-digit and legacy 8-digit forms.
        public var brazilMobileBothForms: Bool
        /// Send `defaultCountry` as `country` when the input has no country.
        public var emitDefaultCountry: Bool

        /// Values are cleaned: the calling code keeps digits only ("+55" -> "55"); the country
        /// goes through `MetaNormalize.country` ("Brasil" -> "br") and is empty when unknown.
        public init(
            defaultCountryCallingCode: String = "55", defaultCountry: String = "br",
            brazilMobileBothForms: Bool = true, emitDefaultCountry: Bool = true
        ) {
            self.defaultCountryCallingCode = MetaText.asciiDigits(defaultCountryCallingCode)
            self.defaultCountry = MetaNormalize.country(defaultCountry) ?? ""
            self.brazilMobileBothForms = brazilMobileBothForms
            self.emitDefaultCountry = emitDefaultCountry
        }
    }

    public var configuration: Configuration

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Shorthand for `init(configuration:)`.
    public init(
        defaultCountryCallingCode: String = "55", defaultCountry: String = "br", brazilMobileBothForms: Bool = true
    ) {
        self.init(configuration: Configuration(
            defaultCountryCallingCode: defaultCountryCallingCode, defaultCountry: defaultCountry,
            brazilMobileBothForms: brazilMobileBothForms))
    }

    /// Normalizes and hashes every field of `raw`. `now` bounds the date of birth (no future
    /// dates) and is injectable for tests.
    public func normalize(_ raw: RawUserData, now: Date = Date()) -> HashedUserData {
        let plain = normalizedValues(raw, now: now)
        func hashed(_ values: [String]) -> [String] {
            values.map { MetaHash.isSHA256Hex($0) ? $0 : MetaHash.sha256Hex($0) }
        }
        return HashedUserData(
            em: hashed(plain.em), ph: hashed(plain.ph), fn: hashed(plain.fn), ln: hashed(plain.ln),
            ct: hashed(plain.ct), st: hashed(plain.st), zp: hashed(plain.zp), country: hashed(plain.country),
            db: hashed(plain.db), ge: hashed(plain.ge), externalId: hashed(plain.externalId))
    }

    /// The normalized values before hashing (already-hashed inputs included as given), in a
    /// `HashedUserData` shape. Personal data in clear: internal, for tests only.
    func normalizedValues(_ raw: RawUserData, now: Date = Date()) -> HashedUserData {
        let config = configuration
        let explicitCountry = Self.passthrough(raw.country) ?? MetaNormalize.country(raw.country).map { [$0] } ?? []
        // A number without "+" is read in the buyer's own country's plan when the input says
        // which country (`(650) 555-1212` + US); the tenant's default only when it does not.
        let buyerCallingCode = explicitCountry.first.flatMap { MetaGeo.callingCodeByAlpha2[$0] }
        let phones = Self.passthrough(raw.phone) ?? MetaNormalize.phone(
            raw.phone, defaultCallingCode: buyerCallingCode ?? config.defaultCountryCallingCode,
            brazilMobileBothForms: config.brazilMobileBothForms)

        let countryGiven = raw.country.map { !$0.allSatisfy(\.isWhitespace) } ?? false
        // The country used to read state/zip/date: the one given, else the default unless the
        // phone's country code says the person is elsewhere.
        let context: String?
        if countryGiven {
            context = explicitCountry.first.flatMap { MetaHash.isSHA256Hex($0) ? nil : $0 }
        } else if !config.defaultCountry.isEmpty, phonesAgree(phones, withDefault: config) {
            context = config.defaultCountry
        } else {
            context = nil
        }
        let country: [String]
        if countryGiven {
            country = explicitCountry
        } else if config.emitDefaultCountry, let context {
            country = [context]
        } else {
            country = []
        }

        func one(_ value: String?, _ normalize: (String?) -> String?) -> [String] {
            if let hashed = Self.passthrough(value) { return hashed }
            return normalize(value).map { [$0] } ?? []
        }
        return HashedUserData(
            em: one(raw.email, MetaNormalize.email),
            ph: phones,
            fn: one(raw.firstName, MetaNormalize.name),
            ln: one(raw.lastName, MetaNormalize.name),
            ct: one(raw.city, MetaNormalize.city),
            st: one(raw.state) { MetaNormalize.state($0, country: context) },
            zp: one(raw.zip) { MetaNormalize.zip($0, country: context) },
            country: country,
            db: one(raw.dateOfBirth) { MetaNormalize.dateOfBirth($0, country: context, now: now) },
            ge: one(raw.gender, MetaNormalize.gender),
            externalId: one(raw.externalId, MetaNormalize.externalId))
    }

    /// `[digest]` when `value` already is a SHA-256 hex digest (after trim + lowercase).
    private static func passthrough(_ value: String?) -> [String]? {
        guard let value = MetaText.trimmedLowercase(value), MetaHash.isSHA256Hex(value) else { return nil }
        return [value]
    }

    /// False only when there are usable phone numbers and none has the default calling code.
    private func phonesAgree(_ phones: [String], withDefault config: Configuration) -> Bool {
        let plain = phones.filter { !MetaHash.isSHA256Hex($0) }
        guard !plain.isEmpty, !config.defaultCountryCallingCode.isEmpty else { return true }
        return plain.contains { $0.hasPrefix(config.defaultCountryCallingCode) }
    }
}
