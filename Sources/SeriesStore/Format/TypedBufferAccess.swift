// The standard library's `withUnsafe…` methods rethrow untyped errors; these keep a typed throw
// typed, so that storage code can throw `StoreError` and `DecodeFailure` through them.

extension Array {
    @inline(__always)
    func withRawBytes<Result, Failure: Error>(
        _ body: (UnsafeRawBufferPointer) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        var outcome: Swift.Result<Result, Failure>!
        withUnsafeBytes { raw in
            do throws(Failure) { outcome = .success(try body(raw)) } catch { outcome = .failure(error) }
        }
        return try outcome.get()
    }

    @inline(__always)
    mutating func withMutableRawBytes<Result, Failure: Error>(
        _ body: (UnsafeMutableRawBufferPointer) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        var outcome: Swift.Result<Result, Failure>!
        withUnsafeMutableBytes { raw in
            do throws(Failure) { outcome = .success(try body(raw)) } catch { outcome = .failure(error) }
        }
        return try outcome.get()
    }

    @inline(__always)
    mutating func withMutableBuffer<Result, Failure: Error>(
        _ body: (UnsafeMutableBufferPointer<Element>) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        var outcome: Swift.Result<Result, Failure>!
        withUnsafeMutableBufferPointer { buffer in
            do throws(Failure) { outcome = .success(try body(buffer)) } catch { outcome = .failure(error) }
        }
        return try outcome.get()
    }
}
