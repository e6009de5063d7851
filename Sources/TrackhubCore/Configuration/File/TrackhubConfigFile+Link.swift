extension TrackhubConfigFile {
    public struct Link: Codable, Sendable, Equatable {
        /// `[A-Za-z0-9_-]{1,64}`: the link is `/go/{slug}`. Global across tenants.
        public var slug: String
        /// The pixel clicks are attributed to; nil = the tenant's default pixel.
        public var pixel: String?
        /// Where the click goes, as written (`type`, `url`, `also_src`, `bots`, `parameter`);
        /// see ``destinationValue()``.
        public var destination: ConfigValue?
        public var unknownKeys: [String]

        public init(slug: String, pixel: String? = nil, destination: ConfigValue?) {
            self.slug = slug
            self.pixel = pixel
            self.destination = destination
            self.unknownKeys = []
        }

        /// A link with a typed destination (for programs that build configurations).
        public init(slug: String, pixel: String? = nil, destination: LinkDestination) throws {
            self.init(slug: slug, pixel: pixel, destination: try LinkDestinationMapping.configValue(destination))
        }

        enum CodingKeys: String, CodingKey, CaseIterable {
            case slug, pixel, destination
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            slug = try c.decodeText(.slug) ?? ""
            pixel = try c.decodeText(.pixel)
            destination = try c.decodeIfPresent(ConfigValue.self, forKey: .destination)
            unknownKeys = try decoder.unknownKeys(CodingKeys.self)
        }

        /// The destination decoded, or the reasons it cannot be.
        public func destinationValue() -> Result<LinkDestination, LinkDestinationMapping.Failure> {
            guard let destination else { return .failure(.init(problems: ["is required"])) }
            return LinkDestinationMapping.decode(destination)
        }
    }
}
