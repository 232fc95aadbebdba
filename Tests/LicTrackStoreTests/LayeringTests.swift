import Foundation
import Testing

/// The module layering of Docs/architecture.md, checked on the sources: only the store (and the
/// test support) sees the libpq layer, and a test target depends on the CLI only if it imports it.
@Suite("Layering")
struct LayeringTests {
    /// The repository's root, from this file's path (Tests/LicTrackStoreTests/LayeringTests.swift).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The Swift files under `folder`, relative to the root, with their text.
    static func swiftFiles(under folder: String) throws -> [(path: String, text: String)] {
        let base = root.appendingPathComponent(folder)
        let walker = try #require(FileManager.default.enumerator(at: base, includingPropertiesForKeys: nil))
        var files: [(String, String)] = []
        for case let url as URL in walker where url.pathExtension == "swift" {
            files.append((folder + url.path.dropFirst(base.path.count), try String(contentsOf: url, encoding: .utf8)))
        }
        return files.sorted { $0.0 < $1.0 }
    }

    /// The modules a Swift file imports (`import X`, `@testable import X`).
    static func imports(_ text: String) -> Set<String> {
        var modules: Set<String> = []
        for line in text.split(whereSeparator: \.isNewline) {
            let words = line.split(separator: " ")
            if let index = words.firstIndex(of: "import"), index + 1 < words.count,
                index == 0 || words[0].hasPrefix("@")
            {
                modules.insert(String(words[index + 1]))
            }
        }
        return modules
    }

    @Test func onlyTheStoreSeesTheLibpqLayer() throws {
        for folder in ["Sources/LicTrackCLI", "Sources/LicTrackAlerts", "Sources/LicTrackReports", "Sources/lictrack"] {
            let files = try Self.swiftFiles(under: folder)
            #expect(!files.isEmpty, "\(folder) has no Swift files: has it moved?")
            for file in files {
                let forbidden = Self.imports(file.text).intersection(["Postgres", "CLibPQ"])
                #expect(forbidden.isEmpty, "\(file.path) imports \(forbidden.sorted())")
            }
        }
    }

    @Test func testTargetsDependOnWhatTheyImport() throws {
        let manifest = try String(contentsOf: Self.root.appendingPathComponent("Package.swift"), encoding: .utf8)
        let ownModules: Set = [
            "Postgres", "LicTrackCore", "LicTrackStore", "LicTrackReports", "LicTrackAlerts", "LicTrackDemo",
            "LicTrackCLI", "LicTrackTestSupport", "ArgumentParser", "Mustache",
        ]
        let targets = [
            "PostgresTests", "LicTrackStoreTests", "LicTrackSLATests", "LicTrackReportsTests", "LicTrackCLITests",
            "LicTrackEndToEndTests", "LicTrackFaultTests",
        ]
        for target in targets {
            let files = try Self.swiftFiles(under: "Tests/" + target)
            let imported = files.reduce(into: Set<String>()) { $0.formUnion(Self.imports($1.text)) }
                .intersection(ownModules)
            let declared = try Self.dependencies(of: target, in: manifest).intersection(ownModules)
            #expect(
                declared == imported,
                "\(target): Package.swift lists \(declared.sorted()), imports \(imported.sorted())")
            let runsBinary = files.contains {
                !$0.path.hasSuffix("/LayeringTests.swift") && $0.text.contains("LicTrackBinary")
            }
            let dependsOnBinary = try Self.dependencies(of: target, in: manifest).contains("lictrack")
            #expect(dependsOnBinary == runsBinary, "\(target): runs the lictrack binary: \(runsBinary)")
        }
    }

    /// The names in a test target's `dependencies: [...]` in Package.swift (products by their name).
    static func dependencies(of target: String, in manifest: String) throws -> Set<String> {
        let start = try #require(
            manifest.range(of: ".testTarget(\n            name: \"\(target)\"")
                ?? manifest.range(of: ".testTarget(name: \"\(target)\""), "no test target \(target) in Package.swift")
        let rest = manifest[start.upperBound...]
        let open = try #require(rest.range(of: "dependencies: ["))
        var depth = 1
        var index = open.upperBound
        while depth > 0, index < rest.endIndex {
            if rest[index] == "[" { depth += 1 }
            if rest[index] == "]" { depth -= 1 }
            index = rest.index(after: index)
        }
        let list = rest[open.upperBound..<index]
        var names: Set<String> = []
        var remaining = list[...]
        while let quote = remaining.firstIndex(of: "\"") {
            let after = remaining.index(after: quote)
            guard let end = remaining[after...].firstIndex(of: "\"") else { break }
            let name = String(remaining[after..<end])
            // `.product(name: "X", package: "y")`: keep X, skip the package's name.
            let before = remaining[..<quote]
            if !before.hasSuffix("package: ") { names.insert(name) }
            remaining = remaining[remaining.index(after: end)...]
        }
        return names
    }
}
