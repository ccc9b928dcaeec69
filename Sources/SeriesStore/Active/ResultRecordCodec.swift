/// The payload of a result record (kind 1), version 1:
///
/// `series varint · flags u8 · start zigzag-varint · [start − scheduled zigzag-varint] ·
/// failureCode u8 · [code zigzag-varint] · latency varint · phaseMask u8 · phase varint*`
///
/// flags: bit 0 success, bit 1 scheduled present, bit 2 code present. Phase values follow for each
/// set mask bit, lowest code first. Fields added later go at the end; a reader ignores trailing
/// bytes it does not understand.
enum ResultRecordCodec {
    @inline(__always)
    static func encode(_ result: StoredResult, into writer: inout ByteWriter) {
        writer.varint(UInt64(result.series))
        var flags: UInt8 = result.success ? 1 : 0
        if result.scheduledMillis != nil { flags |= 2 }
        if result.code != nil { flags |= 4 }
        writer.byte(flags)
        writer.signedVarint(result.startMillis)
        if let scheduled = result.scheduledMillis { writer.signedVarint(result.startMillis &- scheduled) }
        writer.byte(result.failureCode)
        if let code = result.code { writer.signedVarint(Int64(code)) }
        writer.varint(UInt64(result.latencyMicros))
        let mask = result.phases.presence
        writer.byte(mask)
        if mask != 0 {
            for code in 0..<StoredPhases.phaseCount where mask & (1 << code) != 0 {
                writer.varint(UInt64(result.phases[code: code]!))
            }
        }
    }

    static func decode(_ payload: UnsafeRawBufferPointer) throws(DecodeFailure) -> StoredResult {
        var cursor = ByteCursor(payload)
        let series = try cursor.varint()
        guard series <= UInt64(UInt32.max) else { throw DecodeFailure("series id out of range") }
        let flags = try cursor.byte()
        let start = try cursor.signedVarint()
        let scheduled: Int64? = flags & 2 != 0 ? start &- (try cursor.signedVarint()) : nil
        let failureCode = try cursor.byte()
        var code: Int32?
        if flags & 4 != 0 {
            let raw = try cursor.signedVarint()
            guard let narrow = Int32(exactly: raw) else { throw DecodeFailure("code out of range") }
            code = narrow
        }
        let latency = try cursor.varint()
        guard latency <= UInt64(UInt32.max) else { throw DecodeFailure("latency out of range") }
        let mask = try cursor.byte()
        guard mask & 0x80 == 0 else { throw DecodeFailure("unknown phase bit") }
        var phases = StoredPhases()
        for phaseCode in 0..<StoredPhases.phaseCount where mask & (1 << phaseCode) != 0 {
            let value = try cursor.varint()
            guard value <= UInt64(UInt32.max) else { throw DecodeFailure("phase out of range") }
            phases[code: phaseCode] = UInt32(value)
        }
        var result = StoredResult(
            series: UInt32(series), scheduledMillis: scheduled, startMillis: start, success: flags & 1 != 0,
            failure: nil, code: code, latencyMicros: UInt32(latency), phases: phases)
        result.failureCode = failureCode
        return result
    }
}
