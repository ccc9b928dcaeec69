import WatchCore

extension EchoLedger.Tally {
    /// Why the probe failed, or `nil` when it passed: at least one reply and no more loss than
    /// `maximumLoss` (a fraction, 0…1).
    func verdict(maximumLoss: Double) -> ProbeFailure? {
        let target = destination.description
        if received == 0 {
            if let sendError {
                let reason: FailureReason = switch sendError {
                case .networkUnreachable, .hostUnreachable: .networkUnreachable
                default: .proberError
                }
                return ProbeFailure(reason: reason, detail: "sending echo requests to \(target) failed: \(sendError)")
            }
            if unreachable > 0 {
                return ProbeFailure(reason: .icmpUnreachable,
                                    detail: "destination unreachable (code \(unreachableCode ?? 0)) for \(target)")
            }
            return ProbeFailure(reason: .icmpTimeout, detail: "no echo reply from \(target) out of \(sent) sent")
        }
        let loss = detail.loss
        if loss > maximumLoss {
            return ProbeFailure(
                reason: .icmpLoss,
                detail: "\(received) of \(sent) echo replies from \(target): loss \(Int((loss * 100).rounded())) % "
                    + "exceeds \(Int((maximumLoss * 100).rounded())) %")
        }
        return nil
    }

    /// The mean round trip over the replies received, `nil` without replies.
    var meanRTT: Duration? {
        received == 0 ? nil : .nanoseconds(Int64(rttTotal / UInt64(received)))
    }

    /// The detail a result carries.
    var detail: ICMPProbeDetail {
        ICMPProbeDetail(sent: sent, received: received,
                        minimumRTT: minimumRTT.map { .nanoseconds(Int64($0)) },
                        maximumRTT: maximumRTT.map { .nanoseconds(Int64($0)) },
                        replyHopLimit: hopLimit)
    }
}
