import NIOCore
import NIOPosix
import Synchronization
import WatchCore

/// A fixed set of UDP sockets of one family, spread over the event loops, used in turn.
final class DNSUDPSocketPool: Sendable {
    private let sockets: [DNSUDPSocket]
    private let nextIndex = Atomic<Int>(0)

    /// Opens `count` sockets, blocking the calling thread until they are bound.
    /// - Throws: the bind error when a socket cannot be opened.
    init(
        group: MultiThreadedEventLoopGroup, family: IPFamily, count: Int, vectorReadCount: Int, receiveSlotSize: Int
    ) throws {
        let loops = Array(group.makeIterator())
        let futures = (0..<max(1, count)).map { index in
            DNSUDPSocket.open(
                on: loops[index % loops.count], family: family, vectorReadCount: vectorReadCount,
                receiveSlotSize: receiveSlotSize)
        }
        var sockets: [DNSUDPSocket] = []
        for future in futures { sockets.append(try future.wait()) }
        self.sockets = sockets
    }

    /// The next socket in turn.
    func socket() -> DNSUDPSocket {
        let index = nextIndex.wrappingAdd(1, ordering: .relaxed).oldValue
        return sockets[Int(UInt(bitPattern: index) % UInt(sockets.count))]
    }

    /// Replies ignored by every socket of the pool.
    var ignoredReplies: Int { sockets.reduce(0) { $0 + $1.ignoredReplies } }

    /// Closes every socket, failing the queries in flight.
    func close() async {
        for socket in sockets { await socket.close() }
    }
}
