import Engine
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `--webdriver-url URL[,sessions=N]`: a remote end of a pool and its session cap.
@Suite("Remote ends of a browser pool")
struct RemoteEndTests {
    @Test("a URL alone has no cap; sessions=N caps it; a URL with commas of its own is kept whole")
    func parsing() {
        #expect(RemoteEnd(parsing: "http://grid:4444") == RemoteEnd(url: "http://grid:4444"))
        #expect(RemoteEnd(parsing: "http://grid:4444,sessions=8") == RemoteEnd(url: "http://grid:4444", sessions: 8))
        #expect(RemoteEnd(parsing: "http://h/wd?a=1,2,sessions=3") == RemoteEnd(url: "http://h/wd?a=1,2", sessions: 3))
        #expect(RemoteEnd(parsing: "http://grid:4444,sessions=8")?.description == "http://grid:4444,sessions=8")
    }

    @Test("a cap that is not a positive number, or no URL, is refused")
    func refused() {
        #expect(RemoteEnd(parsing: "http://grid:4444,sessions=0") == nil)
        #expect(RemoteEnd(parsing: "http://grid:4444,sessions=many") == nil)
        #expect(RemoteEnd(parsing: ",sessions=2") == nil)
        #expect(RemoteEnd(parsing: "") == nil)
    }
}

/// Worker names: `HOST:PID/worker:N`, so a claim says which host and process holds an item.
@Suite("Worker names")
struct WorkerNameTests {
    @Test("a worker's name carries its host and process; older names (worker:N) carry neither")
    func parsing() {
        #expect(WorkerName.worker(2, of: "web-3:4121") == "web-3:4121/worker:2")
        let parsed = WorkerName.parse("web-3:4121/worker:2")
        #expect(parsed?.host == "web-3" && parsed?.pid == 4121)
        #expect(WorkerName.parse("worker:1") == nil)
        #expect(WorkerName.thisProcess.hasSuffix(":\(getpid())"))
    }
}
