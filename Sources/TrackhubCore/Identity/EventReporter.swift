/// Who sent an event to Trackhub, which decides whether the request's own IP address and user
/// agent describe the person the event is about.
///
/// A landing page's browser posting `/track` *is* that person's browser. A seller's server or
/// bot posting `/s2s` is not: its address and user agent are the server's, and sending them to
/// Meta as the buyer's would teach Meta to match everyone to one data centre
/// (``EndUserContext/resolve(reporter:reported:click:)``).
public enum EventReporter: String, Sendable, Equatable {
    /// The person's own browser (`POST /track/{event}`).
    case browser
    /// A seller's server or bot authenticated with an ingest key (`POST /s2s/{event}`).
    case server
}
