/// Small vector helpers shared by the kernels: explicit SIMD reductions (Swift has no fast-math, so a
/// plain loop summing floats is never reordered or vectorized) and a vectorized `exp`.
///
/// Every reduction visits its elements in a fixed order, so it gives the same bits on every run.
@usableFromInline typealias Vec = SIMD16<Float>

@inlinable @inline(__always)
func load(_ p: UnsafePointer<Float>) -> Vec { UnsafeRawPointer(p).loadUnaligned(as: Vec.self) }

@inlinable @inline(__always)
func store(_ v: Vec, _ p: UnsafeMutablePointer<Float>) { UnsafeMutableRawPointer(p).storeBytes(of: v, as: Vec.self) }

/// Σ x[i], i < n.
@inlinable
func vectorSum(_ x: UnsafePointer<Float>, _ n: Int) -> Float {
    var acc = Vec(), i = 0
    while i + 16 <= n { acc += load(x + i); i += 16 }
    var total = acc.sum()
    while i < n { total += x[i]; i += 1 }
    return total
}

/// Σ x[i]·y[i], i < n.
@inlinable
func vectorDot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ n: Int) -> Float {
    var acc = Vec(), i = 0
    while i + 16 <= n { acc += load(x + i) * load(y + i); i += 16 }
    var total = acc.sum()
    while i < n { total += x[i] * y[i]; i += 1 }
    return total
}

/// max x[i], i < n (n ≥ 1).
@inlinable
func vectorMax(_ x: UnsafePointer<Float>, _ n: Int) -> Float {
    var acc = Vec(repeating: -.infinity), i = 0
    while i + 16 <= n { acc = lanewiseMax(acc, load(x + i)); i += 16 }
    var best = acc.max()
    while i < n { best = max(best, x[i]); i += 1 }
    return best
}

/// max(a, b) lane by lane (the standard library's `pointwiseMax` is not vectorized here).
@inlinable @inline(__always)
func lanewiseMax(_ a: Vec, _ b: Vec) -> Vec { a.replacing(with: b, where: b .> a) }

@inlinable @inline(__always)
func lanewiseMin(_ a: Vec, _ b: Vec) -> Vec { a.replacing(with: b, where: b .< a) }

/// eˣ for each lane, within 1e-7 relative over the float range (Cephes `expf`: Cody–Waite range
/// reduction x = n·ln2 + r, a degree-6 polynomial for eʳ, then 2ⁿ through the exponent bits).
/// Inputs below −87.3 give about 1e-38 instead of 0; above 88.3, about 3e38.
///
/// n is rounded with the 1.5·2²³ trick (adding it leaves n in the low mantissa bits): the standard
/// library's float-to-integer and `rounded` on SIMD types are scalar loops, 20× slower.
@inlinable @inline(__always)
func vectorExp(_ input: Vec) -> Vec {
    let x = lanewiseMax(lanewiseMin(input, Vec(repeating: 88.3)), Vec(repeating: -87.3))
    let shifted = x * 1.442_695_040_888_963_4 + 12_582_912
    let n = shifted - 12_582_912
    var r = x - n * 0.693_359_375
    r = r - n * -2.121_944_4e-4
    var p = Vec(repeating: 1.987_569_150_0e-4)
    p = p * r + 1.398_199_950_7e-3
    p = p * r + 8.333_451_907_3e-3
    p = p * r + 4.166_579_589_4e-2
    p = p * r + 1.666_666_545_9e-1
    p = p * r + 5.000_000_120_1e-1
    p = p * (r * r) + r + 1
    // bits(shifted) = 0x4B400000 + n, so the exponent field of 2ⁿ is (bits − 0x4B400000 + 127) << 23.
    let exponent = (unsafeBitCast(shifted, to: SIMD16<Int32>.self) &- (0x4B40_0000 - 127)) &<< 23
    return p * unsafeBitCast(exponent, to: Vec.self)
}

/// The scalar version of ``vectorExp(_:)``, so tails give the same values as full lanes.
@inlinable @inline(__always)
func scalarExp(_ x: Float) -> Float { vectorExp(Vec(repeating: x))[0] }

/// tanh for each lane: 1 − 2 / (e²ˣ + 1), exact to a few ulp; saturates to ±1.
@inlinable @inline(__always)
func vectorTanh(_ x: Vec) -> Vec {
    let e = vectorExp(x * 2)
    return 1 - 2 / (e + 1)
}
