/// A support case that should exist and does not (read back right after it was written).
enum HelpDeskError: Error {
    case notFound(Int)
}
