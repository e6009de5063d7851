/// Compares two byte sequences without an early exit, so the time taken does not reveal how
/// many leading bytes of a guessed secret or signature were right.
///
/// Only the lengths can leak (a length mismatch returns at once); every secret and MAC this
/// is used for either has a fixed length or a length that is not itself the secret.
public func constantTimeEquals(_ lhs: some Collection<UInt8>, _ rhs: some Collection<UInt8>) -> Bool {
    guard lhs.count == rhs.count else { return false }
    var difference: UInt8 = 0
    for (a, b) in zip(lhs, rhs) {
        difference |= a ^ b
    }
    return difference == 0
}

/// ``constantTimeEquals(_:_:)`` over the UTF-8 bytes of two strings (shared tokens such as
/// Hotmart's hottok or Monetizze's chave_unica), without copying either string.
public func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
    constantTimeEquals(lhs.utf8, rhs.utf8)
}
