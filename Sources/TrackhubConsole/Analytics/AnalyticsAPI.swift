import Foundation
import Hummingbird
import HTTPTypes
import NIOCore
import TrackhubCore

/// The read API (`/api/v1/…`, docs/openapi.yaml): the numbers of one tenant as JSON, for a
/// seller's scripts and for the console's own pages. Two ways in:
///
/// - `Authorization: Bearer thk_…`: a per-tenant key (``APIKeyStore``); the key names the
///   tenant, and asking for another one answers 404 (whether it exists is not told);
/// - a console session: `?tenant=` required, and only a tenant the user may see (else 404).
///
/// Nothing else: 401 with `WWW-Authenticate: Bearer`. Errors are problem+json.
struct AnalyticsAPI: ConsolePage {
    let deps: ConsoleDependencies

    init(_ deps: ConsoleDependencies) { self.deps = deps }

    /// The longest period one question may cover.
    static let maxPeriod: TimeInterval = 400 * 86_400
    /// The default period: the last 7 days up to the current hour's end.
    static let defaultPeriod: TimeInterval = 7 * 86_400

    func register(on router: Router<ConsoleRequestContext>) {
        router.get("/api/v1/summary") { request, context in
            try await answer(request, context) { q, c in
                let totals = try AnalyticsStore().groups(tenant: q.tenant, from: q.from, to: q.to, connection: c).first?.totals ?? AnalyticsTotals()
                return AnalyticsJSON.summary(tenant: q.tenant, from: q.from, to: q.to, totals: totals)
            }
        }
        router.get("/api/v1/timeseries") { request, context in
            try await answer(request, context) { q, c in
                AnalyticsJSON.series(tenant: q.tenant, from: q.from, to: q.to, bucket: q.bucket,
                                     groups: try AnalyticsStore().groups(tenant: q.tenant, from: q.from, to: q.to, bucket: q.bucket, connection: c))
            }
        }
        router.get("/api/v1/breakdown") { request, context in
            try await answer(request, context) { q, c in
                guard let dimension = q.dimension else { throw APIProblem.badRequest("by: one of \(RollupDimension.allCases.map(\.rawValue).joined(separator: ", "))") }
                // Campaigns, ad sets and ads carry Meta's spend and names (docs/ANALYTICS.md: the UTM convention).
                let level = AdSpendStore.level(of: dimension)
                return AnalyticsJSON.breakdown(tenant: q.tenant, from: q.from, to: q.to, by: dimension,
                                               groups: try AnalyticsStore().groups(tenant: q.tenant, from: q.from, to: q.to, by: dimension, connection: c),
                                               spend: try level.map { try AdSpendStore().spend(tenant: q.tenant, level: $0, from: q.from, to: q.to, connection: c) },
                                               names: try level.map { try AdSpendStore().names(tenant: q.tenant, level: $0, from: q.from, to: q.to, connection: c) })
            }
        }
        router.get("/api/v1/top-links") { request, context in
            try await answer(request, context) { q, c in
                let groups = try AnalyticsStore().groups(tenant: q.tenant, from: q.from, to: q.to, by: .link, connection: c)
                let top = groups.filter { !($0.value ?? "").isEmpty }
                    .sorted { ($0.totals.clicks, $0.value ?? "") > ($1.totals.clicks, $1.value ?? "") }
                return AnalyticsJSON.breakdown(tenant: q.tenant, from: q.from, to: q.to, by: .link, groups: Array(top.prefix(q.limit)))
            }
        }
        router.get("/api/v1/match-quality") { request, context in
            try await answer(request, context) { q, c in
                AnalyticsJSON.matchQuality(tenant: q.tenant, from: q.from, to: q.to, bucket: q.bucket,
                                           groups: try AnalyticsStore().groups(tenant: q.tenant, from: q.from, to: q.to, bucket: q.bucket, connection: c))
            }
        }
        router.get("/api/v1/reconcile") { request, context in
            try await answer(request, context) { q, c in
                guard let dayText = q.day, let day = AnalyticsPeriod.day(dayText) else { throw APIProblem.badRequest("day: YYYY-MM-DD") }
                return try AnalyticsStore().reconcile(tenant: q.tenant, day: day, connection: c).json()
            }
        }
    }

    /// The parameters every endpoint reads, checked.
    struct Question: Sendable {
        var tenant: String
        var from: Date
        var to: Date
        var bucket: AnalyticsBucket
        var dimension: RollupDimension?
        var limit: Int
        var day: String?
    }

    /// Authenticates, reads the question, runs `body` on a pool connection, answers JSON (or
    /// problem+json).
    private func answer(_ request: Request, _ context: ConsoleRequestContext,
                        _ body: @escaping @Sendable (Question, PostgresConnection) throws -> String) async throws -> Response {
        do {
            let tenant = try await tenant(request, context)
            let question = try Self.question(request.uri.queryParameters, tenant: tenant, now: Date())
            let json = try await deps.store.pool.withConnection { c in try body(question, c) }
            return Self.json(json, status: .ok)
        } catch let problem as APIProblem {
            return problem.response
        }
    }

    /// The tenant the caller may read, or the problem that says why not.
    private func tenant(_ request: Request, _ context: ConsoleRequestContext) async throws -> String {
        let asked = request.uri.queryParameters["tenant"].map(String.init)
        if let authorization = request.headers[.authorization] {
            guard authorization.hasPrefix("Bearer ") else { throw APIProblem.unauthorized }
            let key = String(authorization.dropFirst("Bearer ".count)).trimmingCharacters(in: .whitespaces)
            guard let tenant = try await deps.store.pool.withConnection({ c in try APIKeyStore().tenant(forKey: key, connection: c) }) else {
                throw APIProblem.unauthorized
            }
            if let asked, asked != tenant { throw APIProblem.notFound }
            return tenant
        }
        guard let user = context.session?.user else { throw APIProblem.unauthorized }
        guard let asked, !asked.isEmpty else { throw APIProblem.badRequest("tenant: required with a console session") }
        guard user.canSee(tenant: asked) else { throw APIProblem.notFound }
        return asked
    }

    static func question(_ query: Parameters, tenant: String, now: Date) throws -> Question {
        func text(_ name: String) -> String? { query[Substring(name)].map(String.init) }
        let hourEnd = Date(timeIntervalSince1970: (now.timeIntervalSince1970 / 3600).rounded(.up) * 3600)
        let to = try text("to").map { try instant($0, "to") } ?? hourEnd
        let from = try text("from").map { try instant($0, "from") } ?? to - defaultPeriod
        guard from < to else { throw APIProblem.badRequest("from must be before to") }
        guard to.timeIntervalSince(from) <= maxPeriod else { throw APIProblem.badRequest("a period of at most 400 days") }
        var bucket = AnalyticsBucket.day
        if let b = text("interval") {
            guard let parsed = AnalyticsBucket(rawValue: b) else { throw APIProblem.badRequest("interval: hour or day") }
            bucket = parsed
        }
        var dimension: RollupDimension?
        if let by = text("by") {
            guard let parsed = RollupDimension(rawValue: by) else {
                throw APIProblem.badRequest("by: one of \(RollupDimension.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            dimension = parsed
        }
        var limit = 10
        if let l = text("limit") {
            guard let parsed = Int(l), (1...100).contains(parsed) else { throw APIProblem.badRequest("limit: 1 to 100") }
            limit = parsed
        }
        return Question(tenant: tenant, from: from, to: to, bucket: bucket, dimension: dimension, limit: limit, day: text("day"))
    }

    static func instant(_ text: String, _ name: String) throws -> Date {
        do { return try AnalyticsPeriod.parseInstant(text, option: name) } catch { throw APIProblem.badRequest("\(name): YYYY-MM-DD or an ISO 8601 time") }
    }

    static func json(_ body: String, status: HTTPResponse.Status) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
