import Testing
import TrackhubConsole

/// The setup assistant's pure parts: Graph answers → what the seller is told, and the diff.
@Suite("Console setup checks")
struct SetupChecksTests {
    func body(_ text: String) -> [UInt8] { Array(text.utf8) }

    @Test("pixel read: found, and each refusal mapped as reference §1.5 says")
    func pixelCheck() {
        #expect(PixelCheck.interpret(status: 200, body: body(#"{"id":"1","name":"Loja X","last_fired_time":"2026-12-01T10:00:00+0000"}"#))
            == .found(name: "Loja X", lastFiredTime: "2026-12-01T10:00:00+0000"))
        let cases: [(String, GraphProblem.Kind)] = [
            (#"{"error":{"code":190,"message":"Invalid OAuth access token - Cannot parse access token"}}"#, .tokenUnreadable),
            (#"{"error":{"code":190,"error_subcode":463,"message":"Session has expired"}}"#, .tokenExpired),
            (#"{"error":{"code":190,"error_subcode":460}}"#, .tokenInvalidated),
            (#"{"error":{"code":100,"error_subcode":33,"message":"Unsupported get request."}}"#, .pixelNotVisible),
            (#"{"error":{"code":200,"message":"(#200) Permissions error"}}"#, .missingPermission),
            (#"{"error":{"code":17,"error_subcode":2446079}}"#, .throttled),
            (#"{"error":{"code":100,"message":"(#100) Invalid parameter"}}"#, .invalidRequest),
            ("<html>bad gateway</html>", .unreachable),
        ]
        for (text, kind) in cases {
            guard case .problem(let problem) = PixelCheck.interpret(status: 400, body: body(text)) else {
                Issue.record("\(text) was not a problem")
                continue
            }
            #expect(problem.kind == kind, "\(text)")
        }
        #expect(PixelCheck.interpret(status: nil, body: nil) == .problem(GraphProblem(kind: .unreachable)))
    }

    @Test("test event: events_received and fbtrace_id")
    func testEvent() {
        #expect(TestEventCheck.interpret(status: 200, body: body(#"{"events_received":1,"messages":[],"fbtrace_id":"AbC"}"#))
            == .received(eventsReceived: 1, fbtraceID: "AbC"))
    }

    @Test("diff of two versions line by line")
    func diff() {
        let lines = ConfigDiff.lines(old: "a\nmode: dry_run\nc", new: "a\nmode: test\ntest_event_code: T1\nc")
        #expect(lines == [.same("a"), .added("mode: test"), .added("test_event_code: T1"), .removed("mode: dry_run"), .same("c")]
            || lines == [.same("a"), .removed("mode: dry_run"), .added("mode: test"), .added("test_event_code: T1"), .same("c")])
        #expect(ConfigDiff.lines(old: "x", new: "x") == [.same("x")])
    }
}
