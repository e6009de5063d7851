import Foundation
import Synchronization

/// The Graph pixel read, as the setup assistant's first step uses it:
/// `GET /{version}/{pixel-id}?fields=…&access_token=…`. Answers like Graph (reference
/// console-alerts-telegram §1.2, §1.5): the requested fields of a pixel the token may read;
/// 104 without a token; 190 for a token Graph cannot parse; 190/463 for an expired one; 100/33
/// "Unsupported get request…" for an id that does not exist or that the token cannot see.
extension FakeMeta {
    /// Makes `GET /{version}/{id}` answer with `pixel` for the token `expectToken` set for it
    /// (any token the fake knows, when none is set).
    public func registerPixel(id: String, _ pixel: FakeMetaPixel) {
        state.withLock { $0.pixels[id] = pixel }
    }

    /// Every request with this token now fails with 190 subcode 463 (session expired).
    public func expireToken(_ token: String) {
        _ = state.withLock { $0.expiredTokens.insert(Self.tokenFingerprint(token)) }
    }

    /// Fields Graph's AdsPixel has among those the console asks for; others are refused with 100.
    static let pixelFields: Set<String> = ["id", "name", "is_unavailable", "last_fired_time", "creation_time", "owner_business"]

    func readPixel(version: String, pixel: String, token: String?, fields: String?) -> FakeMetaReply {
        let fbtraceID = FakeMetaReply.newTraceID()
        guard version.wholeMatch(of: /v[0-9]+\.[0-9]+/) != nil else {
            return .invalid("(#100) Unknown API version '\(version)' (fake expects e.g. v25.0)", fbtraceID: fbtraceID)
        }
        guard let token, !token.isEmpty else {
            return .graphError(status: 400, code: 104, message: "An access token is required to request this resource.", fbtraceID: fbtraceID)
        }
        let fingerprint = Self.tokenFingerprint(token)
        let (known, expected, expired, everyExpected) = state.withLock {
            ($0.pixels[pixel], $0.expectedTokens[pixel], $0.expiredTokens.contains(fingerprint), Set($0.expectedTokens.values))
        }
        if expired {
            return .graphError(status: 400, code: 190, subcode: 463,
                               message: "Error validating access token: Session has expired on Saturday, 05-Dec-26 10:00:00 PST. The current time is Sunday, 06-Dec-26 02:00:00 PST.",
                               fbtraceID: fbtraceID)
        }
        // A token no pixel of the fake accepts is one Graph could not have issued.
        if !everyExpected.contains(fingerprint) {
            return .graphError(status: 400, code: 190, message: "Invalid OAuth access token - Cannot parse access token", fbtraceID: fbtraceID)
        }
        guard let known, expected == nil || expected == fingerprint else {
            return .graphError(
                status: 400, code: 100, subcode: 33,
                message: "Unsupported get request. Object with ID '\(pixel)' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api",
                fbtraceID: fbtraceID)
        }
        let requested = (fields ?? "id,name").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        if let unknown = requested.first(where: { !Self.pixelFields.contains($0) }) {
            return .invalid("(#100) Tried accessing nonexisting field (\(unknown)) on node type (AdsPixel)", fbtraceID: fbtraceID)
        }
        var object: [String: FakeJSON] = ["id": .string(pixel)]
        for field in requested {
            switch field {
            case "name": object["name"] = .string(known.name)
            case "is_unavailable": object["is_unavailable"] = .bool(known.isUnavailable)
            case "last_fired_time": if let time = known.lastFiredTime { object["last_fired_time"] = .string(time) }
            case "creation_time": object["creation_time"] = .string(known.creationTime)
            default: break
            }
        }
        return FakeMetaReply(status: 200, body: Array(FakeJSON.object(object).jsonText.utf8))
    }
}
