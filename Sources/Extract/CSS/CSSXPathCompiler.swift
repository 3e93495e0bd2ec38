/// Turns parsed CSS selectors into XPath 1.0 that stays fast on libxml2 (see ``CSSSelector`` for why
/// the shape is right to left).
///
///     table#data > tbody tr.row
///     descendant::tr[contains(concat(' ', normalize-space(@class), ' '), ' row ')][ancestor::tbody[parent::table[@id='data']]]
struct CSSXPathCompiler {
    typealias Compound = CSSCompoundSelector
    typealias Nth = CSSCompoundSelector.Nth

    func compile(_ list: [CSSComplexSelector]) -> String {
        if list.count == 1 { return compile(list[0]) }
        // One descendant step with `self::` alternatives: a union would merge with a quadratic duplicate check.
        let attributes = Set(list.map(\.attribute))
        if attributes.count == 1, list.allSatisfy({ positionalCondition(of: $0.subject) == nil }) {
            let alternatives = list.map { selector in
                "self::" + nameTest(selector.subject.tag) + brackets(conditions(of: selector.subject) + context(of: selector, at: selector.compounds.count - 1))
            }
            return "descendant::*[" + alternatives.joined(separator: " or ") + "]" + attributeStep(list[0].attribute)
        }
        return list.map { compile($0) }.joined(separator: " | ")
    }

    /// For a document-level first match only: the selector as a lookup in libxml2's id table when its
    /// subject has an `#id` (`table#appointments`), or `nil`. libxml2 registers the first element with
    /// each id, so a non-empty result is the first match in document order; an empty one proves nothing
    /// (a duplicate id further on may match) and the caller runs the full query. Microseconds instead of
    /// a walk over the whole page (tens of milliseconds on 5 MB).
    func firstMatchByID(_ list: [CSSComplexSelector]) -> String? {
        guard list.count == 1, let selector = list.first, !usesPivot(selector) else { return nil }
        let subject = selector.subject
        guard positionalCondition(of: subject) == nil,
            let index = subject.conditions.firstIndex(where: { if case .id = $0 { true } else { false } }),
            case .id(let id) = subject.conditions[index], !id.isEmpty,
            !id.unicodeScalars.contains(where: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\u{0C}" })
        else { return nil }
        var rest = subject.conditions
        rest.remove(at: index)
        let left = context(of: selector, at: selector.compounds.count - 1)
        return "id(\(XPathLiteral.quote(id)))/self::" + nameTest(subject.tag) + brackets(rest.map { condition($0, tag: subject.tag) } + left)
            + attributeStep(selector.attribute)
    }

    private func usesPivot(_ selector: CSSComplexSelector) -> Bool {
        pivot(of: selector) != nil
    }

    /// The compound a repeating position is compiled at when only child combinators follow it.
    private func pivot(of selector: CSSComplexSelector) -> Int? {
        let compounds = selector.compounds
        guard let pivot = compounds.indices.dropLast().last(where: { positionalCondition(of: compounds[$0]) != nil }),
            selector.combinators[pivot...].allSatisfy({ $0 == .child })
        else { return nil }
        return pivot
    }

    func compile(_ selector: CSSComplexSelector) -> String {
        // `tr:nth-child(odd) > td`: a repeating position left of the subject cannot use position() inside a
        // predicate, and counting siblings there is quadratic. When only child combinators follow it, select
        // that compound as a subject and walk down with child steps, which merge without a duplicate check.
        let compounds = selector.compounds
        if let pivot = pivot(of: selector) {
            let prefix = CSSComplexSelector(
                compounds: Array(compounds[...pivot]), combinators: Array(selector.combinators[..<pivot]), attribute: nil)
            var path = subjectPath(prefix)
            for compound in compounds[(pivot + 1)...] { path += "/" + childStep(compound) }
            return path + attributeStep(selector.attribute)
        }
        return subjectPath(selector) + attributeStep(selector.attribute)
    }

    /// The subject as one step from the context node, everything left of it as predicates.
    private func subjectPath(_ selector: CSSComplexSelector) -> String {
        let subject = selector.subject
        let left = context(of: selector, at: selector.compounds.count - 1)
        if positionalCondition(of: subject) != nil {
            // position() counts among the children of each parent, which is exactly an+b.
            return "descendant-or-self::node()/" + childStep(subject, extra: left)
        }
        return "descendant::" + nameTest(subject.tag) + brackets(conditions(of: subject) + left)
    }

    /// A `child::` step matching `compound`, with a repeating `:nth-*` written with position().
    private func childStep(_ compound: Compound, extra: [String] = []) -> String {
        guard let (index, nth) = positionalCondition(of: compound) else {
            return "child::" + nameTest(compound.tag) + brackets(conditions(of: compound) + extra)
        }
        var rest = compound.conditions
        rest.remove(at: index)
        let position = nth.fromEnd ? "(last() - position() + 1)" : "position()"
        var step: String
        if nth.ofType {
            step = "child::\(nameTest(compound.tag))[\(positionTest(nth, position: position))]"
        } else {
            step = "child::*[\(positionTest(nth, position: position))]"
            if let tag = compound.tag { step += "[self::\(tag)]" }
        }
        return step + brackets(rest.map { condition($0, tag: compound.tag) } + extra)
    }

    /// The first `an+b` condition with a ≠ 0: compiled with `position()` where the compound is a step.
    private func positionalCondition(of compound: Compound) -> (Int, Nth)? {
        for (index, condition) in compound.conditions.enumerated() {
            if case .nth(let nth) = condition, nth.a != 0 { return (index, nth) }
        }
        return nil
    }

    /// Predicates saying what must hold to the left of `compounds[index]` (ancestors, parents, siblings).
    private func context(of selector: CSSComplexSelector, at index: Int) -> [String] {
        guard index > 0 else { return [] }
        let left = selector.compounds[index - 1]
        let inner = brackets(conditions(of: left) + context(of: selector, at: index - 1))
        switch selector.combinators[index - 1] {
        case .descendant: return ["ancestor::" + nameTest(left.tag) + inner]
        case .child: return ["parent::" + nameTest(left.tag) + inner]
        // `[1]` must be the step's only predicate for libxml2 to stop at the first sibling instead of collecting all.
        case .adjacentSibling: return ["preceding-sibling::*[1]/self::" + nameTest(left.tag) + inner]
        case .generalSibling: return ["preceding-sibling::" + nameTest(left.tag) + inner]
        }
    }

    private func conditions(of compound: Compound) -> [String] {
        compound.conditions.map { condition($0, tag: compound.tag) }
    }

    private func condition(_ condition: Compound.Condition, tag: String?) -> String {
        switch condition {
        case .id(let id):
            return "@id=\(XPathLiteral.quote(id))"
        case .className(let name):
            return "contains(concat(' ', normalize-space(@class), ' '), \(XPathLiteral.quote(" \(name) ")))"
        case .attribute(let name, nil):
            return "@\(name)"
        case .attribute(let name, let match?):
            return attributeTest(name: name, match: match)
        case .nth(let nth):
            return siblingTest(nth, tag: tag)
        case .not(let inner):
            return "not(self::\(nameTest(inner.tag))\(brackets(conditions(of: inner))))"
        }
    }

    private func attributeTest(name: String, match: Compound.AttributeMatch) -> String {
        let attribute = match.caseInsensitive
            ? "translate(@\(name), 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz')" : "@\(name)"
        let value = match.caseInsensitive ? Self.asciiLowercased(match.value) : match.value
        let literal = XPathLiteral.quote(value)
        switch match.op {
        case .equals:
            return "\(attribute)=\(literal)"
        case .includesWord:
            guard !value.isEmpty, !value.contains(where: { $0 == " " || $0 == "\t" || $0 == "\n" }) else { return "false()" }
            return "contains(concat(' ', normalize-space(\(attribute)), ' '), \(XPathLiteral.quote(" \(value) ")))"
        case .dashPrefix:
            return "(\(attribute)=\(literal) or starts-with(\(attribute), \(XPathLiteral.quote(value + "-"))))"
        case .prefix:
            return value.isEmpty ? "false()" : "starts-with(\(attribute), \(literal))"
        case .suffix:
            guard !value.isEmpty else { return "false()" }
            return "substring(\(attribute), string-length(\(attribute)) - \(value.unicodeScalars.count - 1))=\(literal)"
        case .substring:
            return value.isEmpty ? "false()" : "contains(\(attribute), \(literal))"
        }
    }

    /// `:nth-child()` and relatives as a predicate that looks at siblings: O(b) for a fixed position,
    /// O(siblings) for a repeating one (only used where `position()` cannot be).
    private func siblingTest(_ nth: Nth, tag: String?) -> String {
        let axis = nth.fromEnd ? "following-sibling::" : "preceding-sibling::"
        let test = nth.ofType ? nameTest(tag) : "*"
        if nth.a == 0 {
            if nth.b < 1 { return "false()" }
            if nth.b == 1 { return "not(\(axis)\(test)[1])" }
            return "\(axis)\(test)[\(nth.b - 1)] and not(\(axis)\(test)[\(nth.b)])"
        }
        return positionTest(nth, position: "(count(\(axis)\(test)) + 1)")
    }

    /// Whether `position` (an XPath number expression) is a·n+b for some n ≥ 0.
    private func positionTest(_ nth: Nth, position: String) -> String {
        let (a, b) = (nth.a, nth.b)
        if a == 0 { return "\(position) = \(b)" }
        if a == 1 { return b <= 1 ? "true()" : "\(position) >= \(b)" }
        if a == -1 { return "\(position) <= \(b)" }
        if a > 0 {
            let step = b == 0 ? "\(position) mod \(a) = 0" : "(\(position) - \(b)) mod \(a) = 0"
            return b <= 1 ? step : "\(position) >= \(b) and \(step)"
        }
        return "\(position) <= \(b) and (\(b) - \(position)) mod \(-a) = 0"
    }

    private func nameTest(_ tag: String?) -> String { tag ?? "*" }

    private func brackets(_ predicates: [String]) -> String {
        predicates.map { "[\($0)]" }.joined()
    }

    private func attributeStep(_ attribute: String?) -> String {
        attribute.map { "/attribute::\($0)" } ?? ""
    }

    private static func asciiLowercased(_ value: String) -> String {
        String(String.UnicodeScalarView(value.unicodeScalars.map { ("A"..."Z").contains($0) ? Unicode.Scalar($0.value + 32)! : $0 }))
    }
}
