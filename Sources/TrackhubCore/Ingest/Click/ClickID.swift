public import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The id of one click: minted by `/go/{slug}`, carried through the destination (`sck`,
/// Telegram `start`, …), set as a first-party cookie, and echoed back by pages, bots and
/// gateways so a sale can be tied to the click that produced it. It is also the click's CAPI
/// `event_id`.
///
/// Format: a lowercase ULID — 48-bit Unix time in milliseconds followed by 80 random bits, in
/// Crockford base32, 26 characters (`01j9zq7x8k…`). Why this shape:
/// - lexicographic order is time order, so ids sort and range-scan by time in Redis/Postgres;
/// - only `0-9a-z` (no `i l o u`), so it survives every place it travels: URL query values,
///   Telegram deep-link `start` payloads (`[A-Za-z0-9_-]{1,64}`), Hotmart's `sck`, cookies,
///   case-folding form fields;
/// - 80 random bits make collisions within one millisecond negligible without coordination
///   between ingestd instances.
public enum ClickID {
    /// Length of every click id.
    public static let length = 26

    /// Largest timestamp a ULID can hold (year 10889).
    static let maxMilliseconds: UInt64 = (1 << 48) - 1

    /// Crockford's base32 alphabet, lowercase.
    static let alphabet: [UInt8] = Array("0123456789abcdefghjkmnpqrstvwxyz".utf8)

    /// A new click id for a click received at `now`, drawing its random part from `rng`
    /// (injectable so tests are deterministic).
    public static func generate(now: Date = Date(), using rng: inout some RandomNumberGenerator) -> String {
        let ms = milliseconds(now)
        let high = rng.next() as UInt64 // 64 random bits
        let low = UInt64(truncatingIfNeeded: rng.next() as UInt16) // 16 more: 80 in all
        return String(unsafeUninitializedCapacity: length) { out in
            // 48-bit time → 10 chars (the first carries only 3 bits, so it is 0…7).
            var t = ms
            for i in stride(from: 9, through: 0, by: -1) {
                out[i] = alphabet[Int(t & 31)]
                t >>= 5
            }
            // 80 random bits → 16 chars: `high` holds the first 64, `low` the last 16.
            var r = low
            var h = high
            for i in stride(from: 25, through: 10, by: -1) {
                out[i] = alphabet[Int(r & 31)]
                // Shift the 80-bit value (h:r) right by 5.
                r = (r >> 5) | ((h & 31) << 11)
                h >>= 5
            }
            return length
        }
    }

    /// A new click id using the system's cryptographically secure generator, so ids cannot be
    /// predicted or enumerated by anyone who has seen another one.
    public static func generate(now: Date = Date()) -> String {
        var rng = PrefetchedSystemRandom()
        return generate(now: now, using: &rng)
    }

    /// Whether `id` is exactly our format: 26 lowercase Crockford characters, the first 0–7.
    ///
    /// Ids coming back from browsers, bots and gateways are untrusted; anything else — other
    /// lengths, uppercase, foreign ids — is rejected rather than stored, so a forged or mangled
    /// value can never be matched to a click.
    public static func isValid(_ id: some StringProtocol) -> Bool {
        let utf8 = id.utf8
        guard utf8.count == length else { return false }
        var first = true
        for c in utf8 {
            guard let v = value(of: c) else { return false }
            if first {
                guard v < 8 else { return false }
                first = false
            }
        }
        return true
    }

    /// When the click happened, to the millisecond; `nil` if `id` is not a valid click id.
    public static func timestamp(of id: some StringProtocol) -> Date? {
        guard isValid(id) else { return nil }
        var ms: UInt64 = 0
        for c in id.utf8.prefix(10) {
            ms = ms << 5 | UInt64(value(of: c)!)
        }
        return Date(timeIntervalSince1970: Double(ms) / 1000)
    }

    static func milliseconds(_ date: Date) -> UInt64 {
        let ms = (date.timeIntervalSince1970 * 1000).rounded(.down)
        guard ms > 0 else { return 0 }
        guard ms < Double(maxMilliseconds) else { return maxMilliseconds }
        return UInt64(ms)
    }

    /// The 5-bit value of a lowercase Crockford character, or `nil`.
    @inline(__always)
    static func value(of c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c &- UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "h"): return c &- UInt8(ascii: "a") &+ 10 // a-h: 10-17
        case UInt8(ascii: "j"), UInt8(ascii: "k"): return c &- UInt8(ascii: "j") &+ 18 // 18-19
        case UInt8(ascii: "m"), UInt8(ascii: "n"): return c &- UInt8(ascii: "m") &+ 20 // 20-21
        case UInt8(ascii: "p")...UInt8(ascii: "t"): return c &- UInt8(ascii: "p") &+ 22 // 22-26
        case UInt8(ascii: "v")...UInt8(ascii: "z"): return c &- UInt8(ascii: "v") &+ 27 // 27-31
        default: return nil
        }
    }
}

/// The system's cryptographically secure randomness for one click id, fetched in a single call.
///
/// Why: `SystemRandomNumberGenerator` makes one `getrandom(2)` system call per 64 bits, so a
/// click id (80 random bits) cost two; `arc4random_buf` fills all 128 bits with one call (glibc
/// and Darwin both back it with the kernel's CSPRNG). Past the prefetched words it falls back
/// to `SystemRandomNumberGenerator`, so it never repeats or invents a value.
struct PrefetchedSystemRandom: RandomNumberGenerator {
    private var words: (UInt64, UInt64) = (0, 0)
    private var used = 0

    init() {
        withUnsafeMutableBytes(of: &words) { arc4random_buf($0.baseAddress!, $0.count) }
    }

    mutating func next() -> UInt64 {
        defer { used += 1 }
        switch used {
        case 0: return words.0
        case 1: return words.1
        default:
            var system = SystemRandomNumberGenerator()
            return system.next()
        }
    }
}
