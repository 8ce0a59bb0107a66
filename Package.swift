// swift-tools-version: 6.1
// Gristmill: raw text -> GPT pretraining token shards (+ the trainer that consumes them).
// Layout and dependency rules: docs/ARCHITECTURE.md.
import PackageDescription

/// System libraries come from Debian `-dev` packages (`make deps` installs the missing ones).
/// Each shim target holds a module map and a header, nothing else.
let systemLibraries: [Target] = [
    .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
    .systemLibrary(name: "CZstd", pkgConfig: "libzstd", providers: [.apt(["libzstd-dev"])]),
    .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
    .systemLibrary(name: "CLibXML2", pkgConfig: "libxml-2.0", providers: [.apt(["libxml2-dev"])]),
    .systemLibrary(name: "CBZip2", providers: [.apt(["libbz2-dev"])]),
    .systemLibrary(name: "CSnappy", providers: [.apt(["libsnappy-dev"])]),
    .systemLibrary(name: "CLZ4", pkgConfig: "liblz4", providers: [.apt(["liblz4-dev"])]),
    .systemLibrary(name: "CBrotli", pkgConfig: "libbrotlidec", providers: [.apt(["libbrotli-dev"])]),
    .systemLibrary(name: "COpenBLAS", providers: [.apt(["libopenblas-dev"])]),
    .systemLibrary(name: "COpenSSL", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]),
    .systemLibrary(name: "CMalloc"),  // glibc's <malloc.h> (mallopt), part of libc
]

let package = Package(
    name: "gristmill",
    products: [
        .executable(name: "grist", targets: ["grist"]),
        .library(name: "GristPipeline", targets: ["GristPipeline"]),
        .library(name: "GristTrain", targets: ["GristTrain"]),
        // For the libFuzzer harness in fuzz/ (its own package, built with -sanitize=fuzzer).
        .library(name: "GristCollect", targets: ["GristCollect"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
    ],
    targets: systemLibraries + [
        // Shared vocabulary of every stage: documents, configuration, errors, hashing, files, progress.
        .target(name: "GristCore", dependencies: [
            "COpenSSL",
            .product(name: "Yams", package: "Yams"),
        ]),
        // Apache Parquet, read and written here (Thrift footer, pages, encodings, codecs): a format library
        // that GristCollect reads sources with and GristPipeline writes the curated text with.
        .target(name: "GristParquet", dependencies: ["GristCore", "CSnappy", "CZstd", "CZlib", "CLZ4", "CBrotli"]),
        // Stages. A stage imports GristCore (and C shims and format libraries), never another stage.
        .target(name: "GristCollect", dependencies: [
            "GristCore", "GristParquet", "CZstd", "CZlib", "CLibXML2", "CBZip2",
            .product(name: "Yams", package: "Yams"),  // a Hugging Face dataset README's YAML header
        ]),
        .target(name: "GristClean", dependencies: ["GristCore"]),
        .target(name: "GristFilter", dependencies: ["GristCore"]),
        .target(name: "GristDedup", dependencies: ["GristCore"]),
        .target(name: "GristTokenize", dependencies: ["GristCore"],
                exclude: ["Resources/README.md"],
                resources: [.copy("Resources/gpt2.tiktoken")]),
        .target(name: "GristMix", dependencies: ["GristCore"]),
        .target(name: "GristShards", dependencies: ["GristCore", "CSQLite"]),
        // Turns a pipeline config into stages and runs them.
        .target(name: "GristPipeline", dependencies: [
            "GristCore", "GristCollect", "GristClean", "GristFilter", "GristDedup",
            "GristTokenize", "GristMix", "GristShards", "GristParquet", "CZstd",
        ]),
        // Statistics and reports for people (terminal, JSON, self-contained HTML).
        .target(name: "GristReport", dependencies: ["GristCore", "GristShards", "GristTokenize", "GristCollect"]),
        // The GPT-2 trainer that consumes the shards: kernels, model, optimizer, data loader, checkpoints.
        .target(name: "GristTrain", dependencies: ["GristCore", "GristShards", "GristTokenize", "COpenBLAS"]),
        // The command-line tool: thin, calls the libraries.
        .executableTarget(name: "grist", dependencies: [
            "GristPipeline", "GristTrain", "GristShards", "GristTokenize", "GristCore", "GristReport", "GristCollect", "GristParquet",
            "GristFilter", "CMalloc", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        // `make bench-tokenizer`: our side of the tokenizer benchmark (bench/tokenizer/bench.py).
        .executableTarget(name: "grist-bench-tokenizer", dependencies: ["GristTokenize", "GristCore"],
                          path: "bench/tokenizer/TokenizerBench"),
        // Our side of the decontamination benchmark (bench/decontamination/bench.py).
        .executableTarget(name: "grist-bench-decontam", dependencies: ["GristFilter"],
                          path: "bench/decontamination/DecontaminationBench"),

        .testTarget(name: "GristCoreTests", dependencies: ["GristCore"]),
        .testTarget(name: "GristParquetTests", dependencies: ["GristParquet", "GristCore"], exclude: ["Fixtures"]),
        .testTarget(name: "GristCollectTests", dependencies: ["GristCollect", "GristCore", "CZstd", "CZlib"]),
        .testTarget(name: "GristCleanTests", dependencies: ["GristClean"]),
        .testTarget(name: "GristFilterTests", dependencies: ["GristFilter", "GristClean", "GristCollect", "GristCore"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "GristDedupTests", dependencies: ["GristDedup", "GristCore"], exclude: ["Fixtures"]),
        .testTarget(name: "GristTokenizeTests", dependencies: ["GristTokenize"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "GristMixTests", dependencies: ["GristMix"]),
        .testTarget(name: "GristShardsTests", dependencies: ["GristShards"], exclude: ["Fixtures"]),
        .testTarget(name: "GristPipelineTests", dependencies: ["GristPipeline", "GristShards", "GristCollect", "GristDedup", "GristCore"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "GristReportTests", dependencies: ["GristReport", "GristShards", "GristPipeline"]),
        .testTarget(name: "GristTrainTests", dependencies: ["GristTrain", "GristShards", "GristTokenize", "GristCore"],
                    exclude: ["Fixtures"]),
        // Runs the built `grist` binary on the shipped corpora.
        .testTarget(name: "CLITests", dependencies: ["GristShards", "GristTokenize", "GristCollect", "GristClean"],
                    exclude: ["Fixtures/golden"]),
    ]
)
