import Foundation
import Testing
import TrackhubConsole

@Suite("Console formats (pt-BR first)")
struct ConsoleFormatTests {
    @Test("numbers and money")
    func numbers() {
        #expect(ConsoleFormat.integer(1234567, .portuguese) == "1.234.567")
        #expect(ConsoleFormat.integer(999, .portuguese) == "999")
        #expect(ConsoleFormat.integer(1234, .english) == "1,234")
        #expect(ConsoleFormat.money(1234.56, .portuguese) == "R$ 1.234,56")
        #expect(ConsoleFormat.money(0.5, .english) == "R$ 0.50")
    }

    @Test("dates in Brasília time")
    func dates() {
        let date = Date(timeIntervalSince1970: 1_796_491_920)  // 2026-12-05 17:32 UTC
        #expect(ConsoleFormat.dateTime(date, .portuguese) == "05/12/2026 14h32")
        #expect(ConsoleFormat.dateTime(date, .english) == "2026-12-05 14:32")
    }
}
