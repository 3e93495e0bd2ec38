// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Ferry",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "ferry", targets: ["ferry"]),
        .executable(name: "ferry-fixtures", targets: ["ferry-fixtures"]),
        .executable(name: "extract-floor", targets: ["extract-floor"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        // System libraries and the C glue Swift cannot express.
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        .target(name: "CProcess"),

        // Ferry's modules, one per concern.
        .target(
            name: "Transport",
            dependencies: ["CCurl", .product(name: "Logging", package: "swift-log")]
        ),
        .target(name: "Extract", dependencies: ["CLibXML2"]),
        .target(
            name: "Store",
            dependencies: [.product(name: "GRDB", package: "GRDB.swift"), .product(name: "Crypto", package: "swift-crypto")]
        ),
        // The PostgreSQL store, apart so the Store module (and SQLite-only users) stay light.
        .target(
            name: "PostgresStore",
            dependencies: ["Store", .product(name: "PostgresNIO", package: "postgres-nio"), .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "WebDriver",
            dependencies: [
                "Transport", "CProcess",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "Flows",
            dependencies: ["WebDriver", "Extract", .product(name: "Yams", package: "Yams")]
        ),
        .target(
            name: "Engine",
            dependencies: [
                "Flows", "WebDriver", "Extract", "Store",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(name: "Doctor", dependencies: ["Flows", "Extract", "Store", "Engine", "WebDriver"]),
        .target(name: "Alerts", dependencies: ["Transport", .product(name: "Logging", package: "swift-log")]),
        .target(name: "Scheduling", dependencies: ["Flows", "Store", "Alerts"]),
        .target(
            name: "FixtureSites",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            // Swift 6.3's optimiser miscompiles the start-up of the two sites (the ledger's server reports
            // itself as the clinic's); these test sites need no speed, so they are built unoptimised.
            swiftSettings: [.unsafeFlags(["-Onone"], .when(configuration: .release))]
        ),

        // Operators: the one code path for operator actions, accounts and sessions; the dashboard on top.
        .target(
            name: "Operators",
            dependencies: [
                "Store", "Engine",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "Dashboard",
            dependencies: [
                "Operators", "Store", "Engine",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
            ],
            resources: [.copy("Templates")]
        ),

        // Executables.
        .executableTarget(
            name: "ferry",
            dependencies: [
                "WebDriver", "Extract", "Store", "Flows", "Engine", "Doctor", "Scheduling", "Alerts", "FixtureSites", "Operators", "Dashboard",
                "PostgresStore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(name: "extract-floor", dependencies: ["CLibXML2"], path: "Sources/ExtractFloor"),
        .executableTarget(
            name: "ferry-fixtures",
            dependencies: [
                "FixtureSites",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),

        // Tests mirror the modules.
        .testTarget(name: "TransportTests", dependencies: ["Transport"]),
        .testTarget(name: "ExtractTests", dependencies: ["Extract"]),
        // A private PostgreSQL server for the tests that need one (the store's, the workers' and the schedulers').
        .target(name: "PostgresTestServer", path: "Tests/PostgresTestServer"),
        .testTarget(name: "StoreTests", dependencies: ["Store", "PostgresStore", "PostgresTestServer", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "FlowsTests", dependencies: ["Flows"], exclude: ["Fixtures"]),
        .testTarget(
            name: "WebDriverTests",
            dependencies: ["WebDriver", "FixtureSites", .product(name: "Crypto", package: "swift-crypto"), .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(name: "FixtureSitesTests", dependencies: ["FixtureSites", "Transport"]),
        .testTarget(
            name: "EngineTests",
            dependencies: ["Engine", "Store", "FixtureSites", "WebDriver", .product(name: "Logging", package: "swift-log")],
            exclude: ["Flows"]
        ),
        .testTarget(
            name: "DoctorTests",
            dependencies: ["Doctor", "Engine", "Store", "Flows", "Extract", "WebDriver", "FixtureSites", .product(name: "Logging", package: "swift-log")],
            exclude: ["Flows", "Corpus"]
        ),
        .testTarget(
            name: "SchedulingTests",
            dependencies: ["Scheduling", "Alerts", "Store", "Flows", "FixtureSites"]
        ),
        .testTarget(name: "OperatorsTests", dependencies: ["Operators", "Store", "Engine", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(
            name: "DashboardTests",
            dependencies: [
                "Dashboard", "Operators", "Store", "Engine", "WebDriver",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(name: "FerryCLITests", dependencies: ["ferry", "FixtureSites", "Store", "PostgresStore", "PostgresTestServer", "WebDriver"]),
    ],
    swiftLanguageModes: [.v6]
)
