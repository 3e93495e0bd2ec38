/// `upload: { file: entries.csv, into: upload.file, submit: upload.submit }`: put a run artifact into a
/// file input and, optionally, submit it. Always a side effect.
public struct UploadStep: Hashable, Sendable {
    /// The artifact's name, as a `download` or `write` saved it.
    public var file: Template
    public var field: SelectorReference
    /// The button that sends the form, if the upload needs one.
    public var submit: SelectorReference?

    public init(file: Template, field: SelectorReference, submit: SelectorReference? = nil) {
        self.file = file
        self.field = field
        self.submit = submit
    }
}
