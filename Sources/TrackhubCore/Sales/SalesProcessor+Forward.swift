import Foundation
import Logging

extension SalesProcessor {
    /// Queues the batch's updates of bots with a `forward_url` for their backend
    /// (``TelegramForwardPlanner``), before anything is sent to Meta: the relay does not wait
    /// for the pixel and is queued before the batch is acknowledged (idempotent when the batch
    /// is processed again). A body that cannot be opened is left to the funnel, which
    /// dead-letters it.
    func queueForwards(_ updates: [Envelope], config: DispatchConfig, now: Date) async throws {
        guard let forwards else { return }
        let opened: [TelegramForwardPlanner.Update] = updates.compactMap { e in
            guard TelegramForwardPlanner.forwards(e, config: config), let w = e.webhook,
                  let body = try? keys.open(w.body, for: .webhookBody(tenant: e.tenant, envelope: e.id)) else { return nil }
            return TelegramForwardPlanner.Update(envelope: e, body: Array(body))
        }
        let jobs = TelegramForwardPlanner.jobs(opened, config: config, nowMs: Int64(now.timeIntervalSince1970 * 1000))
        guard !jobs.isEmpty else { return }
        let queued = try await forwards.enqueue(jobs)
        logger.debug("telegram updates queued for forwarding", metadata: [LogKey.count: "\(queued)"])
    }
}
