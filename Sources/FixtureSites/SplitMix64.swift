/// A tiny, fast, deterministic pseudo-random generator (Steele, Lea & Flood's SplitMix64).
///
/// The fixture data must be identical for the same seed on every platform and Swift version,
/// so every draw goes through the helpers below and never through `Int.random(in:using:)`,
/// whose algorithm is an implementation detail of the standard library.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) {
        self.state = seed
    }

    /// A generator for one sub-stream, e.g. one date: the key is mixed into the seed.
    public init(seed: UInt64, stream: UInt64) {
        var mixer = SplitMix64(seed: seed ^ (stream &* 0xD1B5_4A32_D192_ED03))
        self.state = mixer.next()
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in `range` (the slight modulo bias does not matter for fixture data).
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        let width = UInt64(range.upperBound - range.lowerBound) + 1
        return range.lowerBound + Int(next() % width)
    }

    /// An element of a non-empty array.
    public mutating func pick<Element>(_ elements: [Element]) -> Element {
        elements[int(in: 0...(elements.count - 1))]
    }

    /// `true` with the given probability in percent.
    public mutating func chance(percent: Int) -> Bool {
        int(in: 0...99) < percent
    }
}
