import CZstd
import GristCollect
import GristCore

/// Documents dropped by filters with `rejects: true`, kept for audit.
///
/// Each part stores one zstd frame per such filter (`PartLocation.rejects(stage:)`: JSON lines
/// `{"id", "text", "metadata": {"reason", "source", "file", "offset", …}}`, the text as the filter saw it,
/// with the document's own metadata too: a WARC record's `url`, a JSON Lines record's metadata fields);
/// the published `OUTPUT/rejects/STAGE.jsonl.zst` (`WorkLayout.rejectsFileName`) is the parts' frames back to back in canonical order,
/// which is itself a valid zstd file.
enum RejectsFile {
    /// One JSON line for a dropped document.
    static func line(_ document: Document, reason: String, source: String, path: String) -> [UInt8] {
        var copy = document
        // The reader's and the rules' metadata (a WARC record's url, a language label), then where it was.
        for (key, value) in [("reason", reason), ("source", source), ("file", path), ("offset", String(document.byteOffset))] {
            copy.metadata[key] = value
        }
        var out: [UInt8] = []
        DocumentJSON.append(copy, to: &out)
        return out
    }

    /// `bytes` as one zstd frame.
    static func compress(_ bytes: [UInt8]) throws -> [UInt8] {
        let bound = ZSTD_compressBound(bytes.count)
        var out = [UInt8](repeating: 0, count: bound)
        let written = out.withUnsafeMutableBytes { target in
            bytes.withUnsafeBytes { source in
                ZSTD_compress(target.baseAddress, bound, source.baseAddress, source.count, 3)
            }
        }
        if ZSTD_isError(written) != 0 {
            throw GristError(.io, "zstd compression failed: \(String(cString: ZSTD_getErrorName(written)))")
        }
        out.removeSubrange(written...)
        return out
    }
}
