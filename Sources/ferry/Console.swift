import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Plain, readable progress lines for people running Ferry in a terminal or a log.
struct Console {
    func title(_ text: String) {
        print(text)
    }

    func step(_ text: String) {
        print("  ✓ \(text)")
        fflush(nil)  // a pipe or a log file sees each step as it happens
    }

    func done(_ text: String) {
        print(text)
    }
}
