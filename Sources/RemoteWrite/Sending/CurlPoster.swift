import Foundation
internal import CCurl
import WatchCore

/// POSTs remote-write bodies with one libcurl easy handle, reused so that the connection to the
/// receiver stays open between batches. Blocking: used only on the sender's own thread.
final class CurlPoster {
    /// The User-Agent, which the specification asks to name the sender and its version.
    static let userAgent = "ispwatch/remote-write"

    private let handle: UnsafeMutableRawPointer
    private var headerList: UnsafeMutablePointer<curl_slist>?
    private let settings: RemoteWriteSettings

    init(settings: RemoteWriteSettings) throws(PosterError) {
        _ = Self.globalInitialization
        guard let handle = curl_easy_init() else { throw PosterError("curl_easy_init failed") }
        self.handle = handle
        self.settings = settings
        var headers = [
            "Content-Encoding: snappy", "Content-Type: application/x-protobuf",
            "X-Prometheus-Remote-Write-Version: 0.1.0", "Expect:",
        ]
        if case .bearer(let tokenFile) = settings.authorization {
            headers.append("Authorization: Bearer \(try Self.secret(tokenFile))")
        }
        headers += settings.headers.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
        for header in headers { headerList = curl_slist_append(headerList, header) }
        let milliseconds = max(1, Int(settings.timeout.nanoseconds / 1_000_000))
        try check(ispwatch_easy_setopt_string(handle, CURLOPT_URL, settings.url), "CURLOPT_URL")
        try check(ispwatch_easy_setopt_string(handle, CURLOPT_USERAGENT, Self.userAgent), "CURLOPT_USERAGENT")
        try check(ispwatch_easy_setopt_slist(handle, CURLOPT_HTTPHEADER, headerList), "CURLOPT_HTTPHEADER")
        try check(ispwatch_easy_setopt_long(handle, CURLOPT_POST, 1), "CURLOPT_POST")
        try check(ispwatch_easy_setopt_long(handle, CURLOPT_NOSIGNAL, 1), "CURLOPT_NOSIGNAL")
        try check(ispwatch_easy_setopt_long(handle, CURLOPT_TIMEOUT_MS, milliseconds), "CURLOPT_TIMEOUT_MS")
        try check(ispwatch_easy_setopt_data_callback(handle, CURLOPT_WRITEFUNCTION, collectBody), "CURLOPT_WRITEFUNCTION")
        if case .basic(let username, let passwordFile) = settings.authorization {
            let password = try Self.secret(passwordFile)
            try check(ispwatch_easy_setopt_long(handle, CURLOPT_HTTPAUTH, Self.basicAuthentication), "CURLOPT_HTTPAUTH")
            try check(ispwatch_easy_setopt_string(handle, CURLOPT_USERNAME, username), "CURLOPT_USERNAME")
            try check(ispwatch_easy_setopt_string(handle, CURLOPT_PASSWORD, password), "CURLOPT_PASSWORD")
        }
    }

    deinit {
        curl_easy_cleanup(handle)
        curl_slist_free_all(headerList)
    }

    /// POSTs `body` and waits for the answer (at most the settings' timeout).
    func post(_ body: [UInt8]) -> PostOutcome {
        let response = ResponseBody()
        let code: CURLcode = body.withUnsafeBytes { bytes in
            withExtendedLifetime(response) {
                _ = ispwatch_easy_setopt_pointer(handle, CURLOPT_POSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress))
                _ = ispwatch_easy_setopt_off_t(handle, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(bytes.count))
                _ = ispwatch_easy_setopt_pointer(handle, CURLOPT_WRITEDATA, Unmanaged.passUnretained(response).toOpaque())
                return curl_easy_perform(handle)
            }
        }
        guard code == CURLE_OK else {
            return .retryable(reason: String(cString: curl_easy_strerror(code)))
        }
        var status = 0
        _ = ispwatch_easy_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &status)
        return PostOutcome(status: status, message: response.text)
    }

    /// The first line of the file at `path`, without surrounding white space.
    private static func secret(_ path: String) throws(PosterError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else { throw PosterError("cannot read \(path)") }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func check(_ code: CURLcode, _ option: StaticString) throws(PosterError) {
        guard code == CURLE_OK else { throw PosterError("\(option): \(String(cString: curl_easy_strerror(code)))") }
    }

    /// CURLAUTH_BASIC, a macro Swift does not import.
    private static let basicAuthentication = 1

    private static let globalInitialization: Void = { _ = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()
}

/// The first bytes of a response body: a receiver says there why it refused a batch.
private final class ResponseBody {
    static let limit = 512
    var bytes: [UInt8] = []

    var text: String {
        String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

private func collectBody(_ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int,
                         _ userdata: UnsafeMutableRawPointer?) -> Int
{
    guard let data, let userdata else { return size * count }
    let body = Unmanaged<ResponseBody>.fromOpaque(userdata).takeUnretainedValue()
    let room = max(0, ResponseBody.limit - body.bytes.count)
    let bytes = UnsafeRawBufferPointer(start: data, count: size * count)
    body.bytes += bytes.prefix(room)
    return size * count
}

/// The sender could not be set up (libcurl refused an option).
public struct PosterError: Error, CustomStringConvertible {
    /// What failed.
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
