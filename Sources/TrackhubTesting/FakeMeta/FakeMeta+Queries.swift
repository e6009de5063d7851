import Synchronization
/// What the fake Meta received, for assertions (needs `FakeMetaOptions.keepRecords`).
extension FakeMeta {
    /// Every request to the events edge, in completion order, optionally for one pixel.
    public func requests(pixel: String? = nil) -> [FakeMetaRecordedRequest] {
        state.withLock { $0.requests }.filter { pixel == nil || $0.pixel == pixel }
    }

    /// Every accepted event, in acceptance order, optionally for one pixel.
    public func acceptedEvents(pixel: String? = nil) -> [FakeMetaAcceptedEvent] {
        state.withLock { $0.accepted }.filter { pixel == nil || $0.pixel == pixel }
    }

    /// How many accepted events match every given filter (nil = any).
    public func acceptedCount(pixel: String? = nil, eventName: String? = nil, eventID: String? = nil) -> Int {
        acceptedEvents(pixel: pixel).count { event in
            (eventName == nil || event.eventName == eventName) && (eventID == nil || event.eventID == eventID)
        }
    }

    /// Same pixel + event_name + event_id accepted more than once: what Meta's own
    /// server-to-server deduplication is NOT documented to remove (reference §1.4), so a
    /// test asserting exactly-once delivery wants this empty.
    public func duplicates() -> [FakeMetaDuplicate] {
        var counts: [FakeMetaDuplicate.Key: Int] = [:]
        var order: [FakeMetaDuplicate.Key] = []
        for event in acceptedEvents() {
            guard let eventID = event.eventID else { continue }
            let key = FakeMetaDuplicate.Key(pixel: event.pixel, eventName: event.eventName, eventID: eventID)
            if counts[key] == nil { order.append(key) }
            counts[key, default: 0] += 1
        }
        return order.compactMap { key in
            let count = counts[key]!
            return count > 1 ? FakeMetaDuplicate(pixel: key.pixel, eventName: key.eventName, eventID: key.eventID, count: count) : nil
        }
    }

    /// Polls until at least `count` accepted events match the filters; returns them. Throws
    /// (with a summary of what did arrive) when `timeout` passes first.
    @discardableResult
    public func waitFor(
        count: Int, pixel: String? = nil, eventName: String? = nil, timeout: Duration = .seconds(10)
    ) async throws -> [FakeMetaAcceptedEvent] {
        let deadline = ContinuousClock.now + timeout
        while true {
            let matching = acceptedEvents(pixel: pixel).filter { eventName == nil || $0.eventName == eventName }
            if matching.count >= count { return matching }
            guard ContinuousClock.now < deadline else {
                throw FakeServerError(
                    "waited \(timeout) for \(count) accepted event(s) (pixel \(pixel ?? "any"), event \(eventName ?? "any")), "
                        + "saw \(matching.count); requests: \(summary())"
                )
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Polls until at least `count` requests (accepted or not) were answered.
    @discardableResult
    public func waitForRequests(count: Int, pixel: String? = nil, timeout: Duration = .seconds(10)) async throws -> [FakeMetaRecordedRequest] {
        let deadline = ContinuousClock.now + timeout
        while true {
            let matching = requests(pixel: pixel)
            if matching.count >= count { return matching }
            guard ContinuousClock.now < deadline else {
                throw FakeServerError("waited \(timeout) for \(count) request(s) (pixel \(pixel ?? "any")), saw \(matching.count): \(summary())")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// One line per request (status, pixel, counts, error codes) for failure messages.
    public func summary() -> String {
        let lines = requests().map { request in
            var line = "#\(request.sequence) \(request.pixel) → \(request.status), \(request.eventCount) event(s)"
            if let code = request.errorCode { line += ", code \(code)" }
            if let subcode = request.errorSubcode { line += "/\(subcode)" }
            return line
        }
        return lines.isEmpty ? "none" : lines.joined(separator: "; ")
    }
}
