import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing
import TrackhubCore
@testable import ingestd

/// `/t.js` as served, and `/track` reading the `th_cid` cookie `/go` set. What the script does
/// in a browser (decoration, return visits, forms) is tested in a real Chromium:
/// scripts/lib/browser-tests/attribution_test.py.
@Suite("/t.js and the th_cid cookie")
struct TrackingScriptTests {
    static let clickID = "01jabcdefghjkmnpqrstvwxyz0"

    @Test("the script is JavaScript within its size budget and carries every default checkout host")
    func served() async throws {
        let h = IngestRouteHarness()
        let r = try await h.withApp { client in try await client.execute(uri: "/t.js", method: .get) }
        #expect(r.status == .ok)
        #expect(r.headers[.contentType] == "application/javascript; charset=utf-8")
        #expect(r.body.readableBytes <= TrackingScript.maxBytes)
        for pair in TrackingScript.checkoutHosts.split(separator: " ") {
            #expect(r.text.contains(String(pair)))
        }
    }

    @Test("/t.js?t=<tenant> bakes in the tenant's id, own checkout hosts and window; an unknown tenant gets the generic script")
    func tenantScript() async throws {
        let h = IngestRouteHarness()
        let (tenant, unknown, generic) = try await h.withApp { client in
            (try await client.execute(uri: "/t.js?t=acme", method: .get),
             try await client.execute(uri: "/t.js?t=nobody'", method: .get),
             try await client.execute(uri: "/t.js", method: .get))
        }
        #expect(tenant.status == .ok)
        #expect(tenant.text.contains("T=A('tenant')||'acme'"))
        #expect(tenant.text.contains(" pay.acme.example=sck "))
        #expect(tenant.text.contains("W=(A('window-days')||7)*864e5"))
        for pair in TrackingScript.checkoutHosts.split(separator: " ") { #expect(tenant.text.contains(String(pair))) }
        #expect(unknown.text == generic.text, "only snapshot values go into the script, never the query")
        #expect(generic.text.contains("T=A('tenant')||''") && generic.text.contains("||30)*864e5"))
        #expect(generic.body.readableBytes <= TrackingScript.maxBytes)
        // The tenant's part is data: the code around it is the same budgeted script.
        #expect(tenant.body.readableBytes - "acme pay.acme.example=sck".utf8.count <= TrackingScript.maxBytes)
    }

    @Test("every default checkout parameter is one the sale matcher reads a click id from")
    func parametersAreCarriers() throws {
        // The webhook field each parameter comes back in, as the parsers fill TrackingParameters.
        let carriers: [String: (String) -> TrackingParameters] = [
            "sck": { TrackingParameters(sck: $0) }, "src": { TrackingParameters(src: $0) },
            "utm_content": { TrackingParameters(utmContent: $0) }, "client_reference_id": { TrackingParameters(clientReferenceID: $0) },
        ]
        for pair in TrackingScript.checkoutHosts.split(separator: " ") {
            let parts = pair.split(separator: "=")
            let make = try #require(carriers[String(parts[1])], "\(pair)")
            // A value the link already had is kept and the id appended: still found.
            #expect(make(Self.clickID).clickIDs == [Self.clickID])
            #expect(make("bio_\(Self.clickID)").clickIDs == [Self.clickID])
        }
    }

    @Test("/track without click_id takes the th_cid cookie; the body's click_id wins; a malformed cookie is ignored")
    func cookieClickID() async throws {
        let h = IngestRouteHarness()
        @Sendable func headers(_ cookie: String) -> HTTPFields {
            var f = HTTPFields()
            f[.contentType] = "application/json"
            f[.cookie] = "_fbp=x; th_cid=\(cookie)"
            return f
        }
        let other = "01jzzzzzzzzzzzzzzzzzzzzzzz"
        let (onlyCookie, bodyWins, malformed) = try await h.withApp { client in
            (try await client.execute(uri: "/track/lead", method: .post, headers: headers(Self.clickID),
                                      body: ByteBuffer(string: #"{"tenant":"acme"}"#)),
             try await client.execute(uri: "/track/lead", method: .post, headers: headers(Self.clickID),
                                      body: ByteBuffer(string: #"{"tenant":"acme","click_id":"\#(other)"}"#)),
             try await client.execute(uri: "/track/lead", method: .post, headers: headers("not-a-click-id"),
                                      body: ByteBuffer(string: #"{"tenant":"acme"}"#)))
        }
        #expect(onlyCookie.status == .accepted)
        #expect(bodyWins.status == .accepted)
        #expect(malformed.status == .badRequest)
        #expect((malformed.json?["errors"] as? [[String: String]])?.first?["field"] == "click_id")
        #expect(h.sink.appended.map { $0.envelope.track?.clickId } == [Self.clickID, other])
    }
}
