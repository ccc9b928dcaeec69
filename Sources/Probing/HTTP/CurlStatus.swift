internal import CCurl

/// A libcurl call that returned something other than OK, as an error.
///
/// Setup calls (creating handles, setting options) throw it; a transfer's own outcome is kept as a
/// ``CurlStatus`` value and classified into a `FailureReason`, because a failing target is data.
struct CurlError: Error, CustomStringConvertible {
    /// The C function that failed.
    var call: StaticString
    /// The raw `CURLcode` or `CURLMcode`.
    var code: UInt32
    /// libcurl's text for the code.
    var message: String

    var description: String { "\(call) failed: \(message) (\(code))" }
}

/// The outcome of a transfer as libcurl reported it.
struct CurlStatus: Sendable, Equatable {
    /// The raw `CURLcode`.
    var rawValue: UInt32

    static let ok = CurlStatus(rawValue: CURLE_OK.rawValue)

    var isOK: Bool { rawValue == CURLE_OK.rawValue }

    /// libcurl's generic text for the code (the error buffer usually says more).
    var message: String { String(cString: curl_easy_strerror(CURLcode(rawValue: rawValue))) }
}

// MARK: - The one checking funnel

// Every CURLcode and CURLMcode the package sees passes through one of these two functions, so
// that a failing call can never be silently ignored.

/// Checks a `CURLcode` returned by `call`; throws ``CurlError`` unless it is `CURLE_OK`.
@inline(__always)
func curlCheck(_ code: CURLcode, _ call: StaticString) throws(CurlError) {
    guard code == CURLE_OK else {
        throw CurlError(call: call, code: code.rawValue, message: String(cString: curl_easy_strerror(code)))
    }
}

/// Checks a `CURLMcode` returned by `call`; throws ``CurlError`` unless it is `CURLM_OK`.
@inline(__always)
func curlCheck(_ code: CURLMcode, _ call: StaticString) throws(CurlError) {
    guard code == CURLM_OK else {
        throw CurlError(call: call, code: UInt32(bitPattern: code.rawValue), message: String(cString: curl_multi_strerror(code)))
    }
}

// MARK: - Global initialisation

/// Runs `curl_global_init` exactly once per process, before the first handle is created.
///
/// `curl_global_init` is not thread-safe itself; a Swift global `let` is initialised lazily and
/// exactly once (swift_once), which gives the thread safety. Its result is kept so that every
/// later caller sees the same failure.
enum CurlGlobal {
    private static let initialisation: Result<Void, CurlError> = Result {
        () throws(CurlError) in try curlCheck(curl_global_init(Int(CURL_GLOBAL_DEFAULT)), "curl_global_init")
    }

    /// Initialises libcurl if that has not happened yet; throws if it failed.
    static func ensureInitialised() throws(CurlError) {
        try initialisation.get()
    }
}
