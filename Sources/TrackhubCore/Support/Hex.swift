/// Hexadecimal conversion for signatures, without Foundation.
package enum Hex {
    /// Decodes hex of either case into bytes; `nil` for an odd length or a non-hex character.
    ///
    /// Signatures are compared as bytes after decoding, so a gateway that switches hex case
    /// (Eduzz does not document one) still verifies, and the comparison stays constant-time.
    package static func decode(_ text: some StringProtocol) -> [UInt8]? {
        let utf8 = text.utf8
        guard utf8.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count / 2)
        var high: UInt8 = 0
        var isHigh = true
        for c in utf8 {
            guard let nibble = value(of: c) else { return nil }
            if isHigh {
                high = nibble << 4
            } else {
                out.append(high | nibble)
            }
            isHigh.toggle()
        }
        return out
    }

    /// Lowercase hex, the form every gateway here sends.
    package static func encode(_ bytes: some Sequence<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.underestimatedCount * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The value of one hex digit (either case), or `nil`.
    @inline(__always)
    static func value(of c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c &- UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c &- UInt8(ascii: "a") &+ 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return c &- UInt8(ascii: "A") &+ 10
        default: return nil
        }
    }

    private static let digits: [UInt8] = Array("0123456789abcdef".utf8)
}
