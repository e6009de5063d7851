/// Appends bytes into a buffer sized in advance, e.g. the storage of
/// `String(unsafeUninitializedCapacity:initializingUTF8With:)`, so a redirect URL is written
/// once, straight into the final string, without a growing intermediate array (whose per-byte
/// uniqueness and capacity checks dominated the builder's profile).
///
/// Every write checks the capacity with a `precondition`, kept in release builds: a wrong
/// size estimate traps instead of writing past the buffer.
struct ByteWriter {
    private let buffer: UnsafeMutableBufferPointer<UInt8>
    /// Bytes written so far.
    private(set) var count = 0

    init(_ buffer: UnsafeMutableBufferPointer<UInt8>) {
        self.buffer = buffer
    }

    @inline(__always)
    mutating func write(_ byte: UInt8) {
        precondition(count < buffer.count, "ByteWriter capacity exceeded")
        buffer[count] = byte
        count += 1
    }

    mutating func write(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let source = bytes.baseAddress, !bytes.isEmpty else { return }
        precondition(bytes.count <= buffer.count - count, "ByteWriter capacity exceeded")
        (buffer.baseAddress! + count).update(from: source, count: bytes.count)
        count += bytes.count
    }

    mutating func write(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) {
        write(UnsafeBufferPointer(rebasing: bytes))
    }

    mutating func write(_ text: StaticString) {
        write(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// Writes the UTF-8 of `text`.
    mutating func write(_ text: some StringProtocol) {
        if text.utf8.withContiguousStorageIfAvailable({ write($0) }) == nil {
            for byte in text.utf8 { write(byte) }
        }
    }
}
