/// How long one tenant's data is kept (issue 18, item 1), from `tenants[].retention` in the
/// configuration file; every period not set there takes its documented default
/// (docs/PRIVACY.md). `dispatchd retention run` applies it every day.
///
/// Counts and aggregates are not governed by it: the hourly and daily rollups (`analytics_hourly`, `analytics_daily`) are
/// kept forever and never touched by expiry, so the dashboard's numbers outlive the rows.
public struct RetentionPolicy: Sendable, Equatable {
    /// Raw webhook bodies (`webhook_inbox`, sealed; they hold the buyer's clear data): after
    /// this, processed ones are deleted (a parser fix can no longer be replayed over them).
    public var webhookBodyDays: Int
    /// `user_data` in ledger payloads (hashed identifiers, IP, user agent): after this, removed
    /// through the ledger's audited redaction path; the row and its outcome stay.
    public var ledgerPersonalDays: Int
    /// Clicks and page events: after this, deleted; those a sale is matched to are anonymised
    /// instead (the attribution stays, the IP, user agent, hashes and cookies go).
    public var touchpointDays: Int
    /// Dead letters (they hold the whole event).
    public var deadLetterDays: Int
    /// Dedupe keys: never shorter than ``minimumDedupeDays``.
    public var dedupeDays: Int
    /// The ledger's rows themselves (after their personal fields went): whole monthly
    /// partitions are dropped once every tenant's period is past; a tenant with a shorter one
    /// has its rows deleted in batches.
    public var ledgerDays: Int

    public init(webhookBodyDays: Int = 90, ledgerPersonalDays: Int = 30, touchpointDays: Int = 180, deadLetterDays: Int = 30,
                dedupeDays: Int = 30, ledgerDays: Int = 395) {
        self.webhookBodyDays = webhookBodyDays
        self.ledgerPersonalDays = ledgerPersonalDays
        self.touchpointDays = touchpointDays
        self.deadLetterDays = deadLetterDays
        self.dedupeDays = dedupeDays
        self.ledgerDays = ledgerDays
    }

    public static let `default` = RetentionPolicy()

    /// What dedupe needs: Meta refuses events older than 7 days, and an event is retried or
    /// parked at most until then — so a key registered for an event is useless to a redelivery
    /// after 7 + 7 days (the event itself would be refused as expired). Shorter would let a
    /// redelivered event through inside that window.
    public static let minimumDedupeDays = Int(MetaLimits.meta.eventMaxAge.components.seconds / 86_400) * 2

    /// The longest period accepted for any field (ten years).
    public static let maximumDays = 3650

    /// The periods by their configuration-file names, in the order the docs list them.
    public enum Field: String, CaseIterable, Sendable {
        case webhookBodyDays = "webhook_body_days"
        case ledgerPersonalDays = "ledger_personal_days"
        case touchpointDays = "touchpoint_days"
        case deadLetterDays = "dead_letter_days"
        case dedupeDays = "dedupe_days"
        case ledgerDays = "ledger_days"

        public var keyPath: WritableKeyPath<RetentionPolicy, Int> {
            switch self {
            case .webhookBodyDays: \.webhookBodyDays
            case .ledgerPersonalDays: \.ledgerPersonalDays
            case .touchpointDays: \.touchpointDays
            case .deadLetterDays: \.deadLetterDays
            case .dedupeDays: \.dedupeDays
            case .ledgerDays: \.ledgerDays
            }
        }
    }

    public subscript(field: Field) -> Int {
        get { self[keyPath: field.keyPath] }
        set { self[keyPath: field.keyPath] = newValue }
    }

    /// Why this policy cannot be applied, per field (empty when it can): each period within
    /// 1…``maximumDays``; dedupe keys at least ``minimumDedupeDays``; the ledger kept at least
    /// as long as dedupe keys (a redelivery is recognised as sent through it); touchpoints kept
    /// at least the tenant's attribution window (a sale inside the window must find its click).
    public func problems(attributionWindowDays: Int) -> [(field: Field, message: String)] {
        var out: [(Field, String)] = []
        for field in Field.allCases where !(1...Self.maximumDays).contains(self[field]) {
            out.append((field, "\(self[field]) must be between 1 and \(Self.maximumDays) days"))
        }
        if dedupeDays < Self.minimumDedupeDays {
            out.append((.dedupeDays, "\(dedupeDays) is shorter than what dedupe needs: at least \(Self.minimumDedupeDays) days "
                + "(Meta's 7-day event window plus the 7 days an event can wait in retries or parked)"))
        }
        if ledgerDays < dedupeDays {
            out.append((.ledgerDays, "\(ledgerDays) is shorter than dedupe_days (\(dedupeDays)): the ledger tells a redelivery it was sent"))
        }
        if touchpointDays < attributionWindowDays {
            out.append((.touchpointDays,
                        "\(touchpointDays) is shorter than the attribution window (\(attributionWindowDays) days): a sale inside it could not find its click"))
        }
        return out
    }

    /// The periods set explicitly (`tenants.retention`, jsonb): only those, so a tenant that
    /// set nothing follows the documented defaults, also when a later version changes them.
    public static func storedJSON(_ overrides: [Field: Int]) -> String {
        var w = JSONWriter(profile: .stored)
        w.beginObject()
        for field in Field.allCases { if let days = overrides[field] { w.key(field.rawValue); w.int(days) } }
        w.endObject()
        return w.text
    }

    /// The policy a stored `tenants.retention` describes: defaults for what it does not set;
    /// nil when it is not an object of whole numbers (then the caller refuses to expire
    /// anything of that tenant rather than guess).
    public static func fromStored(_ json: String) -> RetentionPolicy? {
        guard let members = JSONValue.parse(json)?.objectMembers else { return nil }
        var policy = RetentionPolicy.default
        for (key, value) in members {
            guard let field = Field(rawValue: key), case .number(let text) = value, let days = Int(text) else { return nil }
            policy[field] = days
        }
        return policy
    }
}
