/// The residual connection: out = a + b elementwise (N values). Its backward adds dout to both inputs'
/// gradients.
enum Residual {
    static func forward(out: UnsafeMutablePointer<Float>, a: UnsafePointer<Float>, b: UnsafePointer<Float>,
                        count: Int, _ parallel: Parallelism) {
        let o = SharedPointer(out), x = SharedPointer(a), y = SharedPointer(b)
        parallel.forChunks(count, grain: 1 << 15) { range in
            for i in range { o.base[i] = x.base[i] + y.base[i] }
        }
    }

    /// da += dout; db += dout.
    static func backward(da: UnsafeMutablePointer<Float>, db: UnsafeMutablePointer<Float>,
                         dout: UnsafePointer<Float>, count: Int, _ parallel: Parallelism) {
        let x = SharedPointer(da), y = SharedPointer(db), d = SharedPointer(dout)
        parallel.forChunks(count, grain: 1 << 15) { range in
            for i in range {
                x.base[i] += d.base[i]
                y.base[i] += d.base[i]
            }
        }
    }
}
