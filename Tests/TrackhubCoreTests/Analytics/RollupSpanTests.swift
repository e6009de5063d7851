import Foundation
import Testing
@testable import TrackhubCore

/// Which rows a read takes from the daily rollups and which from the hourly ones (migration 19).
@Suite("RollupSpan")
struct RollupSpanTests {
    static let dec1 = Date(timeIntervalSince1970: 1_796_083_200)  // 2026-12-01 00:00 UTC
    static func at(_ days: Double, _ hours: Double = 0) -> Date { dec1.addingTimeInterval(days * 86_400 + hours * 3600) }

    @Test("whole UTC days from the daily rows, the ragged ends from the hourly ones")
    func raggedEnds() {
        let span = RollupSpan(from: Self.at(0, 14), to: Self.at(90, 10), bucket: nil, timeZone: "UTC")
        #expect(span.days == Self.at(1)..<Self.at(90))
        #expect(span.hours == [Self.at(0, 14)..<Self.at(1), Self.at(90)..<Self.at(90, 10)])
    }

    @Test("a period on day boundaries is days only; daily buckets in UTC too")
    func aligned() {
        #expect(RollupSpan(from: Self.at(0), to: Self.at(90), bucket: nil, timeZone: "UTC") == RollupSpan(days: Self.at(0)..<Self.at(90), hours: []))
        #expect(RollupSpan(from: Self.at(0), to: Self.at(7), bucket: .day, timeZone: "Etc/UTC").days == Self.at(0)..<Self.at(7))
    }

    @Test("hourly buckets, daily buckets in São Paulo, and periods inside one day read hours only")
    func hoursOnly() {
        for (from, to, bucket, zone) in [(Self.at(0), Self.at(7), AnalyticsBucket.hour, "UTC"),
                                          (Self.at(0), Self.at(7), .day, "America/Sao_Paulo"),
                                          (Self.at(3, 1), Self.at(3, 23), nil, "UTC"),
                                          (Self.at(3, 20), Self.at(4, 5), nil, "UTC")] as [(Date, Date, AnalyticsBucket?, String)] {
            #expect(RollupSpan(from: from, to: to, bucket: bucket, timeZone: zone) == RollupSpan(days: nil, hours: [from..<to]))
        }
        #expect(RollupSpan(from: Self.at(2), to: Self.at(1), bucket: nil, timeZone: "UTC") == RollupSpan(days: nil, hours: []))
    }

    @Test("day starts: midnight stays, any other instant goes back to its midnight, before 1970 too")
    func dayStart() {
        #expect(RollupSpan.dayStart(Self.at(5)) == Self.at(5))
        #expect(RollupSpan.dayStart(Self.at(5, 23.99)) == Self.at(5))
        #expect(RollupSpan.dayStart(Date(timeIntervalSince1970: -1)) == Date(timeIntervalSince1970: -86_400))
    }
}
