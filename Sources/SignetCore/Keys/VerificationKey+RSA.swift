import BigInt
import CryptoExtras
import Foundation

/// RSA signature verification over a digest computed elsewhere (RFC 8017 §8.2.2 and §8.1.2),
/// which swift-crypto only offers for digests it computed itself. Only the public operation
/// is done here, on public values, so arithmetic timing reveals nothing secret.
enum RSADigestVerifier {
    /// The DER `DigestInfo` prefix for each hash (RFC 8017 §9.2, note 1).
    static func digestInfoPrefix(_ hash: HashAlgorithm) -> [UInt8] {
        switch hash {
        case .sha256: [0x30, 0x31, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20]
        case .sha384: [0x30, 0x41, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x02, 0x05, 0x00, 0x04, 0x30]
        case .sha512: [0x30, 0x51, 0x30, 0x0D, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x03, 0x05, 0x00, 0x04, 0x40]
        }
    }

    /// RSAVP1: s^e mod n as a `length`-byte big-endian string, or nil if s is not below n.
    static func publicOperation(_ key: _RSA.Signing.PublicKey, signature: [UInt8]) -> (encoded: [UInt8], modulusBits: Int)? {
        guard let primitives = try? key.getKeyPrimitives() else { return nil }
        let modulus = BigUInt(primitives.modulus)
        let exponent = BigUInt(primitives.publicExponent)
        let length = (modulus.bitWidth + 7) / 8
        guard signature.count == length else { return nil }
        let s = BigUInt(Data(signature))
        guard s < modulus else { return nil }
        let m = Array(s.power(exponent, modulus: modulus).serialize())
        guard m.count <= length else { return nil }
        return ([UInt8](repeating: 0, count: length - m.count) + m, modulus.bitWidth)
    }

    /// EMSA-PKCS1-v1_5 (RFC 8017 §9.2): 0x00 0x01 FF…FF 0x00 DigestInfo.
    static func verifyPKCS1v15(_ key: _RSA.Signing.PublicKey, signature: [UInt8], digest: [UInt8], hash: HashAlgorithm) -> Bool {
        guard digest.count == hash.byteCount, let (encoded, _) = publicOperation(key, signature: signature) else { return false }
        let suffix = [0x00] + digestInfoPrefix(hash) + digest
        let padding = encoded.count - 2 - suffix.count
        guard padding >= 8 else { return false }
        let expected = [0x00, 0x01] + [UInt8](repeating: 0xFF, count: padding) + suffix
        return expected == encoded
    }

    /// EMSA-PSS-VERIFY (RFC 8017 §9.1.2) with MGF1 over the same hash and any salt length.
    static func verifyPSS(_ key: _RSA.Signing.PublicKey, signature: [UInt8], digest: [UInt8], hash: HashAlgorithm) -> Bool {
        guard digest.count == hash.byteCount, let (full, modulusBits) = publicOperation(key, signature: signature) else { return false }
        let emBits = modulusBits - 1
        let emLength = (emBits + 7) / 8
        // When emBits is a multiple of 8 the integer has one more leading byte, which must be 0.
        guard full.count >= emLength, full.prefix(full.count - emLength).allSatisfy({ $0 == 0 }) else { return false }
        let encoded = Array(full.suffix(emLength))
        let hashLength = hash.byteCount
        guard emLength >= hashLength + 2, encoded.last == 0xBC else { return false }
        let maskedDB = encoded[0..<(emLength - hashLength - 1)]
        let h = Array(encoded[(emLength - hashLength - 1)..<(emLength - 1)])
        let unusedBits = 8 * emLength - emBits
        let topMask: UInt8 = unusedBits == 0 ? 0xFF : 0xFF >> UInt8(unusedBits)
        guard maskedDB.first.map({ $0 & ~topMask == 0 }) ?? false else { return false }
        var db = zip(maskedDB, mgf1(seed: h, length: maskedDB.count, hash: hash)).map { $0 ^ $1 }
        db[0] &= topMask
        guard let separator = db.firstIndex(where: { $0 != 0 }), db[separator] == 0x01 else { return false }
        let salt = db[(separator + 1)...]
        let reconstructed = hash.hash([UInt8](repeating: 0, count: 8) + digest + salt)
        return reconstructed == h
    }

    /// MGF1 (RFC 8017 §B.2.1).
    static func mgf1(seed: [UInt8], length: Int, hash: HashAlgorithm) -> [UInt8] {
        var output: [UInt8] = []
        var counter: UInt32 = 0
        while output.count < length {
            output += hash.hash(seed + withUnsafeBytes(of: counter.bigEndian) { Array($0) })
            counter += 1
        }
        return Array(output.prefix(length))
    }
}
