/// `fill: { into: login.password, value: "${secrets.clinic_password}" }`: clear a field and type into it.
public struct FillStep: Hashable, Sendable {
    public var field: SelectorReference
    public var value: Template

    public init(field: SelectorReference, value: Template) {
        self.field = field
        self.value = value
    }
}
