internal import CLabTLS

/// An OpenSSL server context (certificate and key) a portal accepts TLS connections with.
final class PortalTLSContext: @unchecked Sendable {
    // SSL_CTX is safe to share between threads once configured; connections only read it.
    let context: OpaquePointer

    init(context: OpaquePointer) {
        self.context = context
    }

    deinit { SSL_CTX_free(context) }

    /// Runs the server handshake on the accepted socket `descriptor`; `nil` when it fails (the
    /// client gave up or rejected the certificate, as probes of an expired one do).
    func accept(descriptor: Int32) -> TLSStream? {
        guard let session = SSL_new(context) else { return nil }
        SSL_set_fd(session, descriptor)
        guard SSL_accept(session) == 1 else {
            ERR_clear_error()
            SSL_free(session)
            return nil
        }
        return TLSStream(session: session)
    }
}

/// One TLS connection of a portal: reads and writes through OpenSSL, on the connection's own thread.
final class TLSStream: PortalStream {
    private let session: OpaquePointer

    init(session: OpaquePointer) {
        self.session = session
    }

    deinit {
        SSL_shutdown(session)
        SSL_free(session)
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let count = SSL_read(session, buffer.baseAddress, Int32(clamping: buffer.count))
        if count <= 0 { ERR_clear_error() }
        return Int(count)
    }

    func write(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let count = SSL_write(session, raw.baseAddress! + offset, Int32(clamping: raw.count - offset))
                if count <= 0 {
                    ERR_clear_error()
                    return false
                }
                offset += Int(count)
            }
            return true
        }
    }
}
