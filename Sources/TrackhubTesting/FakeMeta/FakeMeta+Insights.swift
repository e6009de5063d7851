import Foundation
import Synchronization

/// The Marketing API insights read, `GET /{version}/act_{id}/insights` (reference
/// console-alerts-telegram §2): as strict as the docs. A token is required (104); an expired
/// one is 190/463, one Graph could not have issued 190; a token that may not read the account
/// gets `(#200) … ads_read permission`; an account the fake was not seeded with is 100/33.
/// Parameters are checked (`level`, `time_increment=1`, `time_range` JSON, known `fields`,
/// `limit`); rows come back with metrics as strings, `account_currency`, `date_start` =
/// `date_stop`, and `paging.cursors` plus `paging.next` (on the same host) while more remain.
extension FakeMeta {
    /// Serves `account` (`act_…`) from now on.
    public func seedAdAccount(_ id: String, _ account: FakeMetaAdAccount) {
        state.withLock { $0.adAccounts[id] = account }
    }

    /// The largest page the fake returns, whatever `limit` asks (Meta caps pages too): tests set
    /// it small to exercise paging.
    public var insightsMaxPageSize: Int {
        get { state.withLock { $0.insightsMaxPageSize } }
        set { state.withLock { $0.insightsMaxPageSize = max(1, newValue) } }
    }

    /// Answers every insights read of `account` with this Graph error until cleared (nil):
    /// e.g. code 17 "User request limit reached", code 4 (the app's limit), 80000.
    public func failInsights(account: String, code: Int?, subcode: Int? = nil, status: Int = 400, message: String = "") {
        state.withLock { $0.insightsFailures[account] = code.map { FakeMetaInsightsFailure(code: $0, subcode: subcode, status: status, message: message) } }
    }

    /// Insights requests received for `account` (every page, whatever the answer).
    public func insightsRequests(account: String) -> Int {
        state.withLock { $0.insightsRequests[account] ?? 0 }
    }

    static let insightsFields: Set<String> = [
        "account_id", "account_name", "account_currency", "campaign_id", "campaign_name", "adset_id", "adset_name", "ad_id", "ad_name",
        "spend", "impressions", "clicks", "date_start", "date_stop", "reach", "inline_link_clicks",
    ]

    func readInsights(version: String, account: String, token: String?, query: [String: String], host: String) -> FakeMetaReply {
        let fbtraceID = FakeMetaReply.newTraceID()
        state.withLock { $0.insightsRequests[account, default: 0] += 1 }
        guard version.wholeMatch(of: /v[0-9]+\.[0-9]+/) != nil else {
            return .invalid("(#100) Unknown API version '\(version)' (fake expects e.g. v25.0)", fbtraceID: fbtraceID)
        }
        guard let token, !token.isEmpty else {
            return .graphError(status: 400, code: 104, message: "An access token is required to request this resource.", fbtraceID: fbtraceID)
        }
        let fingerprint = Self.tokenFingerprint(token)
        let (seeded, expired, failure, maxPage, known) = state.withLock { s in
            (s.adAccounts[account], s.expiredTokens.contains(fingerprint), s.insightsFailures[account], s.insightsMaxPageSize,
             Set(s.expectedTokens.values).union(s.adAccounts.values.flatMap(\.readerFingerprints)).contains(fingerprint))
        }
        if expired {
            return .graphError(status: 400, code: 190, subcode: 463,
                               message: "Error validating access token: Session has expired on Saturday, 05-Dec-26 10:00:00 PST. The current time is Sunday, 06-Dec-26 02:00:00 PST.",
                               fbtraceID: fbtraceID)
        }
        guard known else {
            return .graphError(status: 400, code: 190, message: "Invalid OAuth access token - Cannot parse access token", fbtraceID: fbtraceID)
        }
        guard account.wholeMatch(of: /act_[0-9]+/) != nil, let seeded else {
            return .graphError(
                status: 400, code: 100, subcode: 33,
                message: "Unsupported get request. Object with ID '\(account)' does not exist, cannot be loaded due to missing permissions, or does not support this operation.",
                fbtraceID: fbtraceID)
        }
        guard seeded.readerFingerprints.contains(fingerprint) else {
            return .graphError(status: 400, code: 200, message: "(#200) Ad account owner has NOT grant ads_management or ads_read permission",
                               fbtraceID: fbtraceID)
        }
        if let failure {
            return .graphError(status: failure.status, code: failure.code, subcode: failure.subcode,
                               message: failure.message.isEmpty ? "(#\(failure.code)) User request limit reached" : failure.message,
                               isTransient: [4, 17, 32, 613].contains(failure.code), fbtraceID: fbtraceID)
        }
        // Parameters, as strictly as the docs describe them.
        guard let levelText = query["level"], let level = FakeMetaInsightsRow.Level(rawValue: levelText) else {
            return .invalid("(#100) level must be one of the following values: campaign, adset, ad (the fake does not serve account)", fbtraceID: fbtraceID)
        }
        guard query["time_increment"] == "1" else {
            return .invalid("(#100) The fake serves daily insights only: time_increment=1", fbtraceID: fbtraceID)
        }
        guard let rangeText = query["time_range"], let range = FakeJSON.parse(rangeText),
              let since = range["since"]?.stringValue, let until = range["until"]?.stringValue,
              Self.isDay(since), Self.isDay(until), since <= until else {
            return .invalid(#"(#100) time_range must be {"since":"YYYY-MM-DD","until":"YYYY-MM-DD"} with since <= until"#, fbtraceID: fbtraceID)
        }
        let fields = (query["fields"] ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if let unknown = fields.first(where: { !Self.insightsFields.contains($0) }) {
            return .invalid("(#100) Tried accessing nonexisting field (\(unknown)) on node type (AdsInsights)", fbtraceID: fbtraceID)
        }
        var limit = 25
        if let text = query["limit"] {
            guard let n = Int(text), n > 0 else { return .invalid("(#100) Param limit must be a positive integer", fbtraceID: fbtraceID) }
            limit = n
        }
        limit = min(limit, maxPage)
        var offset = 0
        if let after = query["after"] {
            guard let n = Self.cursorOffset(after) else { return .invalid("(#100) Invalid cursor", fbtraceID: fbtraceID) }
            offset = n
        }

        let matching = seeded.rows
            .filter { $0.level == level && $0.day >= since && $0.day <= until }
            .sorted { ($0.day, $0.objectID) < ($1.day, $1.objectID) }
        let page = Array(matching.dropFirst(offset).prefix(limit))
        let data: [FakeJSON] = page.map { row in
            var o: [String: FakeJSON] = ["date_start": .string(row.day), "date_stop": .string(row.day)]
            for field in fields {
                switch field {
                case "account_id": o[field] = .string(String(account.dropFirst(4)))
                case "account_currency": o[field] = .string(seeded.currency)
                case "campaign_id": o[field] = .string(row.campaignID)
                case "campaign_name": o[field] = .string(row.campaignName)
                case "adset_id" where level != .campaign: o[field] = .string(row.adsetID)
                case "adset_name" where level != .campaign: o[field] = .string(row.adsetName)
                case "ad_id" where level == .ad: o[field] = .string(row.adID)
                case "ad_name" where level == .ad: o[field] = .string(row.adName)
                case "spend": o[field] = .string(row.spend)
                case "impressions": o[field] = .string(row.impressions)
                case "clicks": o[field] = .string(row.clicks)
                default: break
                }
            }
            return .object(o)
        }
        var paging: [String: FakeJSON] = [
            "cursors": .object(["before": .string(Self.cursor(offset)), "after": .string(Self.cursor(offset + page.count))]),
        ]
        if offset + page.count < matching.count {
            var next = query
            next["after"] = Self.cursor(offset + page.count)
            next["limit"] = String(limit)
            let text = next.sorted { $0.key < $1.key }
                .map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&")
            paging["next"] = .string("http://\(host)/\(version)/\(account)/insights?\(text)")
        }
        let body = FakeJSON.object(["data": .array(data), "paging": .object(paging)])
        return FakeMetaReply(status: 200, body: Array(body.jsonText.utf8))
    }

    static func isDay(_ s: String) -> Bool { s.wholeMatch(of: /[0-9]{4}-[0-9]{2}-[0-9]{2}/) != nil }

    /// Graph's cursors are opaque base64; the fake's hold the offset.
    static func cursor(_ offset: Int) -> String { Data("offset:\(offset)".utf8).base64EncodedString() }

    static func cursorOffset(_ cursor: String) -> Int? {
        guard let data = Data(base64Encoded: cursor), let text = String(data: data, encoding: .utf8), text.hasPrefix("offset:") else { return nil }
        return Int(text.dropFirst(7)).flatMap { $0 >= 0 ? $0 : nil }
    }
}
