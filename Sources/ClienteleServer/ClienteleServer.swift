import Hummingbird

/// The dashboard and JSON API server (`clientele serve`).
public enum ClienteleServer {
    /// The server's version string.
    public static let version = "0.1.0"
}
