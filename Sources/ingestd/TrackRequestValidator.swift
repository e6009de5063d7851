import Foundation
import TrackhubCore

/// Validates a `/track/{event}` JSON body field by field, so a 400 names every bad field at
/// once instead of the first decoding error.
struct TrackRequestValidator {
    struct Parsed {
        /// nil only for a server call that left it out (its key names the tenant).
        var tenant: String?
        var track: Envelope.Track
        var user: RawUserData?
        /// What a server passed as the end user's own (`client_ip_address`, `client_user_agent`,
        /// `fbc`, `fbp`, `page_url`); a browser's body never sets IP or user agent.
        var explicit: EndUserContext
    }

    /// `cookieClickID` is the `th_cid` cookie `/go` set (when the browser sent it and it is a
    /// well-formed click id): it stands in for a body without `click_id`, so a page that posts
    /// to `/track` itself still ties its events to the click.
    ///
    /// A ``EventReporter/server`` body (`/s2s`) is the same, plus the end user's own
    /// `client_ip_address` and `client_user_agent` (Meta's names) and, for a bot, the
    /// `telegram_user_id` the event is about (its click is then found through that user's
    /// `/start`); its `tenant` is optional because the key names it.
    static func validate(event: String, body: [UInt8], cookieClickID: String? = nil,
                         reporter: EventReporter = .browser) -> Result<Parsed, Problem> {
        guard let object = JSONValue.parse(body, strings: .validated)?.objectMembers else {
            return .failure(.validation([.init(field: "body", reason: "must be a JSON object")]))
        }
        var errors: [Problem.FieldError] = []
        func string(_ key: String, max: Int, pattern: ((String) -> Bool)? = nil, reason: String = "") -> String? {
            guard let raw = object[key], !raw.isNull else { return nil }
            guard case .string(let s) = raw else { errors.append(.init(field: key, reason: "must be a string")); return nil }
            if s.isEmpty { return nil }
            if s.utf8.count > max { errors.append(.init(field: key, reason: "must be at most \(max) bytes")); return nil }
            if let pattern, !pattern(s) { errors.append(.init(field: key, reason: reason)); return nil }
            return s
        }

        let tenant = string("tenant", max: 64, pattern: isIdentifier, reason: "must be a tenant id")
        if tenant == nil && reporter == .browser && !errors.contains(where: { $0.field == "tenant" }) {
            errors.append(.init(field: "tenant", reason: "is required"))
        }
        var clickID = string("click_id", max: 64, pattern: isToken, reason: "must be 1-64 letters, digits, _ or - (the click id from /go)")
        if clickID == nil, !errors.contains(where: { $0.field == "click_id" }), let cookie = cookieClickID, ClickID.isValid(cookie) {
            clickID = cookie
        }
        let sessionID = string("session_id", max: 128, pattern: isPrintable, reason: "must be printable ASCII")
        let eventID = string("event_id", max: 128, pattern: isPrintable, reason: "must be printable ASCII")
        let pageURL = string("page_url", max: 2048, pattern: isHTTPURL, reason: "must be an absolute http(s) URL")
        let referrer = string("referrer", max: 2048, pattern: isHTTPURL, reason: "must be an absolute http(s) URL")
        let fbp = string("fbp", max: 256, pattern: FBC.isValidCookie, reason: "must be a _fbp value (fb.1.<ms>.<random>)")
        let fbc = string("fbc", max: 1024, pattern: FBC.isValidCookie, reason: "must be a _fbc value (fb.1.<ms>.<fbclid>)")
        let currency = string("currency", max: 3, pattern: { $0.count == 3 && $0.allSatisfy(\.isLetter) }, reason: "must be an ISO 4217 code")
        var customName: String?
        if event == "custom" {
            customName = string("name", max: 50, pattern: isIdentifier, reason: "must be letters, digits, _ or -")
            if customName == nil && !errors.contains(where: { $0.field == "name" }) {
                errors.append(.init(field: "name", reason: "is required for custom events"))
            }
        }

        var explicitIP: String?
        var explicitUserAgent: String?
        var telegramUser: String?
        if reporter == .server {
            explicitIP = string("client_ip_address", max: 64, pattern: { IPAddress($0) != nil },
                                reason: "must be the end user's IPv4 or IPv6 address")
                .flatMap { IPAddress($0) }.map(\.description)
            explicitUserAgent = string("client_user_agent", max: 512, pattern: isPrintable,
                                       reason: "must be the end user's browser user agent (printable ASCII, at most 512 bytes)")
            if let raw = object["telegram_user_id"], !raw.isNull {
                // Hashed here: the Telegram id itself never reaches a stream or a table.
                if let id = telegramUserID(raw) { telegramUser = TelegramUserIdentity.externalID(userID: id) }
                else { errors.append(.init(field: "telegram_user_id", reason: "must be the Telegram user's numeric id (message.from.id), a positive integer")) }
            }
        }

        var consent = true
        if let raw = object["consent"], !raw.isNull {
            if case .bool(let b) = raw { consent = b } else { errors.append(.init(field: "consent", reason: "must be true or false")) }
        }
        var value: Double?
        if let raw = object["value"], !raw.isNull {
            if case .number(let text) = raw, let n = Double(text), n.isFinite, n >= 0 { value = n }
            else { errors.append(.init(field: "value", reason: "must be a non-negative number")) }
        }
        var contentIDs: [String]?
        if let raw = object["content_ids"], !raw.isNull {
            if let list = raw.stringElements, list.count <= 50, list.allSatisfy(isContentID) { contentIDs = list }
            else { errors.append(.init(field: "content_ids", reason: "must be up to 50 product ids of 1-128 bytes without control characters")) }
        }
        var user: RawUserData?
        if let raw = object["user"], !raw.isNull {
            if let u = raw.objectMembers {
                user = parseUser(u, errors: &errors)
            } else {
                errors.append(.init(field: "user", reason: "must be an object"))
            }
        }
        if errors.isEmpty && clickID == nil && sessionID == nil && fbp == nil && user == nil && telegramUser == nil {
            let names = reporter == .server ? "click_id, telegram_user_id, session_id, fbp or user" : "click_id, session_id, fbp or user"
            errors.append(.init(field: "click_id", reason: "at least one of \(names) is required"))
        }
        guard errors.isEmpty else { return .failure(.validation(errors)) }
        let track = Envelope.Track(event: event, customName: customName, clickId: clickID, sessionId: sessionID,
                                   eventId: eventID, pageUrl: pageURL, referrer: referrer, fbp: fbp, fbc: fbc,
                                   consent: consent, value: value, currency: currency?.uppercased(), contentIds: contentIDs,
                                   reporter: reporter == .server ? .server : nil, telegramUser: telegramUser)
        let explicit = EndUserContext(ip: explicitIP, userAgent: explicitUserAgent, fbc: fbc, fbp: fbp, page: pageURL)
        return .success(Parsed(tenant: tenant, track: track, user: user, explicit: explicit))
    }

    private static var userFields: [(String, WritableKeyPath<RawUserData, String?>)] { [
        ("email", \.email), ("phone", \.phone), ("first_name", \.firstName), ("last_name", \.lastName),
        ("city", \.city), ("state", \.state), ("zip", \.zip), ("country", \.country),
        ("date_of_birth", \.dateOfBirth), ("gender", \.gender), ("external_id", \.externalId),
    ] }

    private static func parseUser(_ u: [String: JSONValue], errors: inout [Problem.FieldError]) -> RawUserData? {
        var user = RawUserData()
        var any = false
        for (key, path) in userFields {
            guard let raw = u[key], !raw.isNull else { continue }
            guard case .string(let s) = raw, s.utf8.count <= 256 else {
                errors.append(.init(field: "user.\(key)", reason: "must be a string of at most 256 bytes"))
                continue
            }
            if s.isEmpty { continue }
            // Sealed, then normalised and hashed by dispatchd: a NUL is replaced, not refused
            // (a lead is not lost over it).
            user[keyPath: path] = StorableText.storable(s)
            any = true
        }
        // Values are not judged here: a pre-hashed e-mail (64 hex) passes through, and a value
        // that cannot be normalized drops that key only, counted by dispatchd
        // (`UserDataDrops`, docs/NORMALIZATION.md). Only a wrong JSON type is a 400.
        return any ? user : nil
    }

    /// A Telegram user id as a bot has it (`message.from.id`): a JSON integer, or the same digits
    /// as a string (ids use up to 52 bits, which some JSON libraries only keep as text).
    static func telegramUserID(_ raw: JSONValue) -> Int64? {
        let text: String
        switch raw {
        case .number(let n): text = n
        case .string(let s): text = s
        default: return nil
        }
        guard !text.isEmpty, text.utf8.count <= 19, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              let id = Int64(text), id > 0 else { return nil }
        return id
    }

    static func isIdentifier(_ s: String) -> Bool {
        s.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x5F || $0 == 0x2D }
    }

    static func isToken(_ s: String) -> Bool { isIdentifier(s) }

    static func isPrintable(_ s: String) -> Bool { s.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F } }

    /// A product id as Meta's `content_ids` takes it (a SKU, a slug, a catalogue id): 1-128
    /// bytes with no control character (C0, DEL, C1) — what docs/openapi.yaml's pattern says.
    static func isContentID(_ s: String) -> Bool {
        guard !s.isEmpty, s.utf8.count <= 128 else { return false }
        return s.unicodeScalars.allSatisfy { c in c.value >= 0x20 && !(0x7F...0x9F).contains(c.value) }
    }

    static func isHTTPURL(_ s: String) -> Bool {
        guard isPrintable(s), let c = URLComponents(string: s), let scheme = c.scheme?.lowercased(),
              scheme == "http" || scheme == "https", let host = c.host, !host.isEmpty else { return false }
        return true
    }
}
