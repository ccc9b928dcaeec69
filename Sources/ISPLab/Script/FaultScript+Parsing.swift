import WatchCore
import Yams

extension FaultScript {
    /// Parses a fault script (docs/LAB.md). Providers without `address:` get 127.0.0.(10 + position).
    ///
    /// - Parameters:
    ///   - text: the YAML text.
    ///   - path: the file name to put in error messages.
    /// - Throws: `FaultScriptError` at the first problem, naming its line and column.
    public static func parse(_ text: String, path: String) throws(FaultScriptError) -> FaultScript {
        let reader = ScriptNodeReader(file: path)
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw reader.syntaxError(error)
        } catch {
            throw FaultScriptError(file: path, line: 1, column: 1, message: "not YAML: \(error)")
        }
        guard let root else { throw reader.error(nil, "the script is empty; write providers: with at least one provider") }
        let fields = try reader.mapping(root, allowed: ["duration", "providers"], what: "the script")
        let duration = try fields["duration"].map { node throws(FaultScriptError) in try reader.duration(node, field: "duration") }
        guard let providerList = fields["providers"] else {
            throw reader.error(root, "providers: is missing; list at least one provider")
        }
        guard case .sequence(let sequence) = providerList, !sequence.isEmpty else {
            throw reader.error(providerList, "providers: must be a list of at least one provider")
        }
        var providers: [Provider] = []
        for (index, node) in sequence.enumerated() {
            let provider = try reader.provider(node, position: index)
            if let earlier = providers.first(where: { $0.id == provider.id }) {
                throw reader.error(node, "provider id \"\(earlier.id)\" is used twice; ids must be unique")
            }
            if let sharing = providers.first(where: { $0.address == provider.address }) {
                throw reader.error(node, "address \(provider.address) is already \(sharing.id)'s; each provider has its own")
            }
            providers.append(provider)
        }
        return FaultScript(duration: duration, providers: providers)
    }
}

/// Reads the script's YAML nodes, turning every problem into an error at the node's position.
private struct ScriptNodeReader {
    let file: String

    func error(_ node: Node?, _ message: String) -> FaultScriptError {
        FaultScriptError(file: file, line: node?.mark?.line ?? 1, column: node?.mark?.column ?? 1, message: message)
    }

    func syntaxError(_ error: YamlError) -> FaultScriptError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _):
            FaultScriptError(file: file, line: mark.line, column: mark.column, message: "YAML syntax: \(problem)")
        default:
            FaultScriptError(file: file, line: 1, column: 1, message: "YAML syntax: \(error)")
        }
    }

    /// The mapping's values by key; an unknown key is an error naming the allowed ones.
    func mapping(_ node: Node, allowed: [String], what: String) throws(FaultScriptError) -> [String: Node] {
        guard case .mapping(let mapping) = node else { throw error(node, "\(what) must be a mapping of \(allowed.joined(separator: ", "))") }
        var fields: [String: Node] = [:]
        for (key, value) in mapping {
            guard let name = key.string, allowed.contains(name) else {
                throw error(key, "unknown key \"\(key.string ?? "?")\" in \(what); allowed: \(allowed.joined(separator: ", "))")
            }
            fields[name] = value
        }
        return fields
    }

    func string(_ node: Node, field: String) throws(FaultScriptError) -> String {
        guard case .scalar(let scalar) = node, !scalar.string.isEmpty else { throw error(node, "\(field) must be a non-empty string") }
        return scalar.string
    }

    func duration(_ node: Node, field: String) throws(FaultScriptError) -> Duration {
        let text = try string(node, field: field)
        guard let value = DurationSyntax.parse(text) else {
            throw error(node, "\(field): \"\(text)\" is not a duration; write a number and a unit, like 30s or 1m30s")
        }
        return value
    }

    func provider(_ node: Node, position: Int) throws(FaultScriptError) -> FaultScript.Provider {
        let fields = try mapping(node, allowed: ["id", "name", "address", "faults"], what: "a provider")
        guard let idNode = fields["id"] else { throw error(node, "a provider needs an id") }
        let id = try string(idNode, field: "id")
        guard id.wholeMatch(of: /[a-z0-9][a-z0-9._-]*/) != nil else {
            throw error(idNode, "id \"\(id)\" must be lower-case letters, digits, '.', '_' or '-'")
        }
        let address: String
        if let addressNode = fields["address"] {
            address = try string(addressNode, field: "address")
            let octets = address.split(separator: ".", omittingEmptySubsequences: false).compactMap { UInt8($0) }
            guard octets.count == 4, octets[0] == 127 else {
                throw error(addressNode, "address \"\(address)\" must be a loopback IPv4 address, 127.0.0.x")
            }
        } else {
            guard position + 10 < 255 else { throw error(node, "too many providers for default addresses; give address:") }
            address = "127.0.0.\(position + 10)"
        }
        var faults: [ScriptedFault] = []
        if let faultList = fields["faults"] {
            guard case .sequence(let sequence) = faultList else { throw error(faultList, "faults: must be a list") }
            for faultNode in sequence { faults.append(try fault(faultNode)) }
        }
        return FaultScript.Provider(id: id, name: try fields["name"].map { n throws(FaultScriptError) in try string(n, field: "name") },
                                    address: address, faults: faults)
    }

    func fault(_ node: Node) throws(FaultScriptError) -> ScriptedFault {
        let fields = try mapping(node, allowed: ["kind", "service", "start", "end", "delay", "status", "period"], what: "a fault")
        guard let kindNode = fields["kind"] else { throw error(node, "a fault needs a kind") }
        let kindText = try string(kindNode, field: "kind")
        guard let kind = FaultKind(rawValue: kindText) else {
            throw error(kindNode, "unknown fault kind \"\(kindText)\"; use one of \(FaultKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        var services = kind.services
        if let serviceNode = fields["service"] {
            let text = try string(serviceNode, field: "service")
            if text != "all" {
                guard let service = LabService(rawValue: text) else {
                    throw error(serviceNode, "unknown service \"\(text)\"; use dns, http, https or all")
                }
                guard kind.services.contains(service) else {
                    let allowed = kind.services.map(\.rawValue).sorted().joined(separator: ", ")
                    throw error(serviceNode, "\(kind.rawValue) cannot act on \(text); it acts on \(allowed)")
                }
                services = [service]
            }
        }
        guard let startNode = fields["start"] else { throw error(node, "a fault needs a start (an offset like 30s)") }
        let start = try duration(startNode, field: "start")
        let end = try fields["end"].map { n throws(FaultScriptError) in try duration(n, field: "end") }
        if let end, end <= start, let endNode = fields["end"] { throw error(endNode, "end must be after start") }
        var fault = ScriptedFault(kind: kind, services: services, start: start, end: end, line: node.mark?.line ?? 0)
        if let delayNode = fields["delay"] {
            guard kind == .slow else { throw error(delayNode, "delay belongs to a slow fault") }
            fault.delay = try duration(delayNode, field: "delay")
        }
        if let statusNode = fields["status"] {
            guard kind == .http5xx else { throw error(statusNode, "status belongs to an http_5xx fault") }
            guard let status = Int(try string(statusNode, field: "status")), (500...599).contains(status) else {
                throw error(statusNode, "status must be a number from 500 to 599")
            }
            fault.status = status
        }
        if let periodNode = fields["period"] {
            guard kind == .flapping else { throw error(periodNode, "period belongs to a flapping fault") }
            fault.period = try duration(periodNode, field: "period")
            guard fault.period >= .milliseconds(200) else { throw error(periodNode, "period must be at least 200ms") }
        }
        return fault
    }
}
