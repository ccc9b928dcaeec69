internal import CCurl
import Synchronization

/// One libcurl easy handle with its error buffer, reused across probes through ``CurlEasyHandlePool``.
///
/// Not thread-safe: it belongs to one probe at a time, and while its transfer runs, to the
/// ``CurlMultiLoop`` thread alone.
final class CurlEasyHandle: @unchecked Sendable {
    /// The `CURL *`.
    let raw: UnsafeMutableRawPointer
    /// `CURLOPT_ERRORBUFFER`: libcurl writes its detailed message for a failed transfer here.
    let errorBuffer: UnsafeMutablePointer<CChar>

    /// Creates a handle with `curl_easy_init`.
    init() throws(CurlError) {
        try CurlGlobal.ensureInitialised()
        guard let raw = curl_easy_init() else {
            throw CurlError(call: "curl_easy_init", code: CURLE_OUT_OF_MEMORY.rawValue, message: "no handle")
        }
        self.raw = raw
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    }

    deinit {
        curl_easy_cleanup(raw)
        errorBuffer.deallocate()
    }

    /// Forgets every option of the previous probe (`curl_easy_reset`) so the handle can be reused.
    func reset() {
        curl_easy_reset(raw)
        errorBuffer[0] = 0
    }

    /// The detailed error text of the last transfer, or `nil` when libcurl wrote none.
    var errorText: String? {
        errorBuffer[0] == 0 ? nil : String(cString: errorBuffer)
    }

    // MARK: - Options

    /// `curl_easy_setopt` with a `long` value.
    @inline(__always)
    func set(_ option: CURLoption, _ value: Int) throws(CurlError) {
        try curlCheck(ispwatch_easy_setopt_long(raw, option, value), "curl_easy_setopt")
    }

    /// `curl_easy_setopt` with a `curl_off_t` value.
    @inline(__always)
    func set(_ option: CURLoption, offset value: Int64) throws(CurlError) {
        try curlCheck(ispwatch_easy_setopt_off_t(raw, option, curl_off_t(value)), "curl_easy_setopt")
    }

    /// `curl_easy_setopt` with a string, which libcurl copies.
    @inline(__always)
    func set(_ option: CURLoption, _ value: String) throws(CurlError) {
        let code = value.withCString { ispwatch_easy_setopt_string(raw, option, $0) }
        try curlCheck(code, "curl_easy_setopt")
    }

    /// `curl_easy_setopt` with a pointer that must outlive the transfer.
    @inline(__always)
    func set(_ option: CURLoption, pointer value: UnsafeMutableRawPointer?) throws(CurlError) {
        try curlCheck(ispwatch_easy_setopt_pointer(raw, option, value), "curl_easy_setopt")
    }

    /// `curl_easy_setopt` with a header list that must outlive the transfer.
    @inline(__always)
    func set(_ option: CURLoption, list value: UnsafeMutablePointer<curl_slist>?) throws(CurlError) {
        try curlCheck(ispwatch_easy_setopt_slist(raw, option, value), "curl_easy_setopt")
    }

    /// `curl_easy_setopt` with a write or header callback.
    @inline(__always)
    func set(_ option: CURLoption, callback value: ispwatch_data_callback) throws(CurlError) {
        try curlCheck(ispwatch_easy_setopt_data_callback(raw, option, value), "curl_easy_setopt")
    }

    // MARK: - Information

    /// `curl_easy_getinfo` for a `long`; `nil` when libcurl has no value.
    @inline(__always)
    func long(_ info: CURLINFO) -> Int? {
        var value = 0
        do { try curlCheck(ispwatch_easy_getinfo_long(raw, info, &value), "curl_easy_getinfo") } catch { return nil }
        return value
    }

    /// `curl_easy_getinfo` for a `curl_off_t` (the `*_TIME_T` timings are microseconds).
    @inline(__always)
    func offset(_ info: CURLINFO) -> Int64? {
        var value: curl_off_t = 0
        do { try curlCheck(ispwatch_easy_getinfo_off_t(raw, info, &value), "curl_easy_getinfo") } catch { return nil }
        return Int64(value)
    }

    /// `curl_easy_getinfo` for a string; `nil` when libcurl has none.
    func string(_ info: CURLINFO) -> String? {
        var value: UnsafeMutablePointer<CChar>? = nil
        do { try curlCheck(ispwatch_easy_getinfo_string(raw, info, &value), "curl_easy_getinfo") } catch { return nil }
        guard let value, value[0] != 0 else { return nil }
        return String(cString: value)
    }
}

/// Idle easy handles kept for reuse, so that a probe skips `curl_easy_init`'s allocation.
///
/// Reuse of a handle never means reuse of a connection: connections live in the multi handle's
/// cache, and probes forbid reuse unless their spec asks for it.
final class CurlEasyHandlePool: Sendable {
    private let idle: Mutex<[CurlEasyHandle]>
    private let capacity: Int

    /// Creates an empty pool that keeps at most `capacity` idle handles.
    init(capacity: Int) {
        self.capacity = capacity
        idle = Mutex([])
    }

    /// An idle handle, or a new one when none is idle.
    func acquire() throws(CurlError) -> CurlEasyHandle {
        if let handle = idle.withLock({ $0.popLast() }) { return handle }
        return try CurlEasyHandle()
    }

    /// Resets `handle` and keeps it for the next probe, or frees it when the pool is full.
    func release(_ handle: CurlEasyHandle) {
        handle.reset()
        let kept = idle.withLock { handles -> Bool in
            guard handles.count < capacity else { return false }
            handles.append(handle)
            return true
        }
        _ = kept  // A handle not kept is freed by its deinit when this scope ends, outside the lock.
    }
}
