// swift-tools-version: 6.1
// libFuzzer harness for every GristCollect reader. Built by `make fuzz-ci` / `make fuzz` with
// `-sanitize=fuzzer,address`; not part of the main package, so normal builds never compile it.
import PackageDescription

let package = Package(
    name: "gristmill-fuzz",
    dependencies: [.package(name: "gristmill", path: "..")],
    targets: [
        .executableTarget(name: "FuzzReaders", dependencies: [.product(name: "GristCollect", package: "gristmill")]),
    ]
)
