internal import CCurl
import Synchronization

/// Parsed CA bundles, one X509 store per file, shared by every HTTPS probe of the process.
///
/// libcurl 7.88 with OpenSSL parses the CA file again for every new connection: with the
/// system bundle that is ~24 ms of CPU per probe (36 HTTPS probes/s on one core), which would
/// make fresh-connection probing of public portals impossible at scale. Parsing once and handing
/// the store to each SSL_CTX costs nothing per probe. The stores live as long as the process; a CA
/// file changed on disk is not reread (restart the prober's process to pick it up).
final class CertificateAuthorityStores: @unchecked Sendable {
    /// The process-wide stores.
    static let shared = CertificateAuthorityStores()

    /// `X509_STORE *` by file path. OpenSSL's stores are reference-counted and locked
    /// internally, so one store may verify handshakes on the loop thread while this map grows.
    private let stores = Mutex<[String: OpaquePointer]>([:])
    /// libcurl's built-in CA bundle (CURLINFO_CAINFO), used when a spec names no CA file.
    private let defaultBundle: String?

    private init() {
        defaultBundle = (try? CurlEasyHandle()).flatMap { $0.string(CURLINFO_CAINFO) }
    }

    /// Parses libcurl's default bundle now, so that no probe pays for it on the cooperative pool.
    func preloadDefaultBundle() {
        if let defaultBundle { _ = store(for: defaultBundle) }
    }

    /// Makes `easy` verify against the parsed `caFile` (or libcurl's default bundle). When the
    /// file cannot be parsed, leaves libcurl's own loading in place, so the probe reports
    /// libcurl's error for that file.
    func install(caFile: String?, on easy: CurlEasyHandle) throws(CurlError) {
        guard let path = caFile ?? defaultBundle, let store = store(for: path) else { return }
        try curlCheck(ispwatch_easy_use_ca_store(easy.raw, store), "curl_easy_setopt")
    }

    private func store(for path: String) -> OpaquePointer? {
        stores.withLock { stores in
            if let store = stores[path] { return store }
            // Parsed under the lock, once per file: the first probes naming a new file wait
            // for it (milliseconds) instead of each parsing their own copy.
            guard let store = ispwatch_ca_store_load(path) else { return nil }
            stores[path] = store
            return store
        }
    }
}
