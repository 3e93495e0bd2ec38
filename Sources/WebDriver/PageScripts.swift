/// The JavaScript Ferry runs inside pages, kept in one place. Each does in one round trip what would
/// otherwise take several WebDriver commands.
enum PageScripts {
    /// Finds elements by a `pageQuery` strategy: `find(using, value)` returns an array.
    private static let finder = """
        function ferryFind(using, value) {
          if (using === 'css selector') return Array.from(document.querySelectorAll(value));
          const r = document.evaluate(value, document, null, XPathResult.ORDERED_NODE_SNAPSHOT_TYPE, null);
          const out = [];
          for (let i = 0; i < r.snapshotLength; i++) out.push(r.snapshotItem(i));
          return out;
        }
        function ferryVisible(e) {
          if (!e.isConnected || e.getClientRects().length === 0) return false;
          return e.checkVisibility ? e.checkVisibility({checkOpacity: true, checkVisibilityCSS: true}) : true;
        }
        """

    /// Sets a form control's value through the native setter (so frameworks notice) and fires input/change.
    /// `arguments`: element, value. Returns `{ok}` or `{error, reason}`.
    private static let setValue = """
        function ferrySetValue(el, value) {
          if (!(el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement)) {
            if (el.isContentEditable) { el.focus(); el.textContent = value;
              el.dispatchEvent(new Event('input', {bubbles: true})); return {ok: true}; }
            return {error: 'element not interactable', reason: 'a <' + el.tagName.toLowerCase() + '> cannot be filled; point the selector at an input or textarea'};
          }
          if (el.disabled) return {error: 'element not interactable', reason: 'the field is disabled'};
          if (el.readOnly) return {error: 'element not interactable', reason: 'the field is read-only'};
          el.focus();
          const proto = el instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
          Object.getOwnPropertyDescriptor(proto, 'value').set.call(el, value);
          el.dispatchEvent(new Event('input', {bubbles: true}));
          el.dispatchEvent(new Event('change', {bubbles: true}));
          return {ok: true};
        }
        """

    static let fill = setValue + "return ferrySetValue(arguments[0], arguments[1]);"

    /// Finds by locator and fills in one call. `arguments`: using, value, text.
    static let findAndFill = finder + setValue + """
        let found;
        try { found = ferryFind(arguments[0], arguments[1]); }
        catch (e) { return {error: 'invalid selector', reason: String(e.message || e)}; }
        if (found.length === 0) return {error: 'no such element', reason: 'no element matches'};
        const result = ferrySetValue(found[0], arguments[2]);
        return result;
        """

    /// Chooses an option by value or visible text. `arguments`: select element, option.
    static let select = """
        const el = arguments[0], wanted = arguments[1];
        if (!(el instanceof HTMLSelectElement)) return {error: 'element not interactable', reason: 'not a <select>'};
        if (el.disabled) return {error: 'element not interactable', reason: 'the list is disabled'};
        const option = Array.from(el.options).find(o => o.value === wanted) || Array.from(el.options).find(o => o.text.trim() === wanted);
        if (!option) return {error: 'no such element', reason: 'no option with value or text "' + wanted + '"; the options are: ' + Array.from(el.options).map(o => o.text.trim()).join(', ')};
        el.value = option.value;
        el.dispatchEvent(new Event('input', {bubbles: true}));
        el.dispatchEvent(new Event('change', {bubbles: true}));
        return {ok: true};
        """

    /// Waits inside the page until a condition holds, re-checking on every DOM mutation and every 25 ms.
    /// `arguments`: kind, using, value, expected text, budget in ms, quiet period in ms, callback.
    /// Resolves `{ok, element?}` when it holds, `{timeout, seen, visible}` when the budget runs out, or `{error, reason}`.
    static let wait = finder + """
        const [kind, using, value, expected, budget, quiet] = arguments;
        const done = arguments[arguments.length - 1];
        let lastMutation = performance.now();
        let finished = false;
        function check() {
          switch (kind) {
            case 'present': { const e = ferryFind(using, value); return e.length ? {ok: true, element: e[0]} : null; }
            case 'visible': { const e = ferryFind(using, value).find(ferryVisible); return e ? {ok: true, element: e} : null; }
            case 'clickable': { const e = ferryFind(using, value).find(x => ferryVisible(x) && !x.disabled); return e ? {ok: true, element: e} : null; }
            case 'gone': return ferryFind(using, value).filter(ferryVisible).length === 0 ? {ok: true} : null;
            case 'text': { const e = ferryFind(using, value).find(x => (x.innerText || x.textContent || '').includes(expected)); return e ? {ok: true, element: e} : null; }
            case 'url': return location.href.includes(expected) ? {ok: true} : null;
            case 'idle': return document.readyState === 'complete' && performance.now() - lastMutation >= quiet ? {ok: true} : null;
          }
          return {error: 'invalid argument', reason: 'unknown wait kind ' + kind};
        }
        function finish(result) {
          if (finished) return;
          finished = true;
          observer.disconnect(); clearInterval(timer); clearTimeout(limit);
          done(result);
        }
        function attempt() {
          // Waiting for an element on an error page is pointless: say so at once.
          const nav = performance.getEntriesByType('navigation')[0];
          if (nav && nav.responseStatus >= 500 && kind !== 'gone' && kind !== 'url' && kind !== 'idle') {
            finish({error: 'page error', reason: 'the page ' + location.href + ' answered HTTP ' + nav.responseStatus});
            return;
          }
          try { const r = check(); if (r) finish(r); }
          catch (e) { finish({error: 'invalid selector', reason: String(e.message || e)}); }
        }
        const observer = new MutationObserver(() => { lastMutation = performance.now(); attempt(); });
        observer.observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
        const timer = setInterval(attempt, 25);
        const limit = setTimeout(() => {
          let seen = 0, visible = 0;
          try { if (using) { const e = ferryFind(using, value); seen = e.length; visible = e.filter(ferryVisible).length; } } catch (e) {}
          finish({timeout: true, seen: seen, visible: visible, url: location.href});
        }, budget);
        attempt();
        """

    /// Turns a script's `{error, reason}` answer into a typed error.
    static func check(_ result: JSONValue, command: String, locator: Locator?) throws(WebDriverError) {
        guard let error = result["error"]?.string else { return }
        throw WebDriverError(
            code: WebDriverError.Code(error), command: command, locator: locator,
            message: result["reason"]?.string ?? error)
    }
}
