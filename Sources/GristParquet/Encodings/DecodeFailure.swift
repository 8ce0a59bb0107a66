import GristCore

/// Why a page's bytes do not decode: the kind the error will carry and what is wrong, without where
/// (the column reader adds the file, row group, column and page).
struct DecodeFailure: Error, Sendable {
    var kind: GristError.Kind
    var message: String

    /// Bad data: lengths that run past the page, values out of range.
    static func corrupt(_ message: String) -> DecodeFailure { DecodeFailure(kind: .skip(.corrupt), message: message) }

    /// Something valid this reader does not implement (an encoding for a type, a codec).
    static func unsupported(_ message: String) -> DecodeFailure { DecodeFailure(kind: .badFormat, message: message) }
}
