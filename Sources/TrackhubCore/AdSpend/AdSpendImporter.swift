public import Foundation
public import Logging
import Metrics

/// Imports ad spend from Meta's insights API into `ad_spend` — the shell around the pure
/// pieces: ``AdSpendPlan`` decides what to read and replace, ``AdInsightsPage`` reads each page,
/// ``AdSpendFailure`` decides what an error means; this fetches (``AdInsightsSource``, off the
/// cooperative pool), and records (``AdAccountStore``, on a ``PostgresPool`` thread).
///
/// One account at a time: every level's pages are read first, and only when all of them were
/// read are the account's days replaced, in one transaction with `last_synced_at`. A failure on
/// any page writes nothing but `last_error`: the spend imported before stays as it was.
public struct AdSpendImporter: Sendable {
    public struct Configuration: Sendable {
        /// `https://graph.facebook.com` (tests: a loopback fake, see ``OutboundURLRule``).
        public var graphBaseURL: String
        public var graphVersion: String
        /// Days read again on every import (today included): Meta revises recent days.
        public var days: Int
        /// Whose "today" ends the range: Meta's days are the ad account's; Brazilian sellers'
        /// accounts are on Brasília time (``AdSpendStore/accountTimeZone``, which the reads use too).
        public var timeZone: TimeZone

        public init(graphBaseURL: String, graphVersion: String, days: Int = 3,
                    timeZone: TimeZone = TimeZone(identifier: AdSpendStore.accountTimeZone) ?? TimeZone(secondsFromGMT: -3 * 3600)!) {
            self.graphBaseURL = graphBaseURL
            self.graphVersion = graphVersion
            self.days = days
            self.timeZone = timeZone
        }
    }

    let configuration: Configuration
    let source: any AdInsightsSource
    let postgres: PostgresPool
    let keys: KeyRing
    let logger: Logger

    public init(configuration: Configuration, source: any AdInsightsSource, postgres: PostgresPool, keys: KeyRing, logger: Logger) {
        self.configuration = configuration
        self.source = source
        self.postgres = postgres
        self.keys = keys
        self.logger = logger
    }

    /// The accounts (of `tenant`, when given), as stored now.
    public func accounts(tenant: String? = nil) async throws -> [AdAccount] {
        let keys = self.keys
        return try await postgres.withConnection { try AdAccountStore.load(tenant: tenant, keys: keys, connection: $0) }
    }

    /// Imports every enabled account (of `tenant`, when given) once, in order. Code 4 (the
    /// application's own limit) stops the round: the accounts after it would be refused too.
    public func importAll(tenant: String? = nil, now: Date = Date()) async throws -> [AdSpendResult] {
        var results: [AdSpendResult] = []
        for account in try await accounts(tenant: tenant) {
            let result = await importAccount(account, now: now)
            results.append(result)
            if case .failed(let f) = result.outcome, f.appWide { break }
        }
        return results
    }

    /// Imports one account: skipped when disabled or when its token is the one Meta refused
    /// last; otherwise fetched, then recorded. `mayWrite` is asked just before the write (the
    /// service checks it still holds its lease); false writes nothing.
    public func importAccount(_ account: AdAccount, now: Date = Date(),
                              mayWrite: @Sendable () async -> Bool = { true }) async -> AdSpendResult {
        let result: AdSpendResult
        if !account.enabled {
            result = AdSpendResult(tenant: account.tenant, account: account.id, outcome: .skipped(reason: "disabled"))
        } else if let token = account.token, AdSpendFailure.refused(token: token, lastError: account.lastError) {
            result = AdSpendResult(tenant: account.tenant, account: account.id,
                                   outcome: .skipped(reason: "Meta refused this token; waiting for a new one"))
        } else {
            result = await fetchAndRecord(account, now: now, mayWrite: mayWrite)
        }
        Counter(label: "trackhub_adspend_imports_total", dimensions: [("outcome", result.label)]).increment()
        switch result.outcome {
        case .imported(let rows, let days):
            logger.info("ad spend imported", metadata: [
                LogKey.tenant: "\(account.tenant)", LogKey.adAccount: "\(account.id)",
                LogKey.rows: "\(rows.values.reduce(0, +))", LogKey.days: "\(days.first ?? "")..\(days.last ?? "")",
            ])
        case .skipped(let reason):
            logger.debug("ad spend import skipped", metadata: [
                LogKey.tenant: "\(account.tenant)", LogKey.adAccount: "\(account.id)", LogKey.reason: "\(reason)",
            ])
        case .failed(let f):
            logger.warning("ad spend import failed", metadata: [
                LogKey.tenant: "\(account.tenant)", LogKey.adAccount: "\(account.id)", LogKey.failureClass: "\(f.kind.rawValue)",
                LogKey.metaCode: "\(f.code.map(String.init) ?? "-")", LogKey.error: "\(f.message)",
            ])
        }
        return result
    }

    private func fetchAndRecord(_ account: AdAccount, now: Date, mayWrite: @Sendable () async -> Bool) async -> AdSpendResult {
        let tenant = account.tenant, id = account.id
        let plan = AdSpendPlan(account: id, today: AdSpendPlan.day(of: now, timeZone: configuration.timeZone), count: configuration.days)
        let fetched: Result<[AdSpendReplacement], AdSpendFailure>
        if let token = account.token, !token.isEmpty {
            fetched = await fetch(plan, token: token)
        } else {
            fetched = .failure(.noToken(account.tokenSource))
        }
        do {
            switch fetched {
            case .success(let replacements):
                guard await mayWrite() else {
                    return AdSpendResult(tenant: tenant, account: id, outcome: .skipped(reason: "lease lost before writing"))
                }
                try await postgres.withConnection {
                    try AdAccountStore.recordImport(tenant: tenant, account: id, replacements: replacements, connection: $0)
                }
                var rows: [AdSpendStore.Level: Int] = [:]
                for r in replacements { rows[r.level, default: 0] += r.rows.count }
                Counter(label: "trackhub_adspend_rows_written_total").increment(by: rows.values.reduce(0, +))
                return AdSpendResult(tenant: tenant, account: id, outcome: .imported(rows: rows, days: plan.days))
            case .failure(let failure):
                try await postgres.withConnection {
                    try AdAccountStore.recordFailure(tenant: tenant, account: id, error: failure.message, connection: $0)
                }
                return AdSpendResult(tenant: tenant, account: id, outcome: .failed(failure))
            }
        } catch {
            let failure = AdSpendFailure(kind: .transient, message: "The import could not be recorded: \(error)")
            return AdSpendResult(tenant: tenant, account: id, outcome: .failed(failure))
        }
    }

    /// Reads every page of every level of `plan`; the replacements, or the first failure.
    public func fetch(_ plan: AdSpendPlan, token: String) async -> Result<[AdSpendReplacement], AdSpendFailure> {
        var replacements: [AdSpendReplacement] = []
        for level in plan.levels {
            var rows: [AdInsightsRow] = []
            var url: String? = plan.firstPageURL(graphBaseURL: configuration.graphBaseURL, version: configuration.graphVersion, level: level)
            var pages = 0
            while let current = url {
                pages += 1
                guard pages <= AdSpendPlan.maxPages else {
                    return .failure(.unreadable(.init("more than \(AdSpendPlan.maxPages) pages for the \(level.rawValue) level")))
                }
                let response = await source.page(url: current, token: token)
                Metrics.Timer(label: "trackhub_adspend_request_duration_seconds").recordNanoseconds(
                    response.latency.components.seconds * 1_000_000_000 + response.latency.components.attoseconds / 1_000_000_000)
                switch MetaResponseClassifier.classify(response.outcome) {
                case .failed(let failure):
                    Counter(label: "trackhub_adspend_requests_total", dimensions: [("outcome", failure.class.rawValue)]).increment()
                    return .failure(.of(failure, token: token, retryAfter: response.throttleHint))
                case .accepted:
                    Counter(label: "trackhub_adspend_requests_total", dimensions: [("outcome", "ok")]).increment()
                }
                guard case .response(_, let body) = response.outcome else { return .failure(.unreadable(.init("no body"))) }
                let page: AdInsightsPage
                do { page = try AdInsightsPage.parse(Array(body), level: level) } catch { return .failure(.unreadable(error)) }
                rows += page.rows
                if let next = page.next {
                    guard AdSpendPlan.mayFollow(next, graphBaseURL: configuration.graphBaseURL) else {
                        return .failure(.unreadable(.init("paging.next points away from the Graph API; not followed with the token")))
                    }
                    guard next != current else { return .failure(.unreadable(.init("paging.next repeats the page just read"))) }
                }
                url = page.next
            }
            do { replacements.append(try plan.replacement(level: level, rows: rows)) } catch { return .failure(.unreadable(error)) }
        }
        return .success(replacements)
    }
}
