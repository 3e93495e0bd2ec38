/// A kind of visit with its tariff code and price range, used by ``AppointmentGenerator``.
struct VisitType: Sendable {
    let name: String
    let code: String
    let description: String
    /// Price range in cents; amounts are drawn in steps of ten cents.
    let priceCents: ClosedRange<Int>

    static let all = [
        VisitType(name: "Check-up", code: "GP01", description: "General check-up", priceCents: 4500...9000),
        VisitType(name: "Consultation", code: "GP02", description: "Extended consultation", priceCents: 6000...15000),
        VisitType(name: "Follow-up", code: "GP03", description: "Follow-up visit", priceCents: 4500...8000),
        VisitType(name: "Vaccination", code: "VX10", description: "Vaccination incl. serum", priceCents: 5000...12000),
        VisitType(name: "Blood test", code: "LB21", description: "Laboratory blood panel", priceCents: 7000...18000),
        VisitType(name: "X-ray", code: "RX30", description: "Radiograph, one view", priceCents: 12000...32000),
        VisitType(name: "Physiotherapy", code: "PT40", description: "Physiotherapy session", priceCents: 5500...14000),
    ]

    static func named(_ name: String) -> VisitType {
        all.first { $0.name == name } ?? all[0]
    }
}
