/// Reads the flushed records of an active segment (possibly while the writer appends to it).
enum ActiveSegmentReader {
    /// What a walk over an active segment found.
    struct Outcome {
        var records = 0
        /// Where valid frames end.
        var validEnd = 0
        var fileLength = 0
        /// Damage: a bad header, a frame that stops the walk, or records that do not decode.
        var damages: [StoreDamage] = []
    }

    /// Calls `visit` for every valid result record; unknown record kinds are skipped.
    static func read(
        path: String, visit: (StoredResult) throws -> Void
    ) throws -> Outcome {
        let file = try StoreFile(path: path, mode: .readOnly)
        let bytes = try file.readAll()
        var outcome = Outcome(fileLength: bytes.count)
        var visitError: (any Error)?
        bytes.withUnsafeBytes { raw in
            do {
                _ = try FileHeader.decode(raw, expecting: .activeSegment)
            } catch {
                outcome.damages.append(StoreDamage(path: path, kind: .fileHeader, offset: 0, detail: "\(error)"))
                return
            }
            let walk = RecordFrame.walk(raw, from: FileHeader.length) { kind, payload, offset in
                guard kind == RecordFrame.Kind.result.rawValue, visitError == nil else { return }
                do {
                    let result = try ResultRecordCodec.decode(payload)
                    outcome.records += 1
                    try visit(result)
                } catch let failure as DecodeFailure {
                    outcome.damages.append(StoreDamage(path: path, kind: .record, offset: offset, detail: failure.description))
                } catch {
                    visitError = error
                }
            }
            outcome.validEnd = walk.validEnd
            if let stop = walk.stop {
                outcome.damages.append(StoreDamage(
                    path: path, kind: .recordFrame, offset: walk.validEnd,
                    detail: "\(stop.humanDescription); \(raw.count - walk.validEnd) bytes after it unreadable"))
            }
        }
        if let visitError { throw visitError }
        return outcome
    }
}
