/// The byte scanner behind the counting-only mode (`FakeMetaCounter`).
///
/// Counts the events of a CAPI request body without building a JSON tree: the objects that are
/// direct elements of the top-level `"data"` array. One pass over the bytes, aware of strings
/// and escapes, so a `{` inside a string value is not counted.
public enum FakeMetaEventCounter {
    /// The number of objects in `{"data":[…]}`, or nil when the body has no `data` array or is
    /// not balanced JSON.
    public static func countDataElements(in bytes: UnsafeRawBufferPointer) -> Int? {
        var depth = 0
        var inString = false
        var escaped = false
        var stringStart = 0
        var lastKeyIsData = false
        var pendingKey = false
        var inData = false
        var sawData = false
        var count = 0
        for (i, b) in bytes.enumerated() {
            if inString {
                if escaped { escaped = false }
                else if b == UInt8(ascii: "\\") { escaped = true }
                else if b == UInt8(ascii: "\"") {
                    inString = false
                    if depth == 1 {
                        // A string at depth 1 is a key if a ':' follows; remember whether it is "data".
                        pendingKey = i - stringStart == 4 && bytes[stringStart] == UInt8(ascii: "d")
                            && bytes[stringStart + 1] == UInt8(ascii: "a") && bytes[stringStart + 2] == UInt8(ascii: "t")
                            && bytes[stringStart + 3] == UInt8(ascii: "a")
                    }
                }
                continue
            }
            switch b {
            case UInt8(ascii: "\""):
                inString = true
                stringStart = i + 1
            case UInt8(ascii: ":"):
                if depth == 1 { lastKeyIsData = pendingKey }
            case UInt8(ascii: ","):
                if depth == 1 { lastKeyIsData = false; pendingKey = false }
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                if depth == 1, b == UInt8(ascii: "["), lastKeyIsData { inData = true; sawData = true }
                if depth == 2, inData, b == UInt8(ascii: "{") { count += 1 }
                depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                depth -= 1
                if depth < 0 { return nil }
                if depth == 1 { inData = false }
            default:
                break
            }
        }
        return depth == 0 && !inString && sawData ? count : nil
    }
}
