import GristCore
import GristShards

/// The stored result of scanning one part of an input file (`result.bin` in the part's folder): its
/// documents, skipped records, stage counts and line/record counts. With the part's token (or text)
/// spill and dedup sketches beside it, a rerun needs nothing else to use the part again.
enum PartResultFile {
    static let magic = "grist-part-result"
    static let version = 6

    static func encode(_ scan: FileScan) -> [UInt8] {
        var w = BinaryWriter()
        w.string(magic)
        w.int(version)
        w.int(scan.documents.count)
        for d in scan.documents {
            w.int(d.ordinal)
            w.int(d.line)
            w.int(d.byteOffset)
            w.string(d.externalId)
            w.int(d.byteCount)
            w.int(d.charCount)
            w.bool(d.fingerprint != nil)
            if let f = d.fingerprint {
                w.uint64(f.high)
                w.uint64(f.low)
            }
            w.int(d.tokenOffset)
            w.int(d.tokenCount)
            w.int(d.textOffset)
            w.optionalString(d.droppedStage)
            w.optionalString(d.droppedReason)
            w.optionalInt(d.dedupIndex)
            w.bool(d.hasURL)
            w.optionalString(d.language)
            w.int(d.metadata.count)
            for (key, value) in d.metadata {
                w.string(key)
                w.string(value)
            }
            w.optionalInt(d.piece)
            w.bool(d.contamination != nil)
            if let c = d.contamination { encode(c, into: &w) }
        }
        w.int(scan.skipped.count)
        for error in scan.skipped { encode(error, into: &w) }
        w.bool(scan.failure != nil)
        if let failure = scan.failure { encode(failure, into: &w) }
        let rows = scan.tally.rows
        w.int(rows.count)
        for row in rows {
            w.int(row.position)
            w.string(row.stage)
            w.string(row.outcome.rawValue)
            w.string(row.reason)
            w.int(row.documents)
            w.int(row.bytes)
        }
        w.int(scan.bytesRead)
        w.int(scan.sketched)
        w.int(scan.paragraphsRemoved)
        w.int(scan.paragraphBytesRemoved)
        w.int(scan.linesRead)
        w.int(scan.recordsRead)
        return w.bytes
    }

    static func decode(_ bytes: UnsafeRawBufferPointer, path: String, tokenFile: String) throws -> FileScan {
        var r = BinaryReader(bytes, path: path)
        guard try r.string() == magic, try r.int() == version else {
            throw GristError(.badFormat, "not a part result of this version", at: InputPosition(path: path))
        }
        var scan = FileScan(tokenFile: tokenFile)
        let documents = try r.count(each: 81)
        scan.documents.reserveCapacity(documents)
        for _ in 0..<documents {
            var d = ScannedDocument(ordinal: try r.int(), line: try r.int(), byteOffset: try r.int(),
                                    externalId: try r.string(), byteCount: try r.int(), fingerprint: nil,
                                    tokenOffset: 0, tokenCount: 0)
            d.charCount = try r.int()
            if try r.bool() { d.fingerprint = Fingerprint(high: try r.uint64(), low: try r.uint64()) }
            d.tokenOffset = try r.int()
            d.tokenCount = try r.int()
            d.textOffset = try r.int()
            d.droppedStage = try r.optionalString()
            d.droppedReason = try r.optionalString()
            d.dedupIndex = try r.optionalInt()
            d.hasURL = try r.bool()
            d.language = try r.optionalString()
            for _ in 0..<(try r.count(each: 16)) {
                let key = try r.string()
                d.metadata[key] = try r.string()
            }
            d.piece = try r.optionalInt()
            if try r.bool() { d.contamination = try decodeContamination(&r, path: path) }
            scan.documents.append(d)
        }
        let skipped = try r.count(each: 20)
        for _ in 0..<skipped { scan.skipped.append(try decodeError(&r)) }
        if try r.bool() { scan.failure = try decodeError(&r) }
        let rows = try r.count(each: 40)
        for _ in 0..<rows {
            let position = try r.int(), stage = try r.string(), outcome = try r.string(), reason = try r.string()
            let documents = try r.int(), bytes = try r.int()
            guard let kind = StageCount.Outcome(rawValue: outcome) else {
                throw GristError(.badFormat, "unknown outcome \(outcome)", at: InputPosition(path: path))
            }
            scan.tally.add(position: position, stage: DocumentStage(name: stage), kind, reason: reason, documents: documents, bytes: bytes)
        }
        scan.bytesRead = try r.int()
        scan.sketched = try r.int()
        scan.paragraphsRemoved = try r.int()
        scan.paragraphBytesRemoved = try r.int()
        scan.linesRead = try r.int()
        scan.recordsRead = try r.int()
        guard r.isAtEnd else { throw GristError(.badFormat, "trailing bytes", at: InputPosition(path: path)) }
        return scan
    }

    private static func encode(_ c: ContaminationRecord, into w: inout BinaryWriter) {
        w.string(c.outcome.rawValue)
        w.int(c.pieces)
        w.int(c.charCount)
        w.int(c.removedChars)
        w.optionalInt(c.removedTokens)
        w.int(c.matches.count)
        for m in c.matches {
            w.string(m.evalSet)
            w.string(m.itemId)
            w.int(m.chars.lowerBound)
            w.int(m.chars.upperBound)
            w.int(m.bytes.lowerBound)
            w.int(m.bytes.upperBound)
            w.int(m.ngrams)
            w.string(m.passage)
        }
    }

    private static func decodeContamination(_ r: inout BinaryReader, path: String) throws -> ContaminationRecord {
        guard let outcome = ContaminationRecord.Outcome(rawValue: try r.string()) else {
            throw GristError(.badFormat, "unknown decontamination outcome", at: InputPosition(path: path))
        }
        var c = ContaminationRecord(outcome: outcome, pieces: try r.int(), charCount: try r.int(),
                                    removedChars: try r.int(), removedTokens: try r.optionalInt(), matches: [])
        for _ in 0..<(try r.count(each: 48)) {
            let set = try r.string(), item = try r.string()
            let chars = try r.range(), bytes = try r.range()
            c.matches.append(ContaminationMatchRecord(evalSet: set, itemId: item, chars: chars, bytes: bytes,
                                                      ngrams: try r.int(), passage: try r.string()))
        }
        return c
    }

    private static func encode(_ error: GristError, into w: inout BinaryWriter) {
        w.string(error.kind.code)
        w.string(error.message)
        w.optionalString(error.position?.path)
        w.optionalInt(error.position?.line)
        w.optionalInt(error.position?.byteOffset)
        w.optionalString(error.hint)
    }

    private static func decodeError(_ r: inout BinaryReader) throws -> GristError {
        let kind = GristError.Kind(code: try r.string()) ?? .skip(.corrupt)
        let message = try r.string()
        let path = try r.optionalString(), line = try r.optionalInt(), offset = try r.optionalInt()
        let hint = try r.optionalString()
        return GristError(kind, message, at: path.map { InputPosition(path: $0, line: line, byteOffset: offset) },
                          hint: hint)
    }
}
