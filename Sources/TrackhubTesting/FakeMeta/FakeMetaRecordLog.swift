import Foundation
import Synchronization

/// Appends one JSON line per answered events request to a file, for a fake that runs as its own
/// process and is read by another (scripts/faults counts deliveries from it).
///
/// Line: `{"seq","pixel","status","code","ids","accepted":[{"name","id","order","keys"}],"received",
/// "answered","token_fp"}` — `token_fp` is the first 16 hex digits of the token's SHA-256;
/// `keys` are the names of the event's non-empty `user_data` keys, sorted (scripts/attribution
/// measures them; the values are never written).
final class FakeMetaRecordLog: Sendable {
    private let file = Mutex<FileHandle?>(nil)

    /// Appends to `path` from now on (closing the previous file); nil stops recording.
    func open(path: String?) throws {
        var handle: FileHandle?
        if let path {
            if !FileManager.default.fileExists(atPath: path) {
                _ = FileManager.default.createFile(atPath: path, contents: nil)
            }
            handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            try handle?.seekToEnd()
        }
        let previous = file.withLock { current in
            defer { current = handle }
            return current
        }
        try? previous?.close()
    }

    func append(_ request: FakeMetaRecordedRequest, accepted: [FakeMetaAcceptedEvent]) {
        file.withLock { handle in
            guard let handle else { return }
            let line = Self.line(request, accepted: accepted)
            try? handle.write(contentsOf: Array(line.jsonText.utf8) + [0x0A])
        }
    }

    static func line(_ request: FakeMetaRecordedRequest, accepted: [FakeMetaAcceptedEvent]) -> FakeJSON {
        func seconds(_ date: Date) -> FakeJSON { .double((date.timeIntervalSince1970 * 1000).rounded() / 1000) }
        return .object([
            "seq": .int(request.sequence),
            "pixel": .string(request.pixel),
            "status": .int(request.status),
            "code": request.errorCode.map(FakeJSON.int) ?? .null,
            "ids": .array(request.eventIDs.map(FakeJSON.string)),
            "accepted": .array(accepted.map { event in
                .object([
                    "name": .string(event.eventName),
                    "id": event.eventID.map(FakeJSON.string) ?? .null,
                    "order": event["custom_data"]?["order_id"] ?? .null,
                    "keys": .array(userDataKeys(event).map(FakeJSON.string)),
                ])
            }),
            "received": seconds(request.receivedAt),
            "answered": seconds(request.answeredAt),
            "token_fp": .string(String((request.tokenFingerprint ?? "").prefix(16))),
        ])
    }

    /// The `user_data` keys that carry a value (a non-empty string or array), sorted.
    static func userDataKeys(_ event: FakeMetaAcceptedEvent) -> [String] {
        guard case .object(let members)? = event["user_data"] else { return [] }
        return members.compactMap { key, value -> String? in
            switch value {
            case .string(let s): return s.isEmpty ? nil : key
            case .array(let a): return a.isEmpty ? nil : key
            case .null: return nil
            default: return key
            }
        }.sorted()
    }
}
