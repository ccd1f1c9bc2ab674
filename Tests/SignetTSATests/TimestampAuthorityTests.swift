import Foundation
import SignetCore
import SignetTSA
import SignetVirtualPlatform
import SwiftASN1
import Testing
import X509

@Suite("RFC 3161 timestamp authority")
struct TimestampAuthorityTests {
    static let platform = try! VirtualPlatform()
    static let authority = try! TimestampAuthority(
        signer: SoftwareSigner(platform.tsaKey), certificateChain: [platform.tsaCertificate, platform.tsaRootCertificate],
        timeSource: FixedTimeSource(platform.referenceTime))

    static func der(_ value: some DERSerializable) throws -> [UInt8] {
        var serializer = DER.Serializer()
        try serializer.serialize(value)
        return serializer.serializedBytes
    }

    @Test("a granted response carries a token over the imprint, with the nonce echoed and the certificate embedded")
    func grants() async throws {
        let signature = Array("signature bytes".utf8)
        let request = TimeStampRequest.forSignature(signature, nonce: [0x01, 0x02, 0x03])
        let (response, rejection) = try await Self.authority.respond(toRequest: try request.derBytes())
        #expect(rejection == nil)
        let (status, token) = try TimeStampToken.fromResponse(response)
        #expect(status == 0)
        let info = try #require(token?.info)
        #expect(info.messageImprint.hashedMessage == sha256(signature))
        #expect(info.nonce == request.nonce)
        #expect(info.policy == .sigstoreTimestampPolicy)
        #expect(info.time == Self.platform.referenceTime)
        #expect(token?.signedData.certificates == [try Self.der(Self.platform.tsaCertificate)])

        var noCertificate = request
        noCertificate.certificateRequested = false
        let (bare, _) = try await Self.authority.respond(toRequest: try noCertificate.derBytes())
        #expect(try TimeStampToken.fromResponse(bare).token?.signedData.certificates == [])
    }

    @Test("serial numbers are unique")
    func serials() async throws {
        let request = try TimeStampRequest.forSignature([1]).derBytes()
        var serials = Set<[UInt8]>()
        for _ in 0..<50 {
            let (response, _) = try await Self.authority.respond(toRequest: request)
            serials.insert(try #require(try TimeStampToken.fromResponse(response).token).info.serialNumber)
        }
        #expect(serials.count == 50)
    }

    @Test("malformed requests get a rejection with the RFC 3161 failure bit, never a token")
    func rejections() async throws {
        var wrongLength = TimeStampRequest.forSignature([1])
        wrongLength.messageImprint.hashedMessage = [1, 2, 3]
        var wrongAlgorithm = TimeStampRequest.forSignature([1])
        wrongAlgorithm.messageImprint.hashAlgorithm = AlgorithmIdentifier(algorithm: .sha1)
        var wrongVersion = TimeStampRequest.forSignature([1])
        wrongVersion.version = 2
        var wrongPolicy = TimeStampRequest.forSignature([1])
        wrongPolicy.requestPolicy = [1, 2, 3, 4]
        let valid = try TimeStampRequest.forSignature([1]).derBytes()
        let cases: [(String, [UInt8], TimeStampResponse.FailureInfo)] = [
            ("garbage", Array("not DER".utf8), .badDataFormat),
            ("empty", [], .badDataFormat),
            ("trailing bytes", valid + [0], .badDataFormat),
            ("BER long-form length", [0x30, 0x81, UInt8(valid.count - 2)] + valid.dropFirst(2), .badDataFormat),
            ("oversized", [UInt8](repeating: 0x30, count: 5000), .badDataFormat),
            ("imprint length", try wrongLength.derBytes(), .badDataFormat),
            ("SHA-1 imprint", try wrongAlgorithm.derBytes(), .badAlgorithm),
            ("version 2", try wrongVersion.derBytes(), .badRequest),
            ("unknown policy", try wrongPolicy.derBytes(), .unacceptedPolicy),
        ]
        for (name, request, failure) in cases {
            let (response, rejection) = try await Self.authority.respond(toRequest: request)
            #expect(rejection?.failure == failure, "\(name): \(String(describing: rejection))")
            let parsed = try TimeStampResponse(derEncoded: response)
            #expect(parsed.status == 2 && parsed.tokenDER == nil, "\(name)")
        }
    }

    @Test("imprint algorithm parameters: absent or NULL are granted; anything else, a malformed NULL included, is refused with a reason")
    func imprintParameters() async throws {
        func request(parameters: ASN1Any?) -> TimeStampRequest {
            var request = TimeStampRequest.forSignature([1])
            request.messageImprint.hashAlgorithm = AlgorithmIdentifier(algorithm: .sha256, parameters: parameters)
            return request
        }
        for parameters in [nil, try ASN1Any(erasing: ASN1Null())] {
            let (response, rejection) = try await Self.authority.respond(toRequest: try request(parameters: parameters).derBytes())
            #expect(rejection == nil, "\(String(describing: rejection))")
            #expect(try TimeStampToken.fromResponse(response).status == 0)
        }
        let refused: [(String, ASN1Any)] = [
            ("NULL with content", ASN1Any(derEncoded: try DER.parse([0x05, 0x01, 0x00]))),
            ("an OCTET STRING", try ASN1Any(erasing: ASN1OctetString(contentBytes: [0]))),
            ("an INTEGER", try ASN1Any(erasing: 0)),
            ("a SEQUENCE", ASN1Any(derEncoded: try DER.parse([0x30, 0x03, 0x02, 0x01, 0x00]))),
            ("an OID", try ASN1Any(erasing: ASN1ObjectIdentifier.sha256)),
        ]
        for (name, parameters) in refused {
            let (response, rejection) = try await Self.authority.respond(toRequest: try request(parameters: parameters).derBytes())
            #expect(rejection?.failure == .badAlgorithm, "\(name): \(String(describing: rejection))")
            #expect(rejection?.reason.contains("absent or NULL") == true, "\(name)")
            let parsed = try TimeStampResponse(derEncoded: response)
            #expect(parsed.status == 2 && parsed.tokenDER == nil, "\(name)")
        }
    }

    @Test("every truncation of a valid request is refused with badDataFormat")
    func truncations() async throws {
        let valid = try TimeStampRequest.forSignature([1, 2, 3], nonce: [1, 2, 3, 4, 5, 6, 7, 8]).derBytes()
        for length in 0..<valid.count {
            let (response, rejection) = try await Self.authority.respond(toRequest: Array(valid.prefix(length)))
            #expect(rejection?.failure == .badDataFormat, "\(length) of \(valid.count) bytes")
            #expect(try TimeStampResponse(derEncoded: response).tokenDER == nil)
        }
    }

    @Test("random corruptions of a valid request never crash and never grant without a token")
    func mutations() async throws {
        let valid = try TimeStampRequest.forSignature([1, 2, 3]).derBytes()
        var generator = SeededGenerator.forTest("TSA request mutations")
        for _ in 0..<2_000 {
            var request = valid
            let position = Int.random(in: 0..<request.count, using: &generator)
            switch Int.random(in: 0..<3, using: &generator) {
            case 0: request[position] = UInt8.random(in: 0...255, using: &generator)
            case 1: request.remove(at: position)
            default: request = Array(request.prefix(position))
            }
            let (response, rejection) = try await Self.authority.respond(toRequest: request)
            let parsed = try TimeStampResponse(derEncoded: response)
            #expect((parsed.status == 0) == (parsed.tokenDER != nil))
            #expect((rejection == nil) == (parsed.status == 0))
        }
    }

    @Test("OpenSSL verifies our tokens against the TSA's root (an independent implementation)")
    func openSSLVerifies() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("signet-tsa-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        func write(_ name: String, _ bytes: [UInt8]) throws -> String {
            let url = directory.appendingPathComponent(name)
            try Data(bytes).write(to: url)
            return url.path
        }
        let data = try write("data.bin", Array("the signature bytes".utf8))
        let request = try TimeStampRequest.forSignature(Array("the signature bytes".utf8)).derBytes()
        let requestPath = try write("request.tsq", request)
        let (response, _) = try await Self.authority.respond(toRequest: request)
        let responsePath = try write("response.tsr", response)
        let root = try write("root.pem", Array(PEM.encode(try Self.der(Self.platform.tsaRootCertificate), label: "CERTIFICATE").utf8))

        // OpenSSL checks validity at the current time; the platform's certificates are valid for
        // a year from the reference time, so verify with an explicit attime at the reference time.
        let attime = String(Self.platform.referenceTime.seconds)
        let byQuery = try OpenSSL.run(["ts", "-verify", "-in", responsePath, "-queryfile", requestPath, "-CAfile", root, "-attime", attime])
        #expect(byQuery.status == 0 && byQuery.output.contains("Verification: OK"), "\(byQuery.output)")
        let byData = try OpenSSL.run(["ts", "-verify", "-in", responsePath, "-data", data, "-CAfile", root, "-attime", attime])
        #expect(byData.status == 0, "\(byData.output)")
        let otherData = try write("other.bin", Array("other bytes".utf8))
        let wrong = try OpenSSL.run(["ts", "-verify", "-in", responsePath, "-data", otherData, "-CAfile", root, "-attime", attime])
        #expect(wrong.status != 0, "OpenSSL accepted a token for other data: \(wrong.output)")
    }
}
