// swift-tools-version: 6.2
import PackageDescription

let package = Package(
    name: "Signet",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "signet", targets: ["signet"]),
        .library(name: "SignetCore", targets: ["SignetCore"]),
        .library(name: "SignetVerify", targets: ["SignetVerify"]),
        // The fuzz targets (Fuzz/Package.swift) link the services' parsers without the server.
        .library(name: "SignetCA", targets: ["SignetCA"]),
        .library(name: "SignetIdentity", targets: ["SignetIdentity"]),
        .library(name: "SignetLog", targets: ["SignetLog"]),
        .library(name: "SignetTSA", targets: ["SignetTSA"]),
        .library(name: "SignetPolicy", targets: ["SignetPolicy"]),
        .library(name: "SignetPKCS11", targets: ["SignetPKCS11"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-certificates.git", exact: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", exact: "1.7.4"),
        .package(url: "https://github.com/apple/swift-crypto.git", exact: "4.5.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", exact: "1.8.2"),
        .package(url: "https://github.com/attaswift/BigInt.git", exact: "6.0.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", exact: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", exact: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client.git", exact: "1.37.0"),
        .package(url: "https://github.com/apple/swift-log.git", exact: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio.git", exact: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", exact: "1.35.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", exact: "2.37.6"),
        .package(url: "https://github.com/vapor/postgres-nio.git", exact: "1.33.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", exact: "2.13.0"),
    ],
    targets: [
        .target(
            name: "SignetCore",
            dependencies: [
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "BigInt", package: "BigInt"),
            ]
        ),
        // PKCS #11 declarations for modules loaded at run time, and the signer over them.
        .target(name: "CPKCS11"),
        .target(
            name: "SignetPKCS11",
            dependencies: [
                "CPKCS11",
                "SignetCore",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "SignetVerify",
            dependencies: [
                "SignetCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ]
        ),
        .target(
            name: "SignetCA",
            dependencies: [
                "SignetCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ]
        ),
        .target(
            name: "SignetIdentity",
            dependencies: [
                "SignetCore",
                "SignetCA",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ]
        ),
        .target(
            name: "SignetLog",
            dependencies: [
                "SignetCore",
                .product(name: "X509", package: "swift-certificates"),
            ]
        ),
        .target(
            name: "SignetPolicy",
            dependencies: [
                "SignetCore",
                "SignetVerify",
                .product(name: "X509", package: "swift-certificates"),
            ]
        ),
        .target(
            name: "SignetStore",
            dependencies: ["SignetCore", "SignetLog"]
        ),
        .target(
            name: "SignetSQLite",
            dependencies: [
                "SignetCore",
                "SignetLog",
                "SignetStore",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        .target(
            name: "SignetPostgres",
            dependencies: [
                "SignetCore",
                "SignetLog",
                "SignetStore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .target(
            name: "SignetTSA",
            dependencies: [
                "SignetCore",
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ]
        ),
        .target(
            name: "SignetServer",
            dependencies: [
                "SignetCore", "SignetCA", "SignetLog", "SignetTSA", "SignetIdentity", "SignetStore", "SignetSQLite", "SignetPostgres", "SignetVerify",
                "SignetPolicy", "SignetPKCS11",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "SignetClient",
            dependencies: [
                "SignetCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .target(
            name: "SignetVirtualPlatform",
            dependencies: [
                "SignetCore",
                "SignetCA",
                "SignetLog",
                "SignetTSA",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
            ]
        ),
        .executableTarget(
            name: "signet",
            dependencies: [
                "SignetCore",
                "SignetVerify",
                "SignetStore",
                "SignetServer",
                "SignetClient",
                "SignetPolicy",
                "SignetPKCS11",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
            ]
        ),
        // Benchmarks and their load generator, outside the shipped binary; they run the
        // `signet` built beside them.
        .executableTarget(
            name: "signet-bench",
            dependencies: [
                "SignetCore",
                "SignetVerify",
                "SignetStore",
                "SignetSQLite",
                "SignetServer",
                "SignetClient",
                "SignetVirtualPlatform",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
        .testTarget(
            name: "SignetCoreTests",
            dependencies: ["SignetCore", "SignetVirtualPlatform", .product(name: "SwiftASN1", package: "swift-asn1")]
        ),
        .testTarget(
            name: "SignetVerifyTests",
            dependencies: [
                "SignetCore",
                "SignetVerify",
                "SignetVirtualPlatform",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "X509", package: "swift-certificates"),
            ]
        ),
        .testTarget(
            name: "SignetPKCS11Tests",
            dependencies: ["CPKCS11", "SignetPKCS11", "SignetCore", "SignetVirtualPlatform"]
        ),
        .testTarget(
            name: "SignetPolicyTests",
            dependencies: ["SignetCore", "SignetVerify", "SignetPolicy", "SignetVirtualPlatform", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .testTarget(
            name: "SignetCATests",
            dependencies: [
                "SignetCore",
                "SignetCA",
                "SignetVirtualPlatform",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "X509", package: "swift-certificates"),
            ]
        ),
        .testTarget(
            name: "SignetIdentityTests",
            dependencies: [
                "SignetCore",
                "SignetIdentity",
                "SignetCA",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ]
        ),
        .testTarget(
            name: "SignetLogTests",
            dependencies: [
                "SignetCore",
                "SignetLog",
                "SignetVirtualPlatform",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "X509", package: "swift-certificates"),
            ]
        ),
        .testTarget(
            name: "SignetServerTests",
            dependencies: [
                "SignetServer", "SignetCA", "SignetLog", "SignetTSA", "SignetVerify", "SignetCore", "SignetStore", "SignetIdentity", "SignetPKCS11",
                "SignetVirtualPlatform",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "X509", package: "swift-certificates"),
            ]
        ),
        .testTarget(
            name: "SignetStoreTests",
            dependencies: ["SignetSQLite", "SignetPostgres", "SignetStore", "SignetLog", "SignetCore", "SignetVirtualPlatform"]
        ),
        .testTarget(
            name: "SignetTSATests",
            dependencies: [
                "SignetCore",
                "SignetTSA",
                "SignetVirtualPlatform",
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "X509", package: "swift-certificates"),
            ]
        ),
        .testTarget(
            name: "SignetCLITests",
            dependencies: [
                "signet", "SignetCore", "SignetClient", "SignetPolicy", "SignetServer", "SignetStore", "SignetPostgres", "SignetSQLite",
                "SignetVirtualPlatform",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "X509", package: "swift-certificates"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
