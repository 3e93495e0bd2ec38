import CLibXML2

/// Process-wide libxml2 set-up Ferry needs before any parse.
enum LibXML {
    private static let initialization: Void = {
        xmlInitParser()
        // No external entity, DTD or network resource is ever loaded, by any parser in the process.
        ferry_xml_refuse_external_entities()
    }()

    /// Initialises libxml2 once and silences its diagnostics on the calling thread
    /// (libxml2 keeps its error handler per thread).
    static func prepare() {
        initialization
        ferry_xml_install_silent_handlers()
    }
}

extension HTMLDocument {
    /// The version of the libxml2 headers Ferry was built against ("2.9.14"), for reports and benchmarks.
    public static let libxml2Version = LIBXML_DOTTED_VERSION
}
