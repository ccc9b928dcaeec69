import Foundation
import Testing
@testable import WatchServer

struct SHA256Tests {
    @Test func digestsMatchTheFIPSExamples() {
        #expect(SHA256.hexDigest(of: "") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hexDigest(of: "abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hexDigest(of: "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        #expect(SHA256.hexDigest(of: String(repeating: "a", count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func digestsMatchSha256sumAcrossBlockBoundaries() throws {
        var generator = SystemRandomNumberGenerator()
        for length in [1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 1_000] {
            let text = String((0..<length).map { _ in Character(UnicodeScalar(UInt8.random(in: 33...126, using: &generator))) })
            let reference = try Self.sha256sum(text)
            #expect(SHA256.hexDigest(of: text) == reference, "length \(length)")
        }
    }

    @Test func tokenComparisonNeedsEveryByteEqual() {
        let digest = SHA256.hash(Array("secret".utf8))
        #expect(TokenAuthenticator.constantTimeEqual(digest, digest))
        var last = digest
        last[31] ^= 1
        #expect(!TokenAuthenticator.constantTimeEqual(digest, last))
        #expect(!TokenAuthenticator.constantTimeEqual(digest, Array(digest.prefix(31))))
    }

    /// coreutils' sha256sum of `text`.
    private static func sha256sum(_ text: String) throws -> String {
        let input = FileManager.default.temporaryDirectory.appendingPathComponent("sha-\(UUID().uuidString)")
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("sha-\(UUID().uuidString).out")
        defer {
            try? FileManager.default.removeItem(at: input)
            try? FileManager.default.removeItem(at: output)
        }
        try Data(text.utf8).write(to: input)
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [input.path]
        process.standardOutput = try FileHandle(forWritingTo: output)
        try process.run()
        process.waitUntilExit()
        return String(try String(contentsOf: output, encoding: .utf8).prefix(64))
    }
}
