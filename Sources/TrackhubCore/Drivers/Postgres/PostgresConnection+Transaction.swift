extension PostgresConnection {
    /// Runs `body` inside `BEGIN` … `COMMIT`, rolling back if it throws.
    ///
    /// Two traps are handled here so callers cannot fall into them:
    /// - If a statement inside failed but `body` caught the error and returned normally, the
    ///   server has already doomed the transaction, and a `COMMIT` would answer `ROLLBACK`
    ///   *without an error*. That is detected and thrown as
    ///   ``PostgresError/Kind/transactionAborted`` instead of silently losing the writes.
    /// - If `body` throws, `ROLLBACK` is attempted and the body's error is rethrown (a failing
    ///   rollback — e.g. the connection died — does not mask it).
    ///
    /// Transactions do not nest: calling this while one is open throws
    /// ``PostgresError/Kind/invalidArgument``.
    public func transaction<T>(_ body: (PostgresConnection) throws -> T) throws -> T {
        guard !isInTransaction else {
            throw PostgresError(.invalidArgument, "a transaction is already open on this connection; transactions do not nest")
        }
        try execute("BEGIN")
        let value: T
        do {
            value = try body(self)
        } catch {
            rollbackQuietly()
            throw error
        }
        if isInFailedTransaction {
            rollbackQuietly()
            throw PostgresError(
                .transactionAborted,
                "a statement in the transaction failed and its error was caught; the transaction was rolled back"
            )
        }
        let commit = try query("COMMIT")
        // Belt and braces for the first trap: whatever path led to an aborted transaction,
        // a COMMIT the server answered with ROLLBACK is never reported as success.
        guard commit.commandTag == "COMMIT" else {
            throw PostgresError(.transactionAborted, "the server rolled the transaction back at COMMIT")
        }
        return value
    }

    /// Rolls back an open transaction, ignoring failure: used on error paths, where the
    /// original error is what the caller needs, and a dead connection has no transaction left.
    func rollbackQuietly() {
        guard isInTransaction else { return }
        try? execute("ROLLBACK")
    }
}
