public import Hummingbird

/// One fake's share of a fake server: the routes it answers.
///
/// Why a protocol: a fake server is assembled from several of these on one router — Meta's
/// Graph API edges, Mercado Pago's payments API, the control API scripts drive — and the fakes
/// still to come (Graph pixel read, test events, insights, Telegram's Bot API) plug in as one
/// more conformance, with no change to the host (`FakeHTTPServer`).
public protocol FakeRoutes: Sendable {
    /// Adds this fake's routes to `router`.
    func register(on router: Router<BasicRequestContext>)
}
