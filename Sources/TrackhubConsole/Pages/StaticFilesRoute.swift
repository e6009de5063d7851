import Foundation
import Hummingbird
import HTTPTypes
import NIOCore

/// `GET /static/<file>`: the stylesheet and the few lines of vanilla JS, read once at start
/// from the resources folder (no Node toolchain, no build step).
struct StaticFilesRoute: ConsolePage {
    let files: [String: (type: String, body: ByteBuffer)]

    init(_ deps: ConsoleDependencies) {
        let directory = ConsoleResources.directory(deps.configuration.resourcesDirectory) + "/static"
        var files: [String: (String, ByteBuffer)] = [:]
        let types = ["css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8", "svg": "image/svg+xml"]
        for name in (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [] {
            guard let type = types[(name as NSString).pathExtension], let data = FileManager.default.contents(atPath: directory + "/" + name)
            else { continue }
            files[name] = (type, ByteBuffer(bytes: data))
        }
        self.files = files
    }

    func register(on router: Router<ConsoleRequestContext>) {
        router.get("/static/:name") { _, context in
            guard let name = context.parameters.get("name"), let file = files[name] else { throw HTTPError(.notFound) }
            var headers = HTTPFields()
            headers[.contentType] = file.type
            headers[.cacheControl] = "public, max-age=300"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: file.body))
        }
    }
}
