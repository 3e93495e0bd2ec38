/// `expired_when:` and the selector keys it names.
extension FlowValidator {
    /// Checks a use of a selector key: it must be defined (with a "did you mean" when it is not), and
    /// it counts as used.
    mutating func checkSelectorKey(_ reference: SelectorReference, ofFrame: Bool = false) {
        usedSelectors.insert(reference.key)
        if flow.selectors[reference.key] == nil {
            let hint = Suggestion.closest(to: reference.key, in: flow.selectors.keys).map { "; did you mean '\($0)'?" }
                ?? (ofFrame ? "; define it under 'selectors:', or enter the frame by its name: frame: { name: \(reference.key) }" : "; define it under 'selectors:'")
            error(.undefinedSelector, at: reference.location, "unknown selector key '\(reference.key)'\(hint)")
        }
    }

    /// The `expired_when:` of `defaults:` and of each session stage name defined selector keys, and
    /// `defaults:`'s has a session stage to apply to.
    mutating func checkExpiryConditions() {
        let sessionStages = flow.stages.filter(\.isSession)
        if let defaults = flow.defaults.expiredWhen {
            if let element = defaults.element { checkSelectorKey(element) }
            if sessionStages.isEmpty {
                warning(
                    .invalidPolicy, at: defaults.location,
                    "'expired_when' under 'defaults:' applies to session stages, and this flow has none; mark its login stage 'session: true', or remove it")
            }
        }
        for stage in sessionStages {
            if let element = stage.expiredWhen?.element { checkSelectorKey(element) }
        }
    }
}
