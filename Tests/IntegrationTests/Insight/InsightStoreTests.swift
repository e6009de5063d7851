import Foundation
import Testing
import TrackhubCore

/// The console's readers (``PostgresInsightStore``) over a real Postgres and Redis, with rows
/// written by the dispatch's own stores: the ledger search by every key it accepts, an event's
/// timeline, the failure queue and its confirmed replay (with the expiry refusal of
/// `dispatchd dlq replay`), ignored webhooks and the live figures — each scoped to a tenant.
@Suite("console insight (Postgres + Redis)", .serialized, .timeLimit(.minutes(2)),
       .enabled(if: InsightFixture.available, "needs scripts/test (real Redis and Postgres)"))
struct InsightStoreTests {
    static let email = "Maria.Silva@Example.com"
    static let phone = "+55 (11) 98765-4321"

    @Test("ledger search: order id, click id, e-mail and phone (hashed as the dispatch hashes) find the sale, its click and its events; scope hides the other tenant")
    func ledgerSearch() async throws {
        try await InsightFixture.with { f in
            let click = ClickID.generate()
            try f.click(click, utmJSON: #"{"utm_campaign":"Promo|120210","utm_source":"FB","utm_content":"9001"}"#, linkSlug: "promo")
            let sale = try f.sale("HP0001", email: Self.email, phone: Self.phone, tracking: TrackingParameters(sck: click))
            try f.match(conversion: sale, clickID: click)
            try f.sale("HP0002", tenant: InsightFixture.other, email: Self.email)

            var purchase = InsightFixture.event(.purchase, id: "hotmart.HP0001", envelope: "env-HP0001", conversion: sale)
            purchase.userDataDropped = [.ph, .zp]
            let pageView = InsightFixture.event(.pageView, id: click, envelope: "env-\(click)")
            try f.ledger([
                LedgerEntry(event: purchase, attempt: 1, outcome: .retryScheduled, httpStatus: 500, metaCode: 2, metaMessage: "Service temporarily unavailable"),
                LedgerEntry(event: pageView, attempt: 1, outcome: .sent, httpStatus: 200, fbtraceID: "PvTrace1"),
            ])
            try f.ledger([LedgerEntry(event: purchase, attempt: 2, outcome: .sent, httpStatus: 200, fbtraceID: "AbC123xyz")])

            let shop = InsightScope.tenants([InsightFixture.shop])
            let normalizers = try await f.store.searchNormalizers(scope: shop)

            let byOrder = try await f.store.search(.parse("HP0001", normalizers: normalizers), scope: shop, limit: 20)
            #expect(byOrder.sales.map(\.transactionID) == ["HP0001"])
            #expect(byOrder.sales.first?.matchedClickID == click && byOrder.sales.first?.matchMethod == "click_id")
            #expect(byOrder.sales.first?.value == "197.9" && byOrder.sales.first?.carriedClickIDs == [click])
            let purchaseSummary = try #require(byOrder.events.first { $0.key.eventName == "Purchase" })
            #expect(purchaseSummary.attempts == 2 && purchaseSummary.fate == .sent(fbtraceID: "AbC123xyz"))

            let byClick = try await f.store.search(.parse(click, normalizers: normalizers), scope: shop, limit: 20)
            #expect(byClick.touchpoints.map(\.clickID) == [click] && byClick.touchpoints.first?.eventID == click)
            #expect(byClick.touchpoints.first?.linkSlug == "promo")
            #expect(byClick.touchpoints.first?.orderedUTM.map(\.key) == ["utm_source", "utm_campaign", "utm_content"], "in the order sellers read them")
            #expect(byClick.sales.map(\.transactionID) == ["HP0001"], "the sale matched to the click")
            #expect(Set(byClick.events.map(\.key.eventName)) == ["PageView", "Purchase"])

            let byEmail = try await f.store.search(.parse("  maria.silva@example.COM ", normalizers: normalizers), scope: shop, limit: 20)
            #expect(byEmail.query.kind == .email && byEmail.sales.map(\.transactionID) == ["HP0001"])
            let everywhere = try await f.store.search(.parse(Self.email), scope: .all, limit: 20)
            #expect(Set(everywhere.sales.map(\.transactionID)) == ["HP0001", "HP0002"])

            let byPhone = try await f.store.search(.parse("(11) 98765-4321", normalizers: normalizers), scope: shop, limit: 20)
            #expect(byPhone.query.kind == .phone && byPhone.sales.map(\.transactionID) == ["HP0001"])

            let nothing = try await f.store.search(.parse("HP0002", normalizers: normalizers), scope: shop, limit: 20)
            #expect(nothing.isEmpty, "the other tenant's order is not visible to shop")

            let detail = try #require(try await f.store.event(purchaseSummary.key, scope: shop))
            #expect(detail.attempts.map(\.attempt) == [1, 2] && detail.attempts.map(\.outcome) == ["retry_scheduled", "sent"])
            #expect(detail.attempts.first?.metaCodeText == "2" && detail.acceptedAttempt?.fbtraceID == "AbC123xyz")
            #expect(detail.sentPayload?.contains("\"event_name\": \"Purchase\"") == true)
            #expect(detail.sale?.transactionID == "HP0001" && detail.fate.reachedMeta && detail.sale?.productIDs == ["P-77"])
            #expect(detail.touchpoint?.clickID == click && detail.touchpoint?.utm["utm_campaign"] == "Promo|120210",
                    "a sale's page shows the click it was matched to: the link and the ad that brought it")
            #expect(detail.userDataDropped == ["ph", "zp"], "the ledger note of dropped identifiers, for the event page")
            let hidden = try await f.store.event(purchaseSummary.key, scope: .tenants([InsightFixture.other]))
            #expect(hidden == nil)
        }
    }

    @Test("failure queue: grouped by reason within the scope; replay does nothing without the preview's confirmation, then schedules the event and refuses the expired one")
    func deadLetters() async throws {
        try await InsightFixture.with { f in
            let fresh = InsightFixture.event(.purchase, id: "hotmart.HP0100", envelope: "env-HP0100")
            let old = InsightFixture.event(.purchase, id: "hotmart.HP0050", envelope: "env-HP0050", eventTime: Date().addingTimeInterval(-8 * 86_400))
            let others = InsightFixture.event(.purchase, id: "kiwify.K1", pixel: InsightFixture.otherPixel, envelope: "env-K1")
            try f.deadLetter(fresh, reason: .retriesExhausted, detail: "timeout after 12 attempts", attempt: 12)
            try f.deadLetter(old, reason: .retriesExhausted, detail: "timeout after 12 attempts", attempt: 12)
            try f.deadLetter(others, reason: .invalid, detail: "Invalid parameter")

            let shop = InsightScope.tenants([InsightFixture.shop])
            let groups = try await f.store.groups(scope: shop)
            #expect(groups.map(\.reason) == ["retries_exhausted"] && groups.first?.count == 2 && groups.first?.expired == 1)
            #expect(try await f.store.groups(scope: .all).map(\.count).reduce(0, +) == 3)

            guard case .needsConfirmation(let preview) = try await f.store.replay(.reason("retries_exhausted"), confirmation: nil, scope: shop)
            else { Issue.record("replayed without confirmation"); return }
            #expect(preview.replayable.map(\.eventID) == ["hotmart.HP0100"] && preview.expired.map(\.eventID) == ["hotmart.HP0050"])
            guard case .needsConfirmation = try await f.store.replay(.reason("retries_exhausted"), confirmation: "replay:1", scope: shop)
            else { Issue.record("a wrong confirmation replayed"); return }

            guard case .replayed(let report) = try await f.store.replay(.reason("retries_exhausted"), confirmation: preview.confirmation, scope: shop)
            else { Issue.record("the preview's confirmation did not replay"); return }
            #expect(report.replayedEvents == 1 && report.refusedExpired == preview.expired.map(\.id))
            let redis = try RedisConnection(endpoint: TestEnvironment.redisEndpoint)
            defer { redis.close() }
            #expect(try RetrySchedule(layout: f.layout).depth(connection: redis).scheduled == 1)

            #expect(try await f.store.entries(reason: nil, scope: shop, limit: 10).map(\.eventID) == ["hotmart.HP0050"])
            #expect(try await f.store.entries(reason: nil, scope: .all, limit: 10).count == 2, "the other tenant's dead letter was not touched")

            let detail = try #require(try await f.store.event(LedgerEventKey(pixel: InsightFixture.shopPixel, eventName: "Purchase", eventID: "hotmart.HP0050"), scope: shop))
            #expect(detail.fate == .deadLettered && detail.deadLetters.map(\.replay) == [.expired])
        }
    }

    @Test("ignored webhooks with their reasons, and the live figures: sends in the last minute, dead letters and paused pixels of the scope")
    func webhooksAndLiveStatus() async throws {
        try await InsightFixture.with { f in
            try f.inbox(envelope: "w1", gateway: "hotmart", tenant: InsightFixture.shop, outcome: "ignored: event SUBSCRIPTION_CANCELLATION is not sent")
            try f.inbox(envelope: "w2", gateway: "kiwify", tenant: InsightFixture.other, outcome: "dead_lettered: missing order id")
            try f.inbox(envelope: "w3", gateway: "hotmart", tenant: InsightFixture.shop, outcome: "conversion approved")
            let shop = InsightScope.tenants([InsightFixture.shop])
            let ignored = try await f.store.ignoredWebhooks(scope: shop, hours: 24, limit: 10)
            #expect(ignored.map(\.envelopeID) == ["w1"] && ignored.first?.kind == .ignored)
            #expect(ignored.first?.reason == "event SUBSCRIPTION_CANCELLATION is not sent")
            #expect(try await f.store.ignoredWebhooks(scope: .all, hours: 24, limit: 10).count == 2)

            try f.ledger((1...2).map { LedgerEntry(event: InsightFixture.event(.pageView, id: "pv\($0)", envelope: "e\($0)"), attempt: 1, outcome: .sent) }
                + [LedgerEntry(event: InsightFixture.event(.pageView, id: "pv9", pixel: InsightFixture.otherPixel, envelope: "e9"), attempt: 1, outcome: .sent),
                   LedgerEntry(event: InsightFixture.event(.pageView, id: "pv8", envelope: "e8"), attempt: 1, outcome: .retryScheduled)])
            try f.deadLetter(InsightFixture.event(.lead, id: "l1", envelope: "e-l1"), reason: .validation, detail: "missing user data")

            let redis = try RedisConnection(endpoint: TestEnvironment.redisEndpoint)
            defer { redis.close() }
            try PixelControl(layout: f.layout).pause(pixel: InsightFixture.shopPixel, reason: "token", duration: nil, connection: redis)

            let status = try await f.store.liveStatus(scope: shop)
            #expect(status.sendsPerMinute == 2 && status.deadLetters == 1)
            #expect(status.pausedPixels.map(\.pixel) == [InsightFixture.shopPixel] && status.headline.level == .problem)
            let other = try await f.store.liveStatus(scope: .tenants([InsightFixture.other]))
            #expect(other.sendsPerMinute == 1 && other.deadLetters == 0 && other.pausedPixels.isEmpty && other.headline.level == .ok)
        }
    }
}

extension InsightStoreTests {
    @Test("troubleshooting over the stores: a planted unmatched sale and an expired token are diagnosed with their evidence; the support bundle carries neither secrets nor e-mails")
    func troubleshootingAndBundle() async throws {
        try await InsightFixture.with { f in
            try f.click(ClickID.generate())
            let sale = try f.sale("HP0301", email: Self.email, tracking: TrackingParameters(sck: "fb-ads-campanha"))
            try f.inbox(envelope: "env-HP0301", gateway: "hotmart", tenant: InsightFixture.shop, outcome: "conversion approved")
            let purchase = InsightFixture.event(.purchase, id: "hotmart.HP0301", envelope: "env-HP0301", conversion: sale)
            try f.ledger([LedgerEntry(event: purchase, attempt: 1, outcome: .sent, httpStatus: 200, fbtraceID: "TraceHP0301")])
            let lead = InsightFixture.event(.lead, id: "l-9", envelope: "env-l9")
            try f.ledger([LedgerEntry(event: lead, attempt: 1, outcome: .parked, httpStatus: 400, metaCode: 190, metaSubcode: 463,
                                      metaMessage: "Error validating access token: Session has expired on Friday")])
            let redis = try RedisConnection(endpoint: TestEnvironment.redisEndpoint)
            defer { redis.close() }
            try PixelControl(layout: f.layout).pause(pixel: InsightFixture.shopPixel, reason: "token: Session has expired [token a1b2c3d4e5f6]",
                                                     duration: nil, connection: redis)
            try RetrySchedule(layout: f.layout).park([lead], connection: redis)

            let shop = InsightScope.tenants([InsightFixture.shop])
            let evidence = try await f.store.evidence(scope: shop)
            #expect(evidence.pixels.map(\.id) == [InsightFixture.shopPixel] && evidence.pixels.first?.hasToken == true)
            #expect(evidence.pixels.first?.parked == 1 && evidence.pixels.first?.lastError?.metaCodeText == "190/463")
            #expect(evidence.accounts.first?.received == 1 && evidence.clicksLastDay == 1)
            #expect(evidence.sales.map(\.sale.transactionID) == ["HP0301"] && evidence.sales.first?.event?.fate == .sent(fbtraceID: "TraceHP0301"))

            let unmatched = Troubleshooter.diagnose(.saleNotMatched, evidence)
            #expect(unmatched.level == .problem && unmatched.fixes.map(\.action).contains(.checkLandingPage))
            #expect(unmatched.findings.flatMap(\.evidence).contains { $0.ptBR.contains("Pedido HP0301") && $0.ptBR.contains("fb-ads-campanha") })

            let token = Troubleshooter.diagnose(.tokenExpired, evidence)
            #expect(token.level == .problem && token.fixes.map(\.action) == [.replaceToken(pixel: InsightFixture.shopPixel)])
            #expect(token.findings.first?.evidence.contains { $0.ptBR.contains("1 evento(s) aguardando") } == true)

            let bundle = try await f.store.supportBundle(scope: shop, application: [("trackhub", "test")], diagnoses: [unmatched, token])
            let json = bundle.json()
            #expect(bundle.versions.map(\.0) == ["trackhub", "postgres", "redis", "schema"] && bundle.versions.last?.1 == String(Migrations.all.last?.version ?? 0))
            #expect(bundle.configuration.map(\.section) == ["tenants", "pixels", "links", "gateway_accounts"])
            #expect(json.contains("\"has_token\":\"yes\"") && json.contains("\"secrets\":\"1\"") && json.contains("approved_event"))
            #expect(!json.contains("U0VBTEVE") && !json.contains("maria") && !json.contains("Maria"))
            #expect(!json.contains("\"other\""), "the other tenant is outside the scope")
            #expect(bundle.recentErrors.map(\.key.eventID) == ["l-9"])
        }
    }
}
