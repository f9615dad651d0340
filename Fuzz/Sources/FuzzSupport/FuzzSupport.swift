import CFuzzDriver

#if canImport(Glibc)
import Glibc
#endif

/// Runs libFuzzer with this process's arguments, calling `testOneInput` with each input, and exits with its
/// status. SwiftPM makes an executable's `@main` the process's `main`, which would hide the one libFuzzer
/// brings; so each target's `@main` calls this, and libFuzzer's driver does the rest.
public func runFuzzer(_ testOneInput: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Never {
    var argc = CommandLine.argc
    var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
    exit(LLVMFuzzerRunDriver(&argc, &argv, testOneInput))
}

/// The input as an array (empty for a null pointer).
@inline(__always)
public func fuzzBytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
    guard let data, size > 0 else { return [] }
    return Array(UnsafeBufferPointer(start: data, count: size))
}

/// Stops the process (a finding for libFuzzer) when an invariant does not hold.
@inline(__always)
public func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() {
        var text = "invariant broken: \(message())\n"
        text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
        abort()
    }
}
