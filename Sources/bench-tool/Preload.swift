import Foundation
import TrackhubCore

/// Writes valid envelopes straight into the ingest streams, as ingestd would have after
/// accepting them, so the dispatchd benchmark measures dispatchd alone:
/// - `--clicks N` clicks on link `--slug` (each becomes a PageView);
/// - `--pageviews N` `pageview` events and `--leads N` `lead` events (with a sealed full
///   user_data) from landing pages, each referring to one of the clicks;
/// - `--sales N` approved sales, alternately Hotmart and Kiwify, each carrying a click id: one
///   of this run's clicks, or one of the ids in `--sale-clicks FILE` (clicks stored earlier —
///   a sale usually comes long after its click).
/// `--click-ids-out FILE` writes the ids of the clicks generated, one per line.
/// Every envelope gets a fresh id, so runs never collide with earlier ones. XADDs are pipelined
/// in chunks of `--chunk`. Prints `{"clicks":…,"pageviews":…,"leads":…,"sales":…,"seconds":…}`.
enum Preload {
    static func run(arguments: [String]) throws {
        let o = try Options(arguments, allowed: ["redis-url", "prefix", "key-file", "tenant", "slug", "clicks", "pageviews",
                                                  "leads", "sales", "chunk", "click-ids-out", "sale-clicks"])
        guard let endpoint = RedisEndpoint(url: o.string("redis-url", default: "redis://127.0.0.1:6379/0")) else {
            throw Options.UsageError(description: "--redis-url is not a Redis URL")
        }
        let keys = try KeyRing.load(path: o.string("key-file", default: "/etc/trackhub/master.key"))
        let layout = StreamLayout(prefix: o.string("prefix", default: "th"))
        let tenant = o.string("tenant", default: "demo"), slug = o.string("slug", default: "demo")
        let clicks = try o.int("clicks", default: 100_000), pageviews = try o.int("pageviews", default: 80_000)
        let leads = try o.int("leads", default: 20_000), sales = try o.int("sales", default: 20_000)
        let chunk = max(1, try o.int("chunk", default: 1000))
        let saleClicks = try o.string("sale-clicks", default: "").isEmpty ? [] : String(
            contentsOfFile: o.string("sale-clicks", default: ""), encoding: .utf8).split(separator: "\n").map(String.init)
        guard clicks > 0 || (pageviews == 0 && leads == 0 && (sales == 0 || !saleClicks.isEmpty)) else {
            throw Options.UsageError(description: "page events and sales refer to clicks: --clicks (or --sale-clicks) must be given")
        }

        let started = ContinuousClock.now
        let redis = try RedisConnection(endpoint: endpoint, timeout: .seconds(30))
        defer { redis.close() }
        var writer = StreamWriter(redis: redis, chunk: chunk)
        let now = Date()
        var clickIDs: [String] = []
        clickIDs.reserveCapacity(clicks)
        for n in 0..<clicks {
            let id = ClickID.generate(now: now)
            clickIDs.append(id)
            try writer.add(layout.stream(.normal), Samples.click(id: id, n: n, tenant: tenant, slug: slug, now: now))
        }
        for n in 0..<pageviews {
            let e = Samples.track(event: "pageview", id: ClickID.generate(now: now), clickID: clickIDs[n % clicks], n: n,
                                  tenant: tenant, user: nil, now: now)
            try writer.add(layout.stream(PixelEventCatalog.priority(of: "pageview")!), e)
        }
        for n in 0..<leads {
            let id = ClickID.generate(now: now)
            let user = try keys.seal(JSONEncoder().encode(Samples.user(n)), for: .envelopeUser(tenant: tenant, envelope: id))
            let e = Samples.track(event: "lead", id: id, clickID: clickIDs[(n * 7) % clicks], n: n,
                                  tenant: tenant, user: user, now: now)
            try writer.add(layout.stream(PixelEventCatalog.priority(of: "lead")!), e)
        }
        let run = String(UInt32.random(in: 0...UInt32.max), radix: 36)
        for n in 0..<sales {
            let clickID = saleClicks.isEmpty ? clickIDs[(n * 13) % clicks] : saleClicks[n % saleClicks.count]
            let gateway: Gateway = n % 2 == 0 ? .hotmart : .kiwify
            let body = gateway == .hotmart
                ? Samples.hotmartBody(transaction: "HP\(run)\(n)", clickID: clickID, n: n, now: now)
                : Samples.kiwifyBody(order: "kw-\(run)-\(n)", clickID: clickID, n: n, now: now)
            try writer.add(layout.stream(.high), try Samples.sale(id: ClickID.generate(now: now), gateway: gateway, body: body,
                                                                tenant: tenant, keys: keys, now: now))
        }
        try writer.flush()
        let idsOut = o.string("click-ids-out", default: "")
        if !idsOut.isEmpty {
            try clickIDs.joined(separator: "\n").write(toFile: idsOut, atomically: true, encoding: .utf8)
        }
        let seconds = (ContinuousClock.now - started).inSeconds
        print(#"{"clicks":\#(clicks),"pageviews":\#(pageviews),"leads":\#(leads),"sales":\#(sales),"seconds":\#(String(format: "%.2f", seconds))}"#)
    }
}

/// Pipelines XADDs in chunks and fails on the first refused one.
struct StreamWriter {
    let redis: RedisConnection
    let chunk: Int
    private var pending: [[[UInt8]]] = []

    init(redis: RedisConnection, chunk: Int) {
        self.redis = redis
        self.chunk = chunk
        pending.reserveCapacity(chunk)
    }

    mutating func add(_ stream: String, _ envelope: Envelope) throws {
        pending.append([Array("XADD".utf8), Array(stream.utf8), Array("*".utf8), Array("e".utf8), try envelope.encoded()])
        if pending.count >= chunk { try flush() }
    }

    mutating func flush() throws {
        guard !pending.isEmpty else { return }
        let replies = try redis.pipeline(pending)
        if let message = replies.compactMap(\.errorMessage).first {
            throw Options.UsageError(description: "redis refused XADD: \(message)")
        }
        pending.removeAll(keepingCapacity: true)
    }
}
