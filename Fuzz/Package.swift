// swift-tools-version: 6.2
import PackageDescription

/// libFuzzer targets, one per parser an attacker reaches. A package of its own so a fuzz build
/// compiles only the parsers' modules (no server, database or HTTP client), with its own
/// instrumentation flags and scratch path: `scripts/fuzz` builds and runs them. Each target is
/// one file: its `LLVMFuzzerTestOneInput` and a `@main` handing it to libFuzzer's driver.
let fuzzTargets: [(name: String, dependencies: [Target.Dependency])] = [
    ("FuzzArtifactName", [.product(name: "SignetCore", package: "Signet")]),
    ("FuzzBundle", [.product(name: "SignetCore", package: "Signet")]),
    ("FuzzCertificate", [.product(name: "SignetCore", package: "Signet"), .product(name: "X509", package: "swift-certificates")]),
    ("FuzzCheckpoint", [.product(name: "SignetCore", package: "Signet")]),
    ("FuzzClientTrustConfig", [.product(name: "SignetCore", package: "Signet")]),
    (
        "FuzzIdentityToken",
        [
            .product(name: "SignetIdentity", package: "Signet"), .product(name: "SignetCore", package: "Signet"),
            .product(name: "Crypto", package: "swift-crypto"),
        ]
    ),
    ("FuzzJSONWebKeySet", [.product(name: "SignetIdentity", package: "Signet")]),
    ("FuzzPKCS11URI", [.product(name: "SignetPKCS11", package: "Signet")]),
    ("FuzzPolicy", [.product(name: "SignetPolicy", package: "Signet"), .product(name: "SignetCore", package: "Signet")]),
    ("FuzzPrivateKeyFile", [.product(name: "SignetCore", package: "Signet")]),
    ("FuzzRekorRequest", [.product(name: "SignetLog", package: "Signet")]),
    ("FuzzRevocation", [.product(name: "SignetCore", package: "Signet")]),
    ("FuzzSigningRequest", [.product(name: "SignetCA", package: "Signet"), .product(name: "SignetCore", package: "Signet")]),
    ("FuzzTilePath", [.product(name: "SignetLog", package: "Signet")]),
    ("FuzzTimestamp", [.product(name: "SignetTSA", package: "Signet"), .product(name: "SignetCore", package: "Signet")]),
    ("FuzzTrustedRoot", [.product(name: "SignetCore", package: "Signet")]),
    ("FuzzVerificationKey", [.product(name: "SignetCore", package: "Signet")]),
    ("FuzzYAML", [.product(name: "SignetCore", package: "Signet")]),
]

let package = Package(
    name: "SignetFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Signet", path: ".."),
        .package(url: "https://github.com/apple/swift-certificates.git", exact: "1.21.1"),
        .package(url: "https://github.com/apple/swift-crypto.git", exact: "4.5.2"),
    ],
    targets: [.target(name: "FuzzDriver", path: "Driver")]
        + fuzzTargets.map { target in
            .executableTarget(name: target.name, dependencies: ["FuzzDriver"] + target.dependencies, path: "Sources/\(target.name)")
        },
    swiftLanguageModes: [.v6]
)
