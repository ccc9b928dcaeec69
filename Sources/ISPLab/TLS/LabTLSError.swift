/// OpenSSL failed while the lab made its certificates or served TLS.
public struct LabTLSError: Error, Sendable, CustomStringConvertible {
    /// What the lab was doing and OpenSSL's reason.
    public var description: String
}
