/// The fixed 64-bit hash behind ``Shard``: the same on every machine, build and run (Swift's
/// `Hasher` is seeded per process, so two shards would disagree on who owns what).
///
/// - identity hash: FNV-1a 64 over the identity's UTF-8 bytes (offset basis 0xcbf29ce484222325,
///   prime 0x100000001b3);
/// - weight of shard `i` (numbered from 1): `fmix64(identityHash ^ (i &* 0x9e3779b97f4a7c15))`, where
///   `fmix64` is MurmurHash3's 64-bit finalizer. FNV-1a alone mixes its last bytes poorly; the
///   finalizer spreads every input bit over the whole weight, so each shard wins with equal odds.
///
/// docs/OPERATIONS.md documents the same formula for anyone who must predict an assignment.
public enum RendezvousHash {
    /// FNV-1a 64 of the UTF-8 bytes of `identity`.
    public static func hash(_ identity: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in identity.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        return hash
    }

    /// The weight of shard `shard` for an identity whose ``hash(_:)`` is `identityHash`.
    public static func weight(_ identityHash: UInt64, shard: Int) -> UInt64 {
        fmix64(identityHash ^ (UInt64(shard) &* 0x9e37_79b9_7f4a_7c15))
    }

    /// MurmurHash3's 64-bit finalizer.
    static func fmix64(_ value: UInt64) -> UInt64 {
        var mixed = value
        mixed ^= mixed >> 33
        mixed &*= 0xff51_afd7_ed55_8ccd
        mixed ^= mixed >> 33
        mixed &*= 0xc4ce_b9fe_1a85_ec53
        mixed ^= mixed >> 33
        return mixed
    }
}
