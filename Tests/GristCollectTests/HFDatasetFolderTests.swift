import GristCore
import Testing
@testable import GristCollect

/// Which files of a Hugging Face dataset folder each split reads (layout only: the files need not
/// hold Parquet data for this).
@Suite struct HFDatasetFolderTests {
    private func folder(_ files: [String], readme: String? = nil) throws -> TempFolder {
        let folder = try TempFolder()
        for file in files {
            let parent = FileSystem.parent(of: folder.path + "/" + file)
            try FileSystem.createDirectory(parent)
            try folder.write(file, "")
        }
        if let readme { try folder.write("README.md", readme) }
        return folder
    }

    private func relative(_ files: [String], in folder: TempFolder) -> [String] {
        files.map { String($0.dropFirst(folder.path.count + 1)) }
    }

    private func splits(_ splits: [String], config: String? = nil) -> HFDatasetOptions {
        HFDatasetOptions().with { $0.splits = splits; $0.config = config }
    }

    @Test func hubLayoutBySplitNames() throws {
        let dataset = try folder(["data/train-00000-of-00002.parquet", "data/train-00001-of-00002.parquet",
                                  "data/validation-00000-of-00001.parquet", "data/test-00000-of-00001.parquet"])
        let hf = HFDatasetFolder(path: dataset.path)
        #expect(relative(try hf.files(options: splits(["train"])), in: dataset)
                == ["data/train-00000-of-00002.parquet", "data/train-00001-of-00002.parquet"])
        #expect(relative(try hf.files(options: splits(["validation", "test"])), in: dataset)
                == ["data/validation-00000-of-00001.parquet", "data/test-00000-of-00001.parquet"])
    }

    @Test func parquetExportLayoutAndConfigFolders() throws {
        let dataset = try folder(["default/train/0000.parquet", "default/train/0001.parquet", "default/test/0000.parquet",
                                  "sample-10BT/train/0000.parquet"])
        let hf = HFDatasetFolder(path: dataset.path)
        #expect(relative(try hf.files(options: splits(["test"])), in: dataset) == ["default/test/0000.parquet"])
        #expect(relative(try hf.files(options: splits(["train"])), in: dataset)
                == ["default/train/0000.parquet", "default/train/0001.parquet"])
        #expect(relative(try hf.files(options: splits(["train"], config: "sample-10BT")), in: dataset)
                == ["sample-10BT/train/0000.parquet"])
        #expect(throws: GristError.self) { try hf.files(options: splits(["train"], config: "missing")) }
    }

    @Test func keywordsNeedDelimiters() {
        #expect(HFDatasetFolder.keywordSplit(of: "data/train-0.parquet") == "train")
        #expect(HFDatasetFolder.keywordSplit(of: "dev.parquet") == "validation")
        #expect(HFDatasetFolder.keywordSplit(of: "x/my_eval_2.parquet") == "test")
        #expect(HFDatasetFolder.keywordSplit(of: "trainer/contest.parquet") == nil)
        #expect(HFDatasetFolder.keywordSplit(of: "data/interval.parquet") == nil)
    }

    @Test func filesWithoutSplitNamesAreAllTrain() throws {
        let dataset = try folder(["part-a.parquet", "more/part-b.parquet", "notes.txt"])
        let hf = HFDatasetFolder(path: dataset.path)
        #expect(relative(try hf.files(options: splits(["train"])), in: dataset) == ["more/part-b.parquet", "part-a.parquet"])
        let error = #expect(throws: GristError.self) { try hf.files(options: splits(["test"])) }
        #expect(error?.message.contains("has no split \"test\" (it has: train)") == true)
    }

    @Test func readmeConfigsDecide() throws {
        let readme = """
            ---
            license: odc-by
            configs:
            - config_name: default
              data_files:
              - split: train
                path: data/*/*.parquet
            - config_name: sample-10BT
              data_files:
              - split: train
                path: sample/10BT/*
            - config_name: CC-MAIN-2024-10
              default: true
              data_files:
              - split: train
                path:
                - data/CC-MAIN-2024-10/*
            ---
            # FineWeb-like
            """
        let dataset = try folder(["data/CC-MAIN-2024-10/000_00000.parquet", "data/CC-MAIN-2023-50/000_00000.parquet",
                                  "sample/10BT/000_00000.parquet"], readme: readme)
        let hf = HFDatasetFolder(path: dataset.path)
        // `default: true` beats the config named default.
        #expect(relative(try hf.files(options: splits(["train"])), in: dataset) == ["data/CC-MAIN-2024-10/000_00000.parquet"])
        #expect(relative(try hf.files(options: splits(["train"], config: "default")), in: dataset)
                == ["data/CC-MAIN-2023-50/000_00000.parquet", "data/CC-MAIN-2024-10/000_00000.parquet"])
        #expect(relative(try hf.files(options: splits(["train"], config: "sample-10BT")), in: dataset)
                == ["sample/10BT/000_00000.parquet"])
        let error = #expect(throws: GristError.self) { try hf.files(options: splits(["validation"])) }
        #expect(error?.message.contains("has no split \"validation\" (it has: train)") == true)
        let unknown = #expect(throws: GristError.self) { try hf.files(options: splits(["train"], config: "nope")) }
        #expect(unknown?.message.contains("sample-10BT") == true)
    }

    @Test func readmeDataFilesMustBeParquet() throws {
        let readme = "---\nconfigs:\n- config_name: default\n  data_files: data/*.jsonl\n---\n"
        let dataset = try folder(["data/a.jsonl"], readme: readme)
        let error = #expect(throws: GristError.self) { try HFDatasetFolder(path: dataset.path).files(options: splits(["train"])) }
        #expect(error?.message.contains("is not a Parquet file") == true)
    }

    @Test func inputPathsNeedAFolderForHFDataset() throws {
        let dataset = try folder(["data/train-0.parquet"])
        let source = SourceConfig(name: "hf", paths: [dataset.path], format: .hfDataset)
        #expect(try InputPaths.expand(dataset.path, source: source).count == 1)
        #expect(throws: GristError.self) { try InputPaths.expand(dataset.path + "/data/train-0.parquet", source: source) }
    }
}
