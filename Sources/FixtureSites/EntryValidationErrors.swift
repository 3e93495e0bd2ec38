/// The validation messages of one record.
struct EntryValidationErrors: Error, Equatable {
    let messages: [String]
}
