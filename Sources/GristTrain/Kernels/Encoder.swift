/// Token plus position embedding (llm.c `encoder_forward` / `encoder_backward`).
///
/// Shapes: tokens (B, T) ids, wte (Vp, C), wpe (maxT, C), out (B, T, C).
enum Encoder {
    /// out[b, t, :] = wte[tokens[b, t], :] + wpe[t, :]. Each row is written by one item.
    static func forward(out: UnsafeMutablePointer<Float>, tokens: UnsafePointer<Int32>, wte: UnsafePointer<Float>,
                        wpe: UnsafePointer<Float>, b: Int, t: Int, c: Int, _ parallel: Parallelism) {
        let o = SharedPointer(out), ids = SharedPointer(tokens), te = SharedPointer(wte), pe = SharedPointer(wpe)
        parallel.forChunks(b * t, grain: 64) { rows in
            for row in rows {
                let token = Int(ids.base[row]), position = row % t
                let dst = o + row * c, a = te + token * c, p = pe + position * c
                for i in 0..<c { dst[i] = a[i] + p[i] }
            }
        }
    }

    /// dwte[tokens[b, t], :] += dout[b, t, :]; dwpe[t, :] += dout[b, t, :].
    /// Each item owns a range of channels and visits the rows in order.
    static func backward(dwte: UnsafeMutablePointer<Float>, dwpe: UnsafeMutablePointer<Float>,
                         dout: UnsafePointer<Float>, tokens: UnsafePointer<Int32>, b: Int, t: Int, c: Int,
                         _ parallel: Parallelism) {
        let te = SharedPointer(dwte), pe = SharedPointer(dwpe), d = SharedPointer(dout), ids = SharedPointer(tokens)
        parallel.forChunks(c, grain: 64) { channels in
            let lo = channels.lowerBound, width = channels.count
            for row in 0..<(b * t) {
                let src = d + (row * c + lo)
                let a = te + (Int(ids.base[row]) * c + lo), p = pe + ((row % t) * c + lo)
                for i in 0..<width {
                    a[i] += src[i]
                    p[i] += src[i]
                }
            }
        }
    }
}
