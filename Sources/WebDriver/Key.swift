/// Keys that are not characters, for ``WebDriverElement/sendKeys(_:)`` and ``WebDriverSession/press(_:)``.
///
/// Each is the Unicode private-use code point W3C assigns to it; mix them into text freely:
/// `try await field.sendKeys("clerk" + Key.tab + "secret" + Key.enter)`.
///
/// Related W3C documentation: https://www.w3.org/TR/webdriver2/#keyboard-actions
public enum Key {
    public static let cancel = "\u{E001}"
    public static let help = "\u{E002}"
    public static let backspace = "\u{E003}"
    public static let tab = "\u{E004}"
    public static let clear = "\u{E005}"
    public static let returnKey = "\u{E006}"
    public static let enter = "\u{E007}"
    public static let shift = "\u{E008}"
    public static let control = "\u{E009}"
    public static let alt = "\u{E00A}"
    public static let pause = "\u{E00B}"
    public static let escape = "\u{E00C}"
    public static let space = "\u{E00D}"
    public static let pageUp = "\u{E00E}"
    public static let pageDown = "\u{E00F}"
    public static let end = "\u{E010}"
    public static let home = "\u{E011}"
    public static let arrowLeft = "\u{E012}"
    public static let arrowUp = "\u{E013}"
    public static let arrowRight = "\u{E014}"
    public static let arrowDown = "\u{E015}"
    public static let insert = "\u{E016}"
    public static let delete = "\u{E017}"
    public static let f1 = "\u{E031}"
    public static let f5 = "\u{E035}"
    public static let meta = "\u{E03D}"

    /// Names as flow files write them (`press: Enter`), mapped to their code points.
    public static let named: [String: String] = [
        "Backspace": backspace, "Tab": tab, "Enter": enter, "Return": returnKey, "Escape": escape,
        "Space": space, "PageUp": pageUp, "PageDown": pageDown, "End": end, "Home": home,
        "ArrowLeft": arrowLeft, "ArrowUp": arrowUp, "ArrowRight": arrowRight, "ArrowDown": arrowDown,
        "Insert": insert, "Delete": delete, "Shift": shift, "Control": control, "Alt": alt, "Meta": meta,
        "F1": f1, "F5": f5,
    ]
}
