extension DispatchConfig {
    /// A tracking link (`/go/{slug}`).
    public struct Link: Sendable, Equatable, CustomStringConvertible {
        public var slug: String
        public var tenant: String
        /// The link's pixel, or its tenant's default.
        public var pixel: String?
        /// False once the configuration stopped listing it (clicks in flight still resolve).
        public var active: Bool
        /// Where `/go` sends the visitor; nil when this version cannot read the stored value
        /// (workers do not need it; ``SnapshotCompiler`` refuses to publish such an active link).
        public var destination: LinkDestination?

        public init(slug: String, tenant: String, pixel: String?, active: Bool, destination: LinkDestination? = nil) {
            self.slug = slug
            self.tenant = tenant
            self.pixel = pixel
            self.active = active
            self.destination = destination
        }

        public var description: String { "Link(\(slug), tenant: \(tenant), pixel: \(pixel ?? "none")\(active ? "" : ", inactive"))" }
    }
}
