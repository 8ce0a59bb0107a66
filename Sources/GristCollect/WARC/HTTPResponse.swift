import CZlib
import GristCore

/// The HTTP response inside a WARC `response` record: status, headers and the decoded body.
struct HTTPResponse {
    var status: Int
    var headers: HeaderFields
    var body: [UInt8]

    /// Why a block is not a usable HTTP response.
    struct Failure: Error {
        var message: String
    }

    /// Parses `block` (status line, headers, blank line, body). A chunked body is de-chunked and a
    /// gzip or deflate `Content-Encoding` is decoded, up to `maxBodyBytes`.
    init(parsing block: [UInt8], maxBodyBytes: Int) throws(Failure) {
        var index = 0
        func nextLine() -> ArraySlice<UInt8>? {
            guard index < block.count else { return nil }
            let lineEnd = block[index...].firstIndex(of: 0x0A) ?? block.count
            var line = block[index..<lineEnd]
            if line.last == 0x0D { line = line.dropLast() }
            index = min(lineEnd + 1, block.count)
            return line
        }
        guard let statusLine = nextLine(), statusLine.starts(with: Array("HTTP/".utf8)) else {
            throw Failure(message: "the record does not start with an HTTP status line")
        }
        let parts = statusLine.split(separator: 0x20, maxSplits: 2)
        guard parts.count >= 2, let code = Int(String(decoding: parts[1], as: UTF8.self)) else {
            throw Failure(message: "bad HTTP status line \"\(String(decoding: statusLine.prefix(80), as: UTF8.self))\"")
        }
        var fields = HeaderFields()
        while let line = nextLine(), !line.isEmpty {
            line.withUnsafeBytes { raw in
                if line.first == 0x20 || line.first == 0x09 { fields.continueLast(raw) } else { _ = fields.add(raw) }
            }
        }
        status = code
        headers = fields
        body = Array(block[index...])
        if headers["transfer-encoding"]?.lowercased().contains("chunked") == true {
            body = try Self.dechunk(body, limit: maxBodyBytes)
        }
        switch headers["content-encoding"]?.lowercased() {
        case nil, "", "identity":
            break
        case "gzip", "x-gzip", "deflate":
            body = try Self.inflate(body, limit: maxBodyBytes)
        case let other?:
            throw Failure(message: "unsupported Content-Encoding \"\(other)\"")
        }
    }

    private static func dechunk(_ data: [UInt8], limit: Int) throws(Failure) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while i < data.count {
            guard let lineEnd = data[i...].firstIndex(of: 0x0A) else { break }
            let sizeText = String(decoding: data[i..<lineEnd], as: UTF8.self)
                .split(separator: ";").first.map { String($0).trimmingSpaces() } ?? ""
            guard let size = Int(sizeText, radix: 16), size >= 0 else {
                throw Failure(message: "bad chunk size \"\(sizeText.prefix(20))\" in a chunked body")
            }
            i = lineEnd + 1
            if size == 0 { break }
            guard out.count + size <= limit else { throw Failure(message: "the de-chunked body is larger than the limit") }
            let stop = min(i + size, data.count)
            out.append(contentsOf: data[i..<stop])
            i = stop
            if i < data.count, data[i] == 0x0D { i += 1 }
            if i < data.count, data[i] == 0x0A { i += 1 }
        }
        return out
    }

    /// Decodes a gzip, zlib or raw deflate body in memory, at most `limit` bytes.
    private static func inflate(_ data: [UInt8], limit: Int) throws(Failure) -> [UInt8] {
        for windowBits: Int32 in [15 + 32, -15] {  // gzip or zlib (auto-detected), then raw deflate
            var stream = z_stream()
            guard czlib_inflate_init2(&stream, windowBits) == Z_OK else { continue }
            defer { inflateEnd(&stream) }
            var out: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            var input = data
            let rc: Int32 = input.withUnsafeMutableBufferPointer { inBuffer in
                stream.next_in = inBuffer.baseAddress
                stream.avail_in = UInt32(inBuffer.count)
                while true {
                    let code: Int32 = chunk.withUnsafeMutableBufferPointer { outBuffer in
                        stream.next_out = outBuffer.baseAddress
                        stream.avail_out = UInt32(outBuffer.count)
                        return CZlib.inflate(&stream, Z_NO_FLUSH)
                    }
                    let produced = chunk.count - Int(stream.avail_out)
                    if out.count + produced > limit { return Z_MEM_ERROR }
                    out.append(contentsOf: chunk[0..<produced])
                    if code == Z_STREAM_END { return Z_STREAM_END }
                    if code != Z_OK || (produced == 0 && stream.avail_in == 0) { return code == Z_OK ? Z_BUF_ERROR : code }
                }
            }
            if rc == Z_STREAM_END || (rc == Z_BUF_ERROR && !out.isEmpty) { return out }
            if rc == Z_MEM_ERROR { throw Failure(message: "the decoded body is larger than the limit") }
        }
        throw Failure(message: "the gzip/deflate Content-Encoding cannot be decoded")
    }
}
