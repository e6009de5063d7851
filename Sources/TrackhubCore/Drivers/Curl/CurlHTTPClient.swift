import CCurl
import CCurlShim
import Synchronization

/// A blocking HTTP/1.1 client over one libcurl easy handle.
///
/// Why libcurl and why blocking: the dispatcher talks to exactly one upstream (Meta's Graph
/// API) with small JSON bodies, and a dedicated thread per connection doing a plain blocking
/// `curl_easy_perform` is the simplest thing that keeps a warm TCP+TLS connection, honours
/// hard millisecond timeouts and uses the system's OpenSSL and CA store. Because every call
/// blocks its thread for up to `timeout`, this type must only be used from dedicated threads
/// (see `CurlClientPool`), never from the Swift cooperative pool.
///
/// The easy handle is created once and reused for every request, so libcurl keeps the
/// connection to the host alive between requests (`curl_easy_reset` before each request
/// clears the options but keeps live connections, the DNS cache and TLS session IDs). The
/// handle is freed in `deinit`, the only place that calls `curl_easy_cleanup`.
///
/// Nothing produced by this client (failure messages, errors) contains the URL: the Meta
/// access token travels in its query string.
public final class CurlHTTPClient: @unchecked Sendable {
    // @unchecked Sendable: a libcurl easy handle must be used by ONE thread at a time. The
    // instance may be handed from the thread that created it to the thread that uses it
    // (that is what CurlClientPool does), but two concurrent calls are a programming error;
    // `busy` turns that error into an immediate trap instead of memory corruption.

    /// Default cap on a response body. Meta's CAPI answers are a few hundred bytes; a
    /// megabyte leaves room for verbose Graph errors while bounding memory per thread.
    public static let defaultMaxResponseBytes = 1 << 20

    private let handle: UnsafeMutableRawPointer
    private let maxResponseBytes: Int
    private let userAgent: String
    private let proxy: String
    private let busy = Atomic<Bool>(false)

    /// Creates the easy handle (and, once per process, initialises libcurl).
    ///
    /// - Parameters:
    ///   - maxResponseBytes: bodies larger than this abort the transfer with
    ///     `.failure(.other)` instead of growing memory without bound.
    ///   - userAgent: sent as `User-Agent`, so Meta-side logs can tell our traffic apart.
    ///   - proxy: an explicit proxy URL, or nil for a direct connection. The `http_proxy`
    ///     family of environment variables is deliberately ignored so that a stray variable
    ///     cannot silently reroute tokens through a proxy.
    public init(
        maxResponseBytes: Int = CurlHTTPClient.defaultMaxResponseBytes,
        userAgent: String = "trackhub",
        proxy: String? = nil
    ) throws(CurlInitError) {
        let globalCode = CurlGlobal.initCode
        guard globalCode == CURLE_OK else {
            throw CurlInitError(.globalInitFailed, "curl_global_init failed: " + CurlHTTPClient.describe(globalCode))
        }
        guard let handle = curl_easy_init() else {
            throw CurlInitError(.handleAllocationFailed, "curl_easy_init returned NULL")
        }
        self.handle = handle
        self.maxResponseBytes = max(0, maxResponseBytes)
        self.userAgent = userAgent
        self.proxy = proxy ?? ""
    }

    deinit {
        curl_easy_cleanup(handle)
    }

    /// POSTs `body` and waits for the response, blocking the calling thread.
    ///
    /// `Content-Type: application/json` is added unless `headers` already has a
    /// Content-Type, and libcurl's `Expect: 100-continue` is suppressed (it costs a round trip
    /// and Meta answers without it).
    ///
    /// - Parameters:
    ///   - headers: complete header lines (`"Name: value"`); a line containing CR, LF or NUL
    ///     is refused with `.failure(.other)` before anything is sent.
    ///   - timeout: budget for the whole exchange (Meta recommends 1500 ms).
    ///   - connectTimeout: budget for TCP connect + TLS handshake only.
    public func post(
        url: String,
        body: [UInt8],
        headers: [String] = [],
        timeout: Duration,
        connectTimeout: Duration = .seconds(5)
    ) -> HTTPOutcome {
        var ignored: [String: String] = [:]
        return perform(method: .post(body), url: url, headers: headers, capture: [], captured: &ignored,
                       timeout: timeout, connectTimeout: connectTimeout).outcome
    }

    /// ``post(url:body:headers:timeout:connectTimeout:)`` that also returns the values of the
    /// response headers named in `capturing` (the last value of each, keyed by the name as
    /// given). Used for Meta's throttling hints (``ThrottleHint``).
    public func post(
        url: String,
        body: [UInt8],
        headers: [String] = [],
        capturing: [String],
        timeout: Duration,
        connectTimeout: Duration = .seconds(5)
    ) -> (outcome: HTTPOutcome, headers: [String: String]) {
        var captured: [String: String] = [:]
        let outcome = perform(method: .post(body), url: url, headers: headers, capture: capturing, captured: &captured,
                              timeout: timeout, connectTimeout: connectTimeout).outcome
        return (outcome, captured)
    }

    /// GETs `url` and waits for the response, blocking the calling thread (used e.g. to fetch
    /// a Mercado Pago payment with a bearer token in `headers`).
    public func get(
        url: String,
        headers: [String] = [],
        timeout: Duration,
        connectTimeout: Duration = .seconds(5)
    ) -> HTTPOutcome {
        var ignored: [String: String] = [:]
        return perform(method: .get, url: url, headers: headers, capture: [], captured: &ignored,
                       timeout: timeout, connectTimeout: connectTimeout).outcome
    }

    /// A GET for reading a page someone else controls (the console's landing-page check):
    /// connects only to `connectTo` (an address the caller already checked, so no second DNS
    /// lookup can answer differently), on a fresh connection that is not kept, and reads at most
    /// `maxBytes` of the body — a longer body is cut there, not failed (`truncated` says so).
    /// Redirects are not followed; the headers named in `capturing` (`Location`) are returned.
    public func getPinned(
        url: String,
        host: String,
        port: Int,
        connectTo address: IPAddress,
        headers: [String] = [],
        capturing: [String],
        maxBytes: Int,
        timeout: Duration,
        connectTimeout: Duration = .seconds(5)
    ) -> (outcome: HTTPOutcome, headers: [String: String], truncated: Bool) {
        var captured: [String: String] = [:]
        let target = address.isIPv4 ? address.description : "[" + address.description + "]"
        let pin = Pin(connectTo: "\(host):\(port):\(target):\(port)", maxBytes: maxBytes)
        let (outcome, truncated) = perform(method: .get, url: url, headers: headers, capture: capturing, captured: &captured,
                                           timeout: timeout, connectTimeout: connectTimeout, pin: pin)
        return (outcome, captured, truncated)
    }

    /// How ``getPinned(url:host:port:connectTo:headers:capturing:maxBytes:timeout:connectTimeout:)``
    /// narrows a request: `CURLOPT_CONNECT_TO` (`host:port:address:port`) and the body cap.
    struct Pin {
        var connectTo: String
        var maxBytes: Int
    }

    /// ``get(url:headers:timeout:connectTimeout:)`` that also returns the values of the response
    /// headers named in `capturing` (Meta's throttling hints on an insights read).
    public func get(
        url: String,
        headers: [String] = [],
        capturing: [String],
        timeout: Duration,
        connectTimeout: Duration = .seconds(5)
    ) -> (outcome: HTTPOutcome, headers: [String: String]) {
        var captured: [String: String] = [:]
        let outcome = perform(method: .get, url: url, headers: headers, capture: capturing, captured: &captured,
                              timeout: timeout, connectTimeout: connectTimeout).outcome
        return (outcome, captured)
    }

    // MARK: - Implementation

    enum Method {
        case get
        case post([UInt8])
    }

    private func perform(
        method: Method,
        url: String,
        headers: [String],
        capture: [String],
        captured: inout [String: String],
        timeout: Duration,
        connectTimeout: Duration,
        pin: Pin? = nil
    ) -> (outcome: HTTPOutcome, truncated: Bool) {
        let (acquired, _) = busy.compareExchange(expected: false, desired: true, ordering: .acquiring)
        precondition(acquired, "CurlHTTPClient used by two threads at once")
        defer { busy.store(false, ordering: .releasing) }

        let start = ContinuousClock.now
        func fail(_ kind: TransportFailure, _ message: String, latency: Duration? = nil) -> (outcome: HTTPOutcome, truncated: Bool) {
            (.failure(kind: kind, message: message, latency: latency ?? ContinuousClock.now - start), false)
        }

        if headers.contains(where: Self.isUnsafeHeaderLine) {
            return fail(.other, "request header contains CR, LF or NUL; request not sent")
        }
        var lines = headers
        if case .post = method {
            if !headers.contains(where: { Self.headerName($0) == "content-type" }) {
                lines.append("Content-Type: application/json")
            }
            if !headers.contains(where: { Self.headerName($0) == "expect" }) {
                lines.append("Expect:")  // "Name:" with no value removes a libcurl default
            }
        }
        var slist: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(slist) }
        var connectList: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(connectList) }
        if let pin {
            guard let appended = curl_slist_append(nil, pin.connectTo) else {
                return fail(.other, "curl_slist_append failed (out of memory)")
            }
            connectList = appended
        }
        for line in lines {
            guard let appended = curl_slist_append(slist, line) else {
                return fail(.other, "curl_slist_append failed (out of memory)")
            }
            slist = appended
        }

        curl_easy_reset(handle)
        // Reset again on the way out (after getinfo, before the header list is freed), so the
        // idle handle never holds pointers to the freed header list or the caller's body.
        defer { curl_easy_reset(handle) }
        let sink = ResponseSink(limit: pin.map { max(0, $0.maxBytes) } ?? maxResponseBytes)
        let code: CURLcode = withExtendedLifetime(sink) {
            do throws(CurlCodeError) {
                try configure(url: url, headers: slist, timeout: timeout, connectTimeout: connectTimeout)
                if pin != nil {
                    // Only the checked address, on a connection of its own that is not kept.
                    try check(th_curl_easy_setopt_slist(handle, CURLOPT_CONNECT_TO, connectList))
                    try check(th_curl_easy_setopt_long(handle, CURLOPT_FRESH_CONNECT, 1))
                    try check(th_curl_easy_setopt_long(handle, CURLOPT_FORBID_REUSE, 1))
                }
                try check(th_curl_easy_setopt_ptr(handle, CURLOPT_WRITEDATA, Unmanaged.passUnretained(sink).toOpaque()))
                try check(th_curl_easy_setopt_write_function(handle) { data, size, count, context in
                    // Runs on this thread inside curl_easy_perform; `context` is the sink above.
                    guard let context else { return 0 }
                    let sink = Unmanaged<ResponseSink>.fromOpaque(context).takeUnretainedValue()
                    let total = size * count
                    guard total > 0, let data else { return total }
                    guard sink.bytes.count + total <= sink.limit else {
                        sink.exceeded = true
                        return 0  // a short count makes libcurl abort with CURLE_WRITE_ERROR
                    }
                    sink.bytes.append(contentsOf: UnsafeRawBufferPointer(start: data, count: total))
                    return total
                })
            } catch {
                return error.code
            }
            switch method {
            case .get:
                do throws(CurlCodeError) {
                    try check(th_curl_easy_setopt_long(handle, CURLOPT_HTTPGET, 1))
                } catch {
                    return error.code
                }
                return curl_easy_perform(handle)
            case .post(let body):
                return Self.withBodyPointer(body) { pointer in
                    do throws(CurlCodeError) {
                        try check(th_curl_easy_setopt_long(handle, CURLOPT_POST, 1))
                        try check(th_curl_easy_setopt_long(handle, CURLOPT_POSTFIELDSIZE, body.count))
                        // POSTFIELDS is not copied by libcurl: `pointer` is valid until this
                        // closure returns, which is after curl_easy_perform.
                        try check(th_curl_easy_setopt_ptr(handle, CURLOPT_POSTFIELDS, pointer))
                    } catch {
                        return error.code
                    }
                    return curl_easy_perform(handle)
                }
            }
        }
        let latency = ContinuousClock.now - start

        // A capped read of someone else's page (`pin`): what arrived is the answer, cut.
        let cut = sink.exceeded && pin != nil
        if sink.exceeded, !cut {
            return fail(.other, "response body exceeds the \(maxResponseBytes)-byte limit; transfer aborted", latency: latency)
        }
        guard code == CURLE_OK || cut else {
            return fail(Self.classify(code), Self.describe(code), latency: latency)
        }
        var status = 0
        let infoCode = th_curl_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        guard infoCode == CURLE_OK, status > 0 else {
            return fail(.other, "no HTTP status available: " + Self.describe(infoCode), latency: latency)
        }
        // Before the deferred reset: the handle holds this response's headers until then.
        for name in capture {
            var header: UnsafeMutablePointer<curl_header>?
            guard curl_easy_header(handle, name, 0, UInt32(CURLH_HEADER), -1, &header) == CURLHE_OK,
                  let value = header?.pointee.value else { continue }
            captured[name] = String(cString: value)
        }
        return (.response(status: status, body: sink.bytes, latency: latency), cut)
    }

    /// Sets every option a request needs (the handle was just reset to defaults).
    private func configure(
        url: String,
        headers: UnsafeMutablePointer<curl_slist>?,
        timeout: Duration,
        connectTimeout: Duration
    ) throws(CurlCodeError) {
        // libcurl copies string options (since 7.17), so the temporary C strings may die here.
        try check(url.withCString { th_curl_easy_setopt_ptr(handle, CURLOPT_URL, $0) })
        try check("http,https".withCString { th_curl_easy_setopt_ptr(handle, CURLOPT_PROTOCOLS_STR, $0) })
        try check(proxy.withCString { th_curl_easy_setopt_ptr(handle, CURLOPT_PROXY, $0) })
        try check(userAgent.withCString { th_curl_easy_setopt_ptr(handle, CURLOPT_USERAGENT, $0) })
        // Without NOSIGNAL libcurl uses SIGALRM for DNS timeouts, which is unsafe with threads.
        try check(th_curl_easy_setopt_long(handle, CURLOPT_NOSIGNAL, 1))
        try check(th_curl_easy_setopt_long(handle, CURLOPT_TIMEOUT_MS, Self.milliseconds(timeout)))
        try check(th_curl_easy_setopt_long(handle, CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(connectTimeout)))
        try check(th_curl_easy_setopt_long(handle, CURLOPT_TCP_KEEPALIVE, 1))
        try check(th_curl_easy_setopt_long(handle, CURLOPT_TCP_KEEPIDLE, 30))
        try check(th_curl_easy_setopt_long(handle, CURLOPT_TCP_KEEPINTVL, 15))
        // A redirect from the Graph API would be an anomaly to report, not to follow (and
        // following could replay the token to another host).
        try check(th_curl_easy_setopt_long(handle, CURLOPT_FOLLOWLOCATION, 0))
        try check(th_curl_easy_setopt_long(handle, CURLOPT_HTTP_VERSION, Int(CURL_HTTP_VERSION_1_1)))
        try check(th_curl_easy_setopt_long(handle, CURLOPT_NOPROGRESS, 1))
        try check(th_curl_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, headers))
    }

    @inline(__always)
    private func check(_ code: CURLcode) throws(CurlCodeError) {
        if code != CURLE_OK { throw CurlCodeError(code: code) }
    }

    /// Calls `body` with a pointer to the bytes, or to an empty C string when there are none:
    /// a NULL `CURLOPT_POSTFIELDS` would make libcurl read the body from stdin instead.
    private static func withBodyPointer<R>(_ bytes: [UInt8], _ body: (UnsafeRawPointer) -> R) -> R {
        if let result = bytes.withUnsafeBufferPointer({ buffer in buffer.baseAddress.map { body(UnsafeRawPointer($0)) } }) {
            return result
        }
        return "".withCString { body(UnsafeRawPointer($0)) }
    }

    /// Whole milliseconds, rounded up and at least 1: libcurl reads 0 as "no timeout".
    static func milliseconds(_ duration: Duration) -> Int {
        let (seconds, attoseconds) = duration.components
        guard seconds > 0 || (seconds == 0 && attoseconds > 0) else { return 1 }
        let cap: Int64 = 86_400_000  // one day; nothing in this system waits longer
        guard seconds < cap / 1000 else { return Int(cap) }
        let millis = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        return Int(max(1, millis))
    }

    static func isUnsafeHeaderLine(_ line: String) -> Bool {
        line.utf8.contains { $0 == 0x0D || $0 == 0x0A || $0 == 0x00 }
    }

    /// Lower-cased header name (text before the first ':'), for default-header decisions.
    static func headerName(_ line: String) -> String {
        let name = line.prefix { $0 != ":" }
        return name.trimmingWhitespace().lowercased()
    }

    /// libcurl's static description of `code`; it never contains the URL or any header.
    static func describe(_ code: CURLcode) -> String {
        guard let text = curl_easy_strerror(code) else { return "curl error \(code.rawValue)" }
        return String(cString: text) + " (curl error \(code.rawValue))"
    }

    /// Maps a libcurl result to the coarse kind the retry policy switches on.
    static func classify(_ code: CURLcode) -> TransportFailure {
        switch code {
        case CURLE_OPERATION_TIMEDOUT:
            return .timeout
        case CURLE_COULDNT_CONNECT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return .connect
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM,
            CURLE_SSL_CIPHER, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_SHUTDOWN_FAILED,
            CURLE_SSL_CRL_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
            CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED,
            CURLE_SSL_ENGINE_INITFAILED, CURLE_SSL_CLIENTCERT, CURLE_USE_SSL_FAILED:
            return .tls
        case CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE:
            return .sendOrReceive
        default:
            return .other
        }
    }
}


/// A failed `curl_easy_setopt` inside one request.
struct CurlCodeError: Error {
    let code: CURLcode
}

/// Collects the response body for one request; touched only by the thread inside
/// `curl_easy_perform` (through the write callback) and by that same thread afterwards.
private final class ResponseSink {
    let limit: Int
    var bytes: [UInt8] = []
    var exceeded = false

    init(limit: Int) {
        self.limit = limit
        bytes.reserveCapacity(min(limit, 16 * 1024))
    }
}

/// `curl_global_init` must run once per process before any handle is created, and is not
/// guaranteed thread-safe on every libcurl build; a `static let` gives exactly-once,
/// race-free initialisation. It is never paired with `curl_global_cleanup`: handles may live
/// until exit and the OS reclaims everything then.
enum CurlGlobal {
    static let initCode: CURLcode = curl_global_init(Int(CURL_GLOBAL_ALL))
}

extension StringProtocol {
    /// The text without leading/trailing spaces and tabs (header-name comparison only).
    fileprivate func trimmingWhitespace() -> String {
        let isBlank: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isBlank($0) }) else { return "" }
        let last = lastIndex(where: { !isBlank($0) })!
        return String(self[first...last])
    }
}
