import Foundation
import Testing
import TrackhubConsole

/// The built-in resources: both strings tables have the same keys, and every `{{t.key}}` a
/// template uses exists — so no page shows a raw key in either language.
@Suite("Console resources")
struct ConsoleResourcesTests {
    @Test("pt-BR and English tables have the same keys, and templates use only known keys")
    func stringsComplete() throws {
        let strings = try ConsoleStrings(resources: ConsoleResources.builtIn)
        let pt = Set(strings.tables[.portuguese]?.keys ?? [:].keys)
        let en = Set(strings.tables[.english]?.keys ?? [:].keys)
        #expect(!pt.isEmpty && pt == en, "missing in en: \(pt.subtracting(en).sorted()), missing in pt-BR: \(en.subtracting(pt).sorted())")
        let folder = ConsoleResources.builtIn + "/templates"
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
            let text = try String(contentsOfFile: folder + "/" + name, encoding: .utf8)
            var rest = text[...]
            while let range = rest.range(of: "{{t.") {
                let tail = rest[range.upperBound...]
                let key = String(tail.prefix { $0 != "}" })
                #expect(pt.contains(key), "\(name) uses t.\(key), which no table has")
                rest = tail
            }
            #expect(!text.contains("{{{"), "\(name) renders something unescaped")
        }
    }
}
