import Foundation
import Testing

/// What one run of the `clientele` binary printed and how it ended.
struct CLIResult: Sendable, CustomStringConvertible {
    var status: Int32
    var stdout: String
    var stderr: String

    var succeeded: Bool { status == 0 }

    var description: String { "exit \(status)\n--- stdout\n\(stdout)\n--- stderr\n\(stderr)" }
}

/// Runs the real, built `clientele` binary.
enum CLI {
    /// The binary: `$CLIENTELE_BIN`, else `clientele` beside the test bundle (under `swift test` on Linux
    /// `CommandLine.arguments[0]` is `<scratch>/<triple>/debug/<Package>PackageTests.xctest`, and the
    /// executable products are built into the same directory).
    static let binary: URL = {
        let env = ProcessInfo.processInfo.environment
        if let path = env["CLIENTELE_BIN"], !path.isEmpty { return URL(fileURLWithPath: path) }
        var candidates = [URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()]
        // On macOS the tests run inside `xctest`; the bundle's directory is the build directory.
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            candidates.append(bundle.bundleURL.deletingLastPathComponent())
        }
        for dir in candidates {
            let url = dir.appendingPathComponent("clientele")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        return candidates[0].appendingPathComponent("clientele")
    }()

    /// Runs `clientele args…` with `directory` as its working directory and waits for it to end. The
    /// environment is the test process's without `CLIENTELE_DB`, `CLIENTELE_DATABASE_URL` and `CLIENTELE_SHOP`, plus `environment`.
    static func run(_ args: [String], in directory: URL, environment: [String: String] = [:], input: String? = nil) async throws -> CLIResult {
        let out = directory.appendingPathComponent(".stdout-\(UUID().uuidString)")
        let err = directory.appendingPathComponent(".stderr-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: out)
            try? FileManager.default.removeItem(at: err)
        }
        let outHandle = try FileHandle(forWritingTo: out)
        let errHandle = try FileHandle(forWritingTo: err)
        let process = Process()
        process.executableURL = binary
        process.arguments = args
        process.currentDirectoryURL = directory
        var env = ProcessInfo.processInfo.environment
        env["CLIENTELE_DB"] = nil
        env["CLIENTELE_DATABASE_URL"] = nil
        env["CLIENTELE_SHOP"] = nil
        for (k, v) in environment { env[k] = v }
        process.environment = env
        process.standardOutput = outHandle
        process.standardError = errHandle
        process.standardInput = FileHandle.nullDevice
        if let input {
            let file = directory.appendingPathComponent(".stdin-\(UUID().uuidString)")
            try Data(input.utf8).write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }
            process.standardInput = try FileHandle(forReadingFrom: file)
        }
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { p in continuation.resume(returning: p.terminationStatus) }
            do { try process.run() } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        try outHandle.close()
        try errHandle.close()
        return CLIResult(status: status,
                         stdout: String(decoding: try Data(contentsOf: out), as: UTF8.self),
                         stderr: String(decoding: try Data(contentsOf: err), as: UTF8.self))
    }
}

/// A directory of its own for one test, removed when the body ends.
struct Workspace: Sendable {
    let url: URL

    /// Runs `body` with a fresh temporary directory, then removes it.
    static func with<T>(_ body: (Workspace) async throws -> T) async throws -> T {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("clientele-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: url) }
        return try await body(Workspace(url: url))
    }

    /// The path of `name` in this directory.
    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// Whether `name` exists in this directory.
    func exists(_ name: String) -> Bool { FileManager.default.fileExists(atPath: path(name)) }

    /// Writes `text` (UTF-8) to `name`.
    func write(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: url.appendingPathComponent(name))
    }

    /// Writes `bytes` to `name`.
    func write(_ name: String, bytes: [UInt8]) throws {
        try Data(bytes).write(to: url.appendingPathComponent(name))
    }

    /// Reads `name` as UTF-8 text.
    func read(_ name: String) throws -> String {
        String(decoding: try Data(contentsOf: url.appendingPathComponent(name)), as: UTF8.self)
    }

    /// Runs `clientele args…` here.
    func run(_ args: String..., environment: [String: String] = [:]) async throws -> CLIResult {
        try await CLI.run(args, in: url, environment: environment)
    }

    /// Runs `clientele args…` here.
    func run(_ args: [String], environment: [String: String] = [:]) async throws -> CLIResult {
        try await CLI.run(args, in: url, environment: environment)
    }

    /// Runs `clientele args…` here and records an issue when it does not exit 0.
    @discardableResult
    func succeed(_ args: String..., sourceLocation: SourceLocation = #_sourceLocation) async throws -> CLIResult {
        let r = try await CLI.run(args, in: url)
        #expect(r.status == 0, "clientele \(args.joined(separator: " ")) failed:\n\(r)", sourceLocation: sourceLocation)
        return r
    }

    /// `report customers --db db --format json` with `options`, parsed; records an issue on failure.
    func reportJSON(db: String, _ options: [String], sourceLocation: SourceLocation = #_sourceLocation) async throws -> (text: String, json: [String: Any]) {
        let r = try await run(["report", "customers", "--db", db, "--format", "json"] + options)
        #expect(r.status == 0, "report failed:\n\(r)", sourceLocation: sourceLocation)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any],
                                "not a JSON object:\n\(r.stdout)", sourceLocation: sourceLocation)
        return (r.stdout, json)
    }
}

/// The rows of an import summary (`Label   value`, labels padded to a common width), by label.
func summaryRows(_ text: String) -> [String: String] {
    var rows: [String: String] = [:]
    for line in text.split(separator: "\n") {
        guard let gap = line.range(of: "  ") else { continue }
        let label = line[..<gap.lowerBound].trimmingCharacters(in: .whitespaces)
        let value = line[gap.upperBound...].trimmingCharacters(in: .whitespaces)
        if rows[label] == nil { rows[label] = value }
    }
    return rows
}

/// Reads nested JSON: `json[path]` through objects (string keys) and arrays (int indices).
func value(_ json: Any?, _ path: Any...) -> Any? {
    var current = json
    for key in path {
        if let k = key as? String { current = (current as? [String: Any])?[k] }
        else if let i = key as? Int {
            guard let a = current as? [Any], a.indices.contains(i) else { return nil }
            current = a[i]
        }
    }
    return current
}

/// A JSON number as a Double (nil for anything else, `null` included).
func number(_ v: Any?) -> Double? {
    guard let n = v as? NSNumber, !(v is NSNull) else { return nil }
    return n.doubleValue
}

/// A JSON whole number as an Int.
func integer(_ v: Any?) -> Int? { (v as? NSNumber)?.intValue }

/// Whether `v` is JSON `null`.
func isNull(_ v: Any?) -> Bool { v is NSNull }

/// Whether two doubles agree to 1e-9.
func close(_ a: Double?, _ b: Double) -> Bool {
    guard let a else { return false }
    return abs(a - b) < 1e-9
}
