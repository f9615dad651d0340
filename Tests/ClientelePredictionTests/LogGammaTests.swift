import Testing
@testable import ClientelePrediction

@Test func logGammaOfSmallIntegersIsTheLogOfFactorials() {
    // Γ(5) = 4! = 24.
    #expect(abs(ClientelePrediction.logGamma(5) - 3.1780538303479458) < 1e-12)
}
