// swift-tools-version: 6.1
import Foundation
import PackageDescription

// A path dependency's identity is its directory name (a worktree may not be called "ispwatch").
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().lastPathComponent

// Throughput measurement of the TCP and ICMP probers on loopback (not a test: it prints numbers).
// Run: swift run -c release SocketThroughput [tcp|icmp|all]   (root or ping_group_range for ICMP)
let package = Package(
    name: "SocketThroughput",
    platforms: [.macOS(.v15)],
    dependencies: [.package(path: "../..")],
    targets: [
        .executableTarget(
            name: "SocketThroughput",
            dependencies: [.product(name: "Probing", package: root), .product(name: "WatchCore", package: root)]
        )
    ]
)
