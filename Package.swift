// swift-tools-version:6.0
import PackageDescription

/// lictrack: an export-licence application workflow tracker on PostgreSQL.
///
/// Layout, from the bottom up:
/// - `CLibPQ`: the system library (libpq, found through pkg-config).
/// - `Postgres`: a thin, synchronous Swift layer over libpq.
/// - `LicTrackCore`: domain values (statuses, events, dates, codes), no I/O.
/// - `LicTrackStore`: migrations and queries; the workflow rules themselves live in `Database/`.
/// - `LicTrackReports`: the report document model and its renderers (table, CSV, Markdown, JSON, HTML with SVG charts).
/// - `LicTrackAlerts`: the alert job, its delivery channels and the program runner they use.
/// - `LicTrackDemo`: the demonstration history generator (`lictrack demo seed`).
/// - `LicTrackCLI`: the commands; `lictrack` is the thin executable that runs them.
let package = Package(
    name: "lictrack",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "lictrack", targets: ["lictrack"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"]), .brew(["libpq"])]
        ),
        .target(name: "Postgres", dependencies: ["CLibPQ"]),
        .target(name: "LicTrackCore"),
        .executableTarget(name: "embed-migrations"),
        .plugin(
            name: "EmbedMigrations",
            capability: .buildTool(),
            dependencies: ["embed-migrations"]
        ),
        .target(
            name: "LicTrackStore",
            dependencies: ["Postgres", "LicTrackCore"],
            plugins: ["EmbedMigrations"]
        ),
        .target(name: "LicTrackAlerts", dependencies: ["LicTrackStore", "LicTrackCore"]),
        .target(name: "LicTrackDemo", dependencies: ["LicTrackStore", "LicTrackCore"]),
        .target(
            name: "LicTrackReports",
            dependencies: [
                "LicTrackStore",
                "LicTrackCore",
                .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),
        .target(
            name: "LicTrackCLI",
            dependencies: [
                "LicTrackAlerts",
                "LicTrackStore",
                "LicTrackCore",
                "LicTrackReports",
                "LicTrackDemo",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "lictrack", dependencies: ["LicTrackCLI"]),

        .target(
            name: "LicTrackTestSupport",
            dependencies: ["Postgres", "LicTrackStore"],
            path: "Tests/LicTrackTestSupport"
        ),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres", "LicTrackTestSupport"]),
        .testTarget(
            name: "LicTrackStoreTests",
            dependencies: ["Postgres", "LicTrackStore", "LicTrackCore", "LicTrackTestSupport"]
        ),
        .testTarget(
            name: "LicTrackSLATests",
            dependencies: ["Postgres", "LicTrackStore", "LicTrackCore", "LicTrackTestSupport", "lictrack"]
        ),
        .testTarget(
            name: "LicTrackReportsTests",
            dependencies: [
                "Postgres", "LicTrackReports", "LicTrackCLI", "LicTrackStore", "LicTrackCore", "LicTrackTestSupport",
                "lictrack", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "LicTrackCLITests",
            dependencies: [
                "LicTrackCLI", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "LicTrackEndToEndTests",
            dependencies: ["Postgres", "LicTrackStore", "LicTrackTestSupport", "lictrack"]
        ),
        // Slow: kill -9, server stops, fail-over, 8 x 300 random events (Scripts/test.sh --quick skips it).
        .testTarget(
            name: "LicTrackFaultTests",
            dependencies: ["lictrack", "LicTrackTestSupport", "Postgres"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
