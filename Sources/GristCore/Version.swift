/// Gristmill's version, recorded in every manifest.
public enum GristVersion {
    public static let current = "0.1.0"
}
