import Scheduling
import Testing
import WatchCore

/// Ten thousand series keys shaped like real ones: targets of several providers, both families.
private let manySeries: [SeriesKey] = (0..<5_000).flatMap { index in
    [IPFamily.v4, .v6].map { family in
        SeriesKey(target: TargetID("provider-\(index % 37)-dns-\(index)"), vantage: "hanoi-vnpt-1", family: family)
    }
}

@Test(arguments: 1...8)
func everySeriesIsOwnedByExactlyOneShard(count: Int) throws {
    let shards = try (1...count).map { try Shard(number: $0, count: count) }
    var owned = [Int](repeating: 0, count: count)
    for series in manySeries {
        let owners = shards.filter { $0.owns(series) }
        #expect(owners.count == 1, "\(series) is owned by \(owners)")
        if let owner = owners.first { owned[owner.number - 1] += 1 }
    }
    // Each shard's share is near 1/count: within 15 % of the fair share (binomial spread is ~2 %).
    let fair = Double(manySeries.count) / Double(count)
    for share in owned {
        #expect(abs(Double(share) - fair) < fair * 0.15, "shares \(owned), fair \(fair)")
    }
}

@Test(arguments: 1...7)
func addingAShardMovesAboutOneInNPlusOneSeriesAndOnlyToTheNewShard(count: Int) {
    var moved = 0
    for series in manySeries {
        let identity = Shard.identity(of: series)
        let before = Shard.owner(of: identity, count: count)
        let after = Shard.owner(of: identity, count: count + 1)
        if before != after {
            moved += 1
            #expect(after == count + 1, "\(series) moved from shard \(before) to old shard \(after)")
        }
    }
    let expected = Double(manySeries.count) / Double(count + 1)
    #expect(abs(Double(moved) - expected) < expected * 0.1, "moved \(moved), expected about \(Int(expected))")
}

@Test func theAssignmentIsAFixedFunctionOfTheIdentity() {
    // Pinned values: a change of hash would silently reshuffle every fleet's targets.
    #expect(RendezvousHash.hash("") == 0xcbf2_9ce4_8422_2325)
    #expect(RendezvousHash.hash("a") == 0xaf63_dc4c_8601_ec8c)
    #expect(RendezvousHash.hash("foobar") == 0x85944171f73967e8)
    // Computed independently (Python) from the formula documented in docs/OPERATIONS.md.
    #expect((1...8).map { Shard.owner(of: "viettel-dns-hn-1/v4", count: $0) } == [1, 2, 3, 3, 3, 3, 7, 7])
    #expect((1...8).map { Shard.owner(of: "fpt-portal/v6", count: $0) } == [1, 2, 2, 2, 2, 2, 2, 2])
}

@Test func theSeriesIdentityLeavesOutTheVantage() {
    let hanoi = SeriesKey(target: TargetID("vnpt-portal"), vantage: "hanoi-1", family: .v6)
    let saigon = SeriesKey(target: TargetID("vnpt-portal"), vantage: "saigon-1", family: .v6)
    #expect(Shard.identity(of: hanoi) == "vnpt-portal/v6")
    #expect(Shard.identity(of: hanoi) == Shard.identity(of: saigon))
}

@Test(arguments: [
    ("1/1", 1, 1), ("2/3", 2, 3), ("8/8", 8, 8),
])
func shardsParseFromNumberOverCount(text: String, number: Int, count: Int) throws {
    let shard = try Shard(parsing: text)
    #expect(shard.number == number && shard.count == count)
    #expect(shard.description == text)
}

@Test(arguments: ["0/3", "4/3", "1/0", "3", "a/b", "1/2/3", "-1/2", "1/5000", ""])
func malformedOrMissingShardsAreRefusedWithAReason(text: String) {
    #expect(throws: ShardError.self) { try Shard(parsing: text) }
}

@Test func zeroBasedNumbersAreRefusedWithAHintToCountFromOne() {
    do {
        _ = try Shard(parsing: "0/3")
        Issue.record("0/3 was accepted")
    } catch {
        #expect(error.description.contains("numbered 1 to 3"))
    }
}
