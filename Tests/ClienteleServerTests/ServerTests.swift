import Testing
@testable import ClienteleServer

@Test func theServerHasAVersion() {
    #expect(ClienteleServer.version.split(separator: ".").count == 3)
}
