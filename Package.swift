// swift-tools-version: 6.1
//
// librump: a rump kernel core library with a C ABI whose kernel is written in Swift.
// The Makefile is the front door (it installs, tests and benchmarks); this manifest
// describes the Swift build only.

import PackageDescription

/// Absolute path of the package root, for linker flags that name files in the tree.
let root = String(#filePath.dropLast("/Package.swift".count))

let package = Package(
    name: "librump",
    products: [
        // The installed librump.so.0: the kernel core plus its C entry points.
        .library(name: "rump", type: .dynamic, targets: ["RumpLibrary"]),
    ],
    targets: [
        // C that must be C: the generated rump_sys_* stubs, the hot-path storage
        // (syscall table, curlwp TLS, virtual CPUs) and variadic entry points.
        .target(
            name: "CRump",
            path: "Sources/CRump",
            cSettings: [
                .headerSearchPath("../../Include"),
                // The sysproxy wire format, shared with the client library.
                .headerSearchPath("../Sysproxy"),
                .unsafeFlags(["-O2", "-fno-plt", "-ffunction-sections"]),
            ],
            linkerSettings: [
                // Typed system call handlers are called through libffi.
                .linkedLibrary("ffi"),
            ]
        ),
        // The kernel core.
        .target(
            name: "RumpKernel",
            dependencies: ["CRump"],
            path: "Sources/RumpKernel",
            swiftSettings: [
                // Kernel objects are shared between host threads under the
                // kernel's own locking rules (proc table, per-process locks),
                // which Swift 6's isolation checking cannot express: Swift 5 mode.
                .swiftLanguageMode(.v5),
                // Dynamic exclusivity checks would only add cost to every access.
                // A section per function lets the link place the code boot runs
                // together (RumpLibrary/boot-order.txt).
                .unsafeFlags(["-enforce-exclusivity=unchecked", "-function-sections"]),
            ]
        ),
        // Carrier of the shared library's link flags, kept apart so that they never
        // reach the test link (see shared notes on building Swift C libraries).
        .target(
            name: "RumpLibrary",
            dependencies: ["RumpKernel"],
            path: "Sources/RumpLibrary",
            exclude: ["exports.map", "boot-order.txt"],
            linkerSettings: [
                .unsafeFlags([
                    "-static-stdlib",
                    "-Xlinker", "-soname", "-Xlinker", "librump.so.0",
                    "-Xlinker", "--version-script=\(root)/Sources/RumpLibrary/exports.map",
                    "-Xlinker", "-z", "-Xlinker", "now",
                    "-Xlinker", "--section-ordering-file=\(root)/Sources/RumpLibrary/boot-order.txt",
                ]),
            ]
        ),
        .testTarget(
            name: "RumpKernelTests",
            dependencies: ["RumpKernel", "CRump"],
            path: "Tests/RumpKernelTests"
        ),
    ]
)
