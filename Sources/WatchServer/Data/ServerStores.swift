import SLAEngine
import SeriesStore
import WatchCore

/// The stores a server reads, opened afresh for each request: a running `ispwatch run` may add
/// series and seal or start segments at any time, and a reader opened once would not see them.
struct ServerStores: Sendable {
    /// The data directories (one per vantage).
    let directories: [String]

    /// Readers over every directory that is a store now; a directory `run` has not created yet is
    /// an empty store, not an error.
    func readers() throws(RouteFailure) -> [StoreReader] {
        var readers: [StoreReader] = []
        for directory in directories {
            do {
                readers.append(try StoreReader(directory: directory))
            } catch let error where error.isFileNotFound {
                continue
            } catch {
                throw RouteFailure(status: 503, message: "the store \(directory) cannot be read: \(error)")
            }
        }
        return readers
    }

    /// Answers `query` with the figure engine, from rollups where they exist (building the missing
    /// ones, as `ispwatch query` does by default).
    static func figures(_ query: FigureQuery, readers: [StoreReader]) throws(RouteFailure) -> FigureAnswer {
        do {
            return try FigureEngine(readers: readers, rollups: .useAndBuild, threads: 2,
                                    nowMillis: { WallClock.now().millisecondsSinceEpoch }).answer(query)
        } catch {
            throw RouteFailure(status: 503, message: "the store could not be read: \(error)")
        }
    }
}
