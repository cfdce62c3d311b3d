import Testing
@testable import VectorIndex

@Suite struct DistanceTests {
    @Test func handComputedValues() {
        #expect(Distance.dot([1, 2, 3], [4, 5, 6]) == 32)
        #expect(Distance.l2Squared([1, 2, 3], [4, 5, 6]) == 27)
        #expect(abs(Distance.cosineDistance([1, 0], [0, 3])) - 1 < 1e-6)
        #expect(abs(Distance.cosineDistance([1, 2], [2, 4])) < 1e-6)
        #expect(Distance.cosineDistance([0, 0], [1, 1]) == 1)
        #expect(Distance.hamming([0b1011], [0]) == 3)
        #expect(Distance.hamming([UInt64.max, 0], [0, UInt64.max]) == 128)
    }

    @Test(arguments: [1, 7, 15, 16, 17, 31, 32, 33, 63, 100, 384])
    func simdMatchesScalarReference(n: Int) {
        var rng = SplitMix64(seed: UInt64(n))
        let a = (0..<n).map { _ in Float.random(in: -2...2, using: &rng) }
        let b = (0..<n).map { _ in Float.random(in: -2...2, using: &rng) }
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                let (x, y) = (pa.baseAddress!, pb.baseAddress!)
                let tol: Float = 1e-4 * Float(n)
                #expect(abs(Distance.dot(x, y, count: n) - Distance.dotReference(x, y, count: n)) <= tol)
                #expect(abs(Distance.l2Squared(x, y, count: n) - Distance.l2SquaredReference(x, y, count: n)) <= tol)
                #expect(abs(Distance.cosineDistance(x, y, count: n) - Distance.cosineDistanceReference(x, y, count: n)) <= 1e-4)
                #expect(abs(DistanceMetric.innerProduct.distance(x, y, count: n) - (1 - Distance.dotReference(x, y, count: n))) <= tol)
            }
        }
    }

    @Test(arguments: [1, 2, 3, 6, 7])
    func hammingMatchesBitByBitReference(words: Int) {
        var rng = SplitMix64(seed: 99 + UInt64(words))
        for _ in 0..<20 {
            let a = (0..<words).map { _ in rng.next() }
            let b = (0..<words).map { _ in rng.next() }
            let ref = a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in Distance.hammingReference(pa.baseAddress!, pb.baseAddress!, words: words) } }
            #expect(Distance.hamming(a, b) == ref)
        }
    }

    @Test func normalizeGivesUnitLength() {
        var v: [Float] = [3, 4]
        #expect(Distance.normalize(&v))
        #expect(abs(v[0] - 0.6) < 1e-6 && abs(v[1] - 0.8) < 1e-6)
        var z: [Float] = [0, 0]
        #expect(!Distance.normalize(&z))
    }

    @Test func metricNamesParse() {
        #expect(DistanceMetric(name: "ip") == .innerProduct)
        #expect(DistanceMetric(name: "L2") == .l2)
        #expect(DistanceMetric(name: "cosine") == .cosine)
        #expect(DistanceMetric(name: "manhattan") == nil)
    }

    @Test func crc32KnownVectors() {
        #expect(CRC32.checksum(Array("123456789".utf8)) == 0xCBF4_3926)
        #expect(CRC32.checksum([UInt8]()) == 0)
        #expect(CRC32.checksum(Array("The quick brown fox jumps over the lazy dog".utf8)) == 0x414F_A339)
        let a = Array("hello ".utf8), b = Array("world, this is incremental".utf8)
        let inc = b.withUnsafeBytes { CRC32.update(a.withUnsafeBytes { CRC32.update(0, $0) }, $0) }
        #expect(inc == CRC32.checksum(a + b))
    }
}
