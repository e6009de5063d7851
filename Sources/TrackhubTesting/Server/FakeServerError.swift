/// A fake could not do what a test asked (not started, waited in vain); the text says what.
public struct FakeServerError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
