/// Why a model could not be fitted (STYLE.md, "Errors"): a code and the sentence the user reads.
public struct FitError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public struct Code: Sendable, Hashable, RawRepresentable, CustomStringConvertible {
        /// The code's stable name.
        public let rawValue: String
        /// The code named `rawValue`.
        public init(rawValue: String) { self.rawValue = rawValue }
        /// The code's name.
        public var description: String { rawValue }

        /// Fewer customers (or repeat customers) than a fit needs.
        public static let tooFewCustomers = Code(rawValue: "too-few-customers")
        /// A repeat customer's mean repeat spend is zero or negative (Gamma-Gamma needs positive spend).
        public static let nonPositiveSpend = Code(rawValue: "non-positive-spend")
        /// The Gamma-Gamma fit gives q ≤ 1: the mean spend per purchase would be infinite.
        public static let infiniteMeanSpend = Code(rawValue: "infinite-mean-spend")
        /// The optimizer did not reach a maximum within its iteration budget.
        public static let notConverged = Code(rawValue: "not-converged")
        /// A parameter ran off towards 0 or infinity: the data cannot pin the model down.
        public static let degenerate = Code(rawValue: "degenerate")
        /// The inputs are unusable (dates in the wrong order, no data before the calibration end, …).
        public static let invalidInput = Code(rawValue: "invalid-input")
    }

    /// What went wrong.
    public var code: Code
    /// The sentence the user reads.
    public var description: String

    /// An error with `code` and the user-facing `description`.
    public init(_ code: Code, _ description: String) {
        self.code = code
        self.description = description
    }
}
