import Testing
@testable import TrackhubCore

/// Every Bot API answer shape (reference §4.2–4.3) read into a result or a typed error, and the
/// token never surviving into an error's text.
@Suite("TelegramReply")
struct TelegramReplyTests {
    static let token = TelegramBotToken("123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawq")

    static func read(_ status: Int, _ body: String, method: String = "sendMessage") -> Result<JSONValue, TelegramError> {
        TelegramReply.interpret(method: method, status: status, body: Array(body.utf8), token: token)
    }

    @Test func successReturnsResult() throws {
        let result = try Self.read(200, #"{"ok":true,"result":{"message_id":42}}"#).get()
        #expect(result["message_id"] == .number("42"))
    }

    @Test func chatNotFoundIsBadRequest() {
        guard case .failure(let error) = Self.read(400, #"{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}"#) else {
            Issue.record("expected a failure"); return
        }
        #expect(error.kind == .badRequest)
        #expect(error.errorCode == 400)
        #expect(error.message == "Bad Request: chat not found")
        #expect(!error.isTransient)
    }

    @Test func floodControlCarriesRetryAfter() {
        let body = #"{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 7","parameters":{"retry_after":7}}"#
        guard case .failure(let error) = Self.read(429, body) else { Issue.record("expected a failure"); return }
        #expect(error.kind == .tooManyRequests)
        #expect(error.retryAfter == 7)
        #expect(error.isTransient)
    }

    @Test func supergroupMigrationIsRead() {
        let body = #"{"ok":false,"error_code":400,"description":"Bad Request: group chat was upgraded to a supergroup chat","parameters":{"migrate_to_chat_id":-1001234567890}}"#
        guard case .failure(let error) = Self.read(400, body) else { Issue.record("expected a failure"); return }
        #expect(error.migrateToChatID == -1_001_234_567_890)
    }

    @Test func unauthorizedAndForbidden() {
        guard case .failure(let revoked) = Self.read(401, #"{"ok":false,"error_code":401,"description":"Unauthorized"}"#, method: "getMe"),
              case .failure(let blocked) = Self.read(403, #"{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}"#)
        else { Issue.record("expected failures"); return }
        #expect(revoked.kind == .unauthorized)
        #expect(revoked.method == "getMe")
        #expect(blocked.kind == .forbidden)
    }

    @Test func nonJSONAnswersAreTyped() {
        guard case .failure(let gateway) = Self.read(502, "<html>Bad Gateway</html>"),
              case .failure(let odd) = Self.read(200, "hello")
        else { Issue.record("expected failures"); return }
        #expect(gateway.kind == .server)
        #expect(gateway.isTransient)
        #expect(odd.kind == .invalidResponse)
    }

    @Test func okFalseWithoutCodeUsesHTTPStatus() {
        guard case .failure(let error) = Self.read(409, #"{"ok":false,"description":"Conflict: can't use getUpdates method while webhook is active"}"#)
        else { Issue.record("expected a failure"); return }
        #expect(error.kind == .conflict)
        #expect(error.errorCode == 409)
    }

    @Test func transportFailureIsTransient() {
        let outcome = HTTPOutcome.failure(kind: .connect, message: "Couldn't connect to server", latency: .zero)
        guard case .failure(let error) = TelegramReply.result(method: "getMe", outcome: outcome, token: Self.token) else {
            Issue.record("expected a failure"); return
        }
        #expect(error.kind == .transport)
        #expect(error.isTransient)
    }

    @Test func tokenNeverInErrorText() {
        let echoed = #"{"ok":false,"error_code":404,"description":"Not Found: /bot\#(Self.token.secret)/nope"}"#
        guard case .failure(let error) = Self.read(404, echoed) else { Issue.record("expected a failure"); return }
        #expect(!error.description.contains(Self.token.secret))
        #expect(!error.description.contains("AAHdqTcvCH1v"))
        #expect(error.description.contains("telegram-bot:123456789"))
        #expect("\(Self.token)" == "telegram-bot:123456789")
        #expect(String(reflecting: Self.token) == "telegram-bot:123456789")
    }
}
