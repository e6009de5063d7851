public import Foundation

/// The one JSON writer: envelopes, Meta events, every `jsonb` column and the HTTP problem
/// bodies are written with it, each with the ``JSONEscapeProfile`` of its wire format.
///
/// Why hand-written: ingestd writes an envelope per request and dispatchd an event per send;
/// `JSONEncoder` (Codable's containers and boxing) was a fifth of either's CPU. Values are
/// appended straight to one byte buffer; strings copy their runs that need no escape in one
/// piece. Commas are placed by the writer, so callers only say what comes next: `key`, then a
/// value; values in a row inside ``beginArray()``/``endArray()``.
///
/// Two ways to write an object: streamed in the order written (``beginObject()``, ``key(_:)``,
/// values, ``endObject()``; envelopes keep their member order), or ``object(_:)`` with members
/// in sorted key order (Meta events and stored JSON: the same value always gives the same bytes,
/// so blobs can be compared, hashed, stored and re-sent as they are).
package struct JSONWriter {
    package private(set) var bytes: [UInt8] = []
    package let profile: JSONEscapeProfile
    /// Whether the next value or key needs a comma before it.
    private var needsComma = false

    package init(profile: JSONEscapeProfile, capacity: Int = 512) {
        self.profile = profile
        bytes.reserveCapacity(capacity)
    }

    /// The bytes as text (always valid UTF-8: only Swift strings are written).
    package var text: String { String(decoding: bytes, as: UTF8.self) }

    // MARK: - Structure

    @inline(__always)
    private mutating func beforeValue() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
        needsComma = true
    }

    package mutating func beginObject() {
        beforeValue()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    package mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    package mutating func beginArray() {
        beforeValue()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
    }

    package mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// An object member's name; the member's value is what is written next.
    package mutating func key(_ name: String) {
        beforeValue()
        appendString(name)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    /// A member name written ahead of time by ``encodedKey(_:profile:)``: a schema that writes
    /// the same names on every call (the envelope's) escapes each name once, not per write.
    package mutating func key(encoded name: [UInt8]) {
        beforeValue()
        bytes.append(contentsOf: name)
        needsComma = false
    }

    /// `"name":` as ``key(_:)`` writes it with `profile`, for ``key(encoded:)``.
    package static func encodedKey(_ name: String, profile: JSONEscapeProfile) -> [UInt8] {
        var w = JSONWriter(profile: profile, capacity: name.utf8.count + 3)
        w.key(name)
        return w.bytes
    }

    /// One object member; the value is written by the caller through the writer it is given.
    package typealias Member = (key: String, write: (inout JSONWriter) -> Void)

    /// An object with `members` in sorted key order (by UTF-8 bytes, as `JSONEncoder`'s
    /// `.sortedKeys`).
    package mutating func object(_ members: [Member]) {
        beginObject()
        for member in members.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
            key(member.key)
            member.write(&self)
        }
        endObject()
    }

    /// An object of strings, in sorted key order.
    package mutating func object(_ members: [String: String]) {
        beginObject()
        for (name, value) in members.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
            key(name)
            string(value)
        }
        endObject()
    }

    /// An array of strings.
    package mutating func array(_ values: [String]) {
        beginArray()
        for value in values { string(value) }
        endArray()
    }

    // MARK: - Values

    package mutating func string(_ value: String) {
        beforeValue()
        appendString(value)
    }

    /// A member whose value is a string; nothing at all when `value` is nil.
    package mutating func field(_ name: String, _ value: String?) {
        guard let value else { return }
        key(name)
        string(value)
    }

    package mutating func int(_ value: Int) {
        beforeValue()
        // Digits straight into the buffer (no String per number: envelopes carry a timestamp each).
        var magnitude = value.magnitude
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        let start = bytes.count
        repeat {
            bytes.append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        bytes[start...].reverse()
    }

    package mutating func null() {
        beforeValue()
        bytes.append(contentsOf: "null".utf8)
    }

    package mutating func bool(_ value: Bool) {
        beforeValue()
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    /// A finite double as `JSONEncoder` writes it: Swift's shortest round-trip `description`
    /// without a trailing `.0`. The caller refuses NaN and infinities (JSON has neither).
    package mutating func double(_ value: Double) {
        beforeValue()
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        bytes.append(contentsOf: text.utf8)
    }

    /// A decimal written exactly, in plain notation (`10.31`, `49.99`, `197`, `0.00000015`):
    /// money never passes through a binary float on its way to Meta. Same text as
    /// `JSONEncoder` writes for a `Decimal`. The caller refuses NaN (JSON has none).
    package mutating func decimal(_ value: Decimal) {
        beforeValue()
        bytes.append(contentsOf: value.description.utf8)
    }

    /// A string with the profile's escapes, runs that need none copied whole.
    private mutating func appendString(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        let profile = self.profile
        var value = value
        value.withUTF8 { utf8 in
            var start = 0
            for i in 0..<utf8.count where profile.needsEscape(utf8[i]) {
                if i > start { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<i])) }
                profile.escape(utf8[i], to: &bytes)
                start = i + 1
            }
            if start < utf8.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...])) }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}
