import ClienteleCore
import ClienteleStore
import Crypto
import CryptoExtras
import Foundation

/// Making and checking secrets (docs/access.md): API tokens and session cookies are 256-bit random secrets
/// stored only as their SHA-256; passwords are stored only as scrypt hashes (a memory-hard password KDF:
/// N = 2^15, r = 8, p = 1, a 16-byte random salt, 32-byte output, written `scrypt$15$8$1$SALT$HASH` in base64 so
/// the parameters can be raised later without breaking stored hashes). Every comparison of a secret takes the
/// same time whatever the bytes (`constantTimeEqual`).
public enum Credentials {
    /// The prefix of every API token (so a leaked token is recognisable, e.g. by secret scanners).
    public static let tokenPrefix = "clt_"

    /// A new random secret of 32 bytes as URL-safe base64 (43 characters).
    public static func randomSecret() -> String {
        base64URL(SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) })
    }

    /// A new API token: its public id, the secret to hand to the user once, and the secret's hash to store.
    public static func newToken() -> (id: String, secret: String, hash: String) {
        let secret = tokenPrefix + randomSecret()
        let id = "tok_" + String(randomSecret().prefix(10))
        return (id, secret, sha256Hex(secret))
    }

    /// SHA-256 of `text`'s UTF-8 bytes as 64 lowercase hex digits.
    public static func sha256Hex(_ text: String) -> String {
        SHA256.hash(data: Array(text.utf8)).map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined()
    }

    /// The scrypt cost parameters of new password hashes: log2 N, r, p.
    public static let scryptCost = (logN: 15, r: 8, p: 1)

    /// The stored form of `password`: `scrypt$logN$r$p$salt$hash`.
    public static func hashPassword(_ password: String, logN: Int = scryptCost.logN) throws -> String {
        let salt = SymmetricKey(size: .init(bitCount: 128)).withUnsafeBytes { Array($0) }
        let (r, p) = (scryptCost.r, scryptCost.p)
        let key = try derive(password, salt: salt, logN: logN, r: r, p: p)
        return "scrypt$\(logN)$\(r)$\(p)$\(base64URL(salt))$\(base64URL(key))"
    }

    /// Whether `password` matches the stored `hash` (false for a malformed hash), in time independent of where
    /// the bytes differ.
    public static func verifyPassword(_ password: String, hash: String) -> Bool {
        let parts = hash.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "scrypt", let logN = Int(parts[1]), (10...20).contains(logN),
              let r = Int(parts[2]), (1...32).contains(r), let p = Int(parts[3]), (1...16).contains(p),
              let salt = bytes(base64URL: String(parts[4])), let expected = bytes(base64URL: String(parts[5])),
              expected.count == 32, let key = try? derive(password, salt: salt, logN: logN, r: r, p: p) else { return false }
        return constantTimeEqual(key, expected)
    }

    /// Whether two byte strings are equal, looking at every byte whatever the first difference.
    public static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference = UInt8(truncatingIfNeeded: a.count ^ b.count)
        for i in 0..<max(a.count, b.count) {
            difference |= (i < a.count ? a[i] : 0) ^ (i < b.count ? b[i] : 0)
        }
        return difference == 0
    }

    /// Whether two strings' UTF-8 bytes are equal, in constant time (`constantTimeEqual`).
    public static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        constantTimeEqual(Array(a.utf8), Array(b.utf8))
    }

    private static func derive(_ password: String, salt: [UInt8], logN: Int, r: Int, p: Int) throws -> [UInt8] {
        let key = try KDF.Scrypt.deriveKey(from: Array(password.utf8), salt: salt, outputByteCount: 32,
                                           rounds: 1 << logN, blockSize: r, parallelism: p,
                                           maxMemory: 256 * 1024 * 1024)
        return key.withUnsafeBytes { Array($0) }
    }

    static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func bytes(base64URL text: String) -> [UInt8]? {
        var s = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while s.count % 4 != 0 { s += "=" }
        return Data(base64Encoded: s).map { Array($0) }
    }
}
