import GristCore
import GristParquet

/// The curated text as Parquet (`format: parquet`): a flat file with a column per field, in the
/// configured order: `tokens` an `INT64`, the others UTF-8 strings (`BYTE_ARRAY` annotated `STRING`);
/// the built-in fields `REQUIRED`, metadata `OPTIONAL` (null when a document lacks it). Written by
/// `GristParquet`'s `ParquetWriter` with its defaults (data page v1, dictionary-encoded strings falling
/// back to PLAIN, row groups of 128 MiB of values) and the chosen page codec; the footer's `created_by`
/// names grist and its version. The same documents give the same bytes.
final class ParquetTextWriter: CuratedTextWriter {
    private let writer: ParquetWriter

    init(path: String, fields: [CuratedTextField], compression: CuratedTextConfig.Compression) throws {
        let columns = fields.map { field in
            ParquetColumnSpec(name: field.name, kind: field == .tokens ? .int64 : .string, nullable: field.isNullable)
        }
        var options = ParquetWriterOptions()
        options.compression = compression == .zstd ? .zstd : .snappy
        options.createdBy = "grist version \(GristVersion.current)"
        options.hashing = true
        writer = try ParquetWriter(path: path, columns: columns, options: options)
    }

    func append(_ values: [CuratedTextValue?]) throws {
        try writer.append(values.map { value in
            switch value {
            case .string(let bytes)?: .byteArray(bytes)
            case .integer(let number)?: .int64(Int64(number))
            case nil: nil
            }
        })
    }

    func finish() throws -> (sha256: String, byteCount: Int) {
        try writer.finish()
        return (writer.sha256 ?? "", writer.byteCount)
    }
}
