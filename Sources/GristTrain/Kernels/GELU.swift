#if canImport(Glibc)
import Glibc
#endif

/// GELU, tanh approximation, as GPT-2 (`gelu_new` in Hugging Face):
/// gelu(x) = ½·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). Shapes: inp, out (N) elementwise.
enum GELU {
    static let scale: Float = 0.797_884_560_802_865_4  // √(2/π)

    static func forward(out: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, count: Int,
                        _ parallel: Parallelism) {
        let o = SharedPointer(out), x = SharedPointer(inp)
        parallel.forChunks(count, grain: 1 << 14) { range in
            var i = range.lowerBound
            while i + 16 <= range.upperBound {
                store(value(load(x + i)), o + i)
                i += 16
            }
            while i < range.upperBound {
                o.base[i] = value(Vec(repeating: x.base[i]))[0]
                i += 1
            }
        }
    }

    /// dinp += dout · gelu′(inp).
    static func backward(dinp: UnsafeMutablePointer<Float>, inp: UnsafePointer<Float>, dout: UnsafePointer<Float>,
                         count: Int, _ parallel: Parallelism) {
        let dx = SharedPointer(dinp), x = SharedPointer(inp), dy = SharedPointer(dout)
        parallel.forChunks(count, grain: 1 << 14) { range in
            var i = range.lowerBound
            while i + 16 <= range.upperBound {
                store(load(dx + i) + derivative(load(x + i)) * load(dy + i), dx + i)
                i += 16
            }
            while i < range.upperBound {
                dx.base[i] += derivative(Vec(repeating: x.base[i]))[0] * dy.base[i]
                i += 1
            }
        }
    }

    @inline(__always)
    static func value(_ x: Vec) -> Vec {
        let cube = 0.044715 * x * x * x
        return 0.5 * x * (1 + vectorTanh(scale * (x + cube)))
    }

    @inline(__always)
    static func derivative(_ x: Vec) -> Vec {
        let cube = 0.044715 * x * x * x
        let tanhOut = vectorTanh(scale * (x + cube))
        let sech2 = 1 - tanhOut * tanhOut
        return 0.5 * (1 + tanhOut) + x * 0.5 * sech2 * scale * (1 + 3 * 0.044715 * x * x)
    }

    /// Plain scalar reference, in double precision with the C library's `tanh`.
    static func valueReference(_ x: Float) -> Float {
        let d = Double(x)
        return Float(0.5 * d * (1 + tanh(Double(scale) * (d + 0.044715 * d * d * d))))
    }
}
