/// One process' share of a vantage's target list: shard `number` of `count`, written `number/count`
/// with `number` counted from 1 (`--shard 1/3`, `2/3`, `3/3`), the way people say "machine 2 of 3".
///
/// A series belongs to the shard with the highest rendezvous weight for its identity
/// (``RendezvousHash``), so every series has exactly one owner and going from `n` to `n + 1` shards
/// moves only the series the new shard wins, about `1 / (n + 1)` of them; none move between the old
/// shards.
public struct Shard: Sendable, Hashable, CustomStringConvertible {
    /// The shard's number, from 1 to ``count``.
    public let number: Int
    /// How many shards share the target list.
    public let count: Int

    /// The whole target list: one shard of one.
    public static let whole = Shard(uncheckedNumber: 1, count: 1)

    /// The largest shard count accepted; far above any fleet, low enough that a typo like `1/30000`
    /// is caught.
    public static let maximumCount = 1024

    /// Creates shard `number` of `count`.
    ///
    /// - Throws: ``ShardError`` when `count` is not in 1...``maximumCount`` or `number` not in 1...`count`.
    public init(number: Int, count: Int) throws(ShardError) {
        guard (1...Self.maximumCount).contains(count) else {
            throw ShardError("the shard count \(count) must be between 1 and \(Self.maximumCount)")
        }
        guard (1...count).contains(number) else {
            throw ShardError("shard \(number) of \(count) does not exist: shards are numbered 1 to \(count) (e.g. 1/\(count))")
        }
        self.init(uncheckedNumber: number, count: count)
    }

    /// Parses `i/n`, e.g. `2/3`.
    ///
    /// - Throws: ``ShardError`` naming what is wrong with `text`.
    public init(parsing text: String) throws(ShardError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let number = Int(parts[0]), let count = Int(parts[1]) else {
            throw ShardError("\"\(text)\" is not a shard: write i/n, the shard's number (from 1) over the shard count, e.g. 2/3")
        }
        try self.init(number: number, count: count)
    }

    private init(uncheckedNumber: Int, count: Int) {
        self.number = uncheckedNumber
        self.count = count
    }

    /// `number/count`, e.g. `2/3`.
    public var description: String { "\(number)/\(count)" }

    /// Whether this shard owns the series with stable identity `identity`.
    public func owns(_ identity: String) -> Bool {
        count == 1 || Self.owner(of: identity, count: count) == number
    }

    /// The number (from 1) of the shard that owns `identity` among `count` shards: the one with the
    /// highest rendezvous weight, ties (astronomically rare) going to the lower number.
    public static func owner(of identity: String, count: Int) -> Int {
        let identityHash = RendezvousHash.hash(identity)
        var best = 1
        var bestWeight = RendezvousHash.weight(identityHash, shard: 1)
        if count > 1 {
            for number in 2...count {
                let weight = RendezvousHash.weight(identityHash, shard: number)
                if weight > bestWeight {
                    best = number
                    bestWeight = weight
                }
            }
        }
        return best
    }
}

/// A `--shard` that does not parse or does not exist.
public struct ShardError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong, in words a user can act on.
    public let description: String

    init(_ description: String) { self.description = description }
}
