import Foundation

/// Postgres' text formats for the few types Trackhub reads and writes.
///
/// The connection pins the session settings these depend on (`TimeZone=UTC`,
/// `DateStyle=ISO,YMD`, `bytea_output=hex`, `extra_float_digits=3`; see
/// ``PostgresConnection``), so output is in exactly one shape and parsing can be strict.
enum PostgresText {
    // MARK: float8

    /// The look-up keys Postgres could ever have stored: text can hold no NUL, so a key with one
    /// (a gateway's `sck` arriving as `"ref\u0000x"`) matches no row and is dropped — sent as a
    /// parameter it would fail the whole statement, and the sale with it (issue 14).
    static func storableKeys(_ keys: [String]) -> [String] {
        keys.filter { !$0.utf8.contains(0) }
    }

    static func encodeDouble(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Infinity" : "Infinity" }
        // Swift prints the shortest text that round-trips ("0.1", "1e-05"), which float8in reads.
        return value.description
    }

    static func decodeDouble(_ text: String) -> Double? {
        switch text {
        case "NaN": return .nan
        case "Infinity": return .infinity
        case "-Infinity": return -.infinity
        default: return Double(text)
        }
    }

    // MARK: bytea (hex format)

    private static let hexDigits = Array("0123456789abcdef".utf8)

    static func encodeBytea(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = [UInt8(ascii: "\\"), UInt8(ascii: "x")]
        out.reserveCapacity(2 + bytes.count * 2)
        for byte in bytes {
            out.append(hexDigits[Int(byte >> 4)])
            out.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func decodeBytea(_ text: String) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count >= 2, utf8[0] == UInt8(ascii: "\\"), utf8[1] == UInt8(ascii: "x"),
            utf8.count % 2 == 0
        else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity((utf8.count - 2) / 2)
        var index = 2
        while index < utf8.count {
            guard let high = hexValue(utf8[index]), let low = hexValue(utf8[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    // MARK: text[]

    /// `{"a","b \"c\"",""}` — every element quoted, so commas, braces, spaces and the word
    /// NULL are all data.
    static func encodeTextArray(_ elements: [String]) -> String {
        // Built as UTF-8 bytes: this runs for every dedupe key and click look-up of a batch.
        var out: [UInt8] = [UInt8(ascii: "{")]
        out.reserveCapacity(elements.reduce(2) { $0 + $1.utf8.count + 3 })
        for (i, element) in elements.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "\""))
            for byte in element.utf8 {
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { out.append(UInt8(ascii: "\\")) }
                out.append(byte)
            }
            out.append(UInt8(ascii: "\""))
        }
        out.append(UInt8(ascii: "}"))
        return String(decoding: out, as: UTF8.self)
    }

    /// Parses a one-dimensional array's text output. Unquoted `NULL` becomes `nil`.
    /// Returns nil for anything else (multi-dimensional arrays, explicit bounds, bad syntax).
    static func decodeTextArray(_ text: String) -> [String?]? {
        var scalars = text.unicodeScalars[...]
        guard scalars.popFirst() == "{", scalars.popLast() == "}" else { return nil }
        var elements: [String?] = []
        if scalars.isEmpty { return elements }
        while true {
            if scalars.first == "\"" {
                scalars.removeFirst()
                var element = String.UnicodeScalarView()
                var closed = false
                while let c = scalars.popFirst() {
                    if c == "\\" {
                        guard let escaped = scalars.popFirst() else { return nil }
                        element.append(escaped)
                    } else if c == "\"" {
                        closed = true
                        break
                    } else {
                        element.append(c)
                    }
                }
                guard closed else { return nil }
                elements.append(String(element))
            } else {
                var element = String.UnicodeScalarView()
                while let c = scalars.first, c != "," {
                    if c == "{" || c == "}" || c == "\"" { return nil }
                    if c == "\\" {
                        scalars.removeFirst()
                        guard let escaped = scalars.popFirst() else { return nil }
                        element.append(escaped)
                        continue
                    }
                    element.append(c)
                    scalars.removeFirst()
                }
                let value = String(element)
                guard !value.isEmpty else { return nil }
                elements.append(value.uppercased() == "NULL" ? nil : value)
            }
            guard let separator = scalars.popFirst() else { return elements }
            guard separator == "," else { return nil }
        }
    }

    // MARK: timestamptz

    private static let microsPerSecond: Int64 = 1_000_000
    private static let microsPerDay: Int64 = 86_400 * 1_000_000

    /// Postgres' timestamptz range, 4713-11-24 BC to 294276-12-31 AD, in seconds since 1970.
    private static let timestampRange: ClosedRange<Double> = -210_866_803_200...9_224_318_015_999

    /// `2024-05-01 12:34:56.789012+00` (`… BC` before year 1); nil outside Postgres' range
    /// (including NaN and infinities, which would also overflow the arithmetic below).
    static func encodeTimestamp(_ date: Date) -> String? {
        let epochSeconds = date.timeIntervalSince1970
        guard timestampRange.contains(epochSeconds) else { return nil }
        let micros = Int64((epochSeconds * 1_000_000).rounded())
        let (days, dayMicros) = floorDivMod(micros, microsPerDay)
        let (year, month, day) = civil(fromDays: days)
        let seconds = dayMicros / microsPerSecond
        let fraction = dayMicros % microsPerSecond
        let bc = year <= 0
        var text = pad(bc ? 1 - year : year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
        text += " " + pad(seconds / 3600, 2) + ":" + pad(seconds / 60 % 60, 2) + ":" + pad(seconds % 60, 2)
        text += "." + pad(fraction, 6) + "+00"
        if bc { text += " BC" }
        return text
    }

    /// Parses ISO output of `timestamptz` (`2024-05-01 12:34:56.789+00`, `… +05:30`, `… BC`),
    /// `timestamp` (no offset: read as UTC) and `date` (midnight UTC).
    /// `infinity` has no Date; returns nil.
    static func decodeTimestamp(_ text: String) -> Date? {
        var bytes = Array(text.utf8)[...]
        var bc = false
        if bytes.count > 3, bytes.suffix(3).elementsEqual(" BC".utf8) {
            bc = true
            bytes = bytes.dropLast(3)
        }
        guard var year = readInt(&bytes, minDigits: 4, maxDigits: 7), consume(&bytes, "-"),
            let month = readInt(&bytes, minDigits: 2, maxDigits: 2), consume(&bytes, "-"),
            let day = readInt(&bytes, minDigits: 2, maxDigits: 2),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        if bc { year = 1 - year }
        var micros: Int64 = 0
        if consume(&bytes, " ") || consume(&bytes, "T") {
            guard let hour = readInt(&bytes, minDigits: 2, maxDigits: 2), consume(&bytes, ":"),
                let minute = readInt(&bytes, minDigits: 2, maxDigits: 2), consume(&bytes, ":"),
                let second = readInt(&bytes, minDigits: 2, maxDigits: 2),
                hour <= 24, minute < 60, second < 61
            else { return nil }
            micros = (hour * 3600 + minute * 60 + second) * microsPerSecond
            if consume(&bytes, ".") {
                var digits = 0
                var fraction: Int64 = 0
                while let c = bytes.first, c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") {
                    bytes.removeFirst()
                    if digits < 6 {
                        fraction = fraction * 10 + Int64(c - UInt8(ascii: "0"))
                        digits += 1
                    }
                }
                guard digits > 0 else { return nil }
                for _ in digits..<6 { fraction *= 10 }
                micros += fraction
            }
            if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                bytes.removeFirst()
                guard let offsetHours = readInt(&bytes, minDigits: 2, maxDigits: 2) else { return nil }
                var offset = offsetHours * 3600
                if consume(&bytes, ":") {
                    guard let offsetMinutes = readInt(&bytes, minDigits: 2, maxDigits: 2) else { return nil }
                    offset += offsetMinutes * 60
                    if consume(&bytes, ":") {
                        guard let offsetSeconds = readInt(&bytes, minDigits: 2, maxDigits: 2) else { return nil }
                        offset += offsetSeconds
                    }
                }
                // Local time = UTC + offset, so UTC = local - offset.
                micros -= (sign == UInt8(ascii: "+") ? offset : -offset) * microsPerSecond
            }
        }
        guard bytes.isEmpty else { return nil }
        let total = days(fromCivil: year, month, day) * microsPerDay + micros
        return Date(timeIntervalSince1970: Double(total) / 1_000_000)
    }

    private static func consume(_ bytes: inout ArraySlice<UInt8>, _ character: Unicode.Scalar) -> Bool {
        guard bytes.first == UInt8(ascii: character) else { return false }
        bytes.removeFirst()
        return true
    }

    private static func readInt(_ bytes: inout ArraySlice<UInt8>, minDigits: Int, maxDigits: Int) -> Int64? {
        var value: Int64 = 0
        var count = 0
        while count < maxDigits, let c = bytes.first, c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") {
            value = value * 10 + Int64(c - UInt8(ascii: "0"))
            bytes.removeFirst()
            count += 1
        }
        return count >= minDigits ? value : nil
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    private static func floorDivMod(_ a: Int64, _ b: Int64) -> (Int64, Int64) {
        let q = a / b
        let r = a % b
        return r < 0 ? (q - 1, r + b) : (q, r)
    }

    /// Days since 1970-01-01 → proleptic Gregorian (year, month, day). Howard Hinnant's
    /// `civil_from_days`; exact for every Int64 day count Postgres can store.
    private static func civil(fromDays z0: Int64) -> (Int64, Int64, Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Inverse of ``civil(fromDays:)`` (`days_from_civil`).
    private static func days(fromCivil y0: Int64, _ month: Int64, _ day: Int64) -> Int64 {
        let y = month <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
