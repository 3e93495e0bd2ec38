/// The clinic's fixed patient registry: 300 patients `P-10001` ... `P-10300` with plausible names.
///
/// The registry does not depend on the configured seed, so a patient keeps the same ID on every
/// run; the seed only changes who comes in on which day.
public struct PatientRegistry: Sendable {
    /// The registry every site uses.
    public static let standard = PatientRegistry(count: 300)

    /// The ID of the planted unknown patient, never part of the registry.
    public static let unknownPatientID = "P-99999"

    /// All patients, ordered by ID.
    public let patients: [Patient]
    private let byID: [String: Patient]

    init(count: Int) {
        var random = SplitMix64(seed: 2003)
        var used = Set<String>()
        var patients: [Patient] = []
        // A few names that exercise escaping and CSV quoting.
        let special = ["Siobhán O'Brien", "Robert Hale, Jr.", "Zoë Müller-Lüdenscheidt", "José García"]
        for index in 0..<count {
            var name: String
            if index % 75 == 10 {
                name = special[(index / 75) % special.count]
            } else {
                repeat {
                    name = "\(random.pick(Self.firstNames)) \(random.pick(Self.lastNames))"
                } while used.contains(name) || special.contains(name)
            }
            used.insert(name)
            patients.append(Patient(id: "P-\(10001 + index)", name: name))
        }
        self.patients = patients
        self.byID = Dictionary(uniqueKeysWithValues: patients.map { ($0.id, $0) })
    }

    /// The patient with `id`, or `nil` when the ID is not registered.
    public func patient(id: String) -> Patient? {
        byID[id]
    }

    static let firstNames = [
        "Anna", "Ben", "Clara", "David", "Elena", "Felix", "Greta", "Hugo", "Ida", "Jonas", "Karin", "Lukas",
        "Maria", "Nils", "Olga", "Paul", "Rita", "Stefan", "Tanja", "Uwe", "Vera", "Walter", "Yusuf", "Zora",
        "Amir", "Brigitte", "Carlos", "Doris", "Emil", "Fatima", "Georg", "Hanna", "Igor", "Julia", "Klaus",
        "Lena", "Marco", "Nadia", "Oskar", "Petra",
    ]

    static let lastNames = [
        "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann", "Koch", "Richter",
        "Klein", "Wolf", "Neumann", "Schwarz", "Braun", "Zimmermann", "Hartmann", "Lange", "Krause", "Lehmann",
        "Novak", "Kowalski", "Rossi", "Dubois", "Jensen", "Nowak", "Horvat", "Costa", "Silva", "Yilmaz",
        "Papadopoulos", "Andersen", "Janssen", "Peeters", "Bauer", "Vogel", "Keller", "Frank", "Berger", "Roth",
    ]
}
