import ClienteleCore
import RealModule

/// Predictive customer-lifetime models (BG/NBD, MBG/NBD, Gamma-Gamma); see `docs/predictive.md`.
public enum ClientelePrediction {
    /// The log of the gamma function, from swift-numerics.
    static func logGamma(_ x: Double) -> Double { Double.logGamma(x) }
}
