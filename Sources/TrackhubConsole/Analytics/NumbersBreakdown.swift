import Foundation
import TrackhubCore

/// The rollups by one UTM and what Meta says about the objects its values name: the spend per
/// object id and currency, and each object's name (``AdSpendStore``). One per level the UTM
/// convention joins (campaign ↔ `utm_campaign`, ad set ↔ `utm_medium`, ad ↔ `utm_content`).
struct NumbersBreakdown: Sendable {
    var groups: [AnalyticsGroup] = []
    var spend: [String: [String: Decimal]] = [:]
    var names: [String: String] = [:]
}
