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
            case 'count': {
              const [least, most] = expected.split(',').map(Number);
              const n = ferryFind(using, value).length;
              return n >= least && (most < 0 || n <= most) ? {ok: true} : null;
            }
            case 'changed': { const e = ferryFind(using, value)[0]; return e && (e.innerText || e.textContent || '') !== expected ? {ok: true, element: e} : null; }
            case 'quiet': {
              const net = window.__ferryNet;
              if (document.readyState !== 'complete' || (net && net.pending > 0)) return null;
              const since = Math.max(lastMutation, net ? net.last : 0);
              return performance.now() - since >= quiet ? {ok: true} : null;
            }
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
          if (nav && nav.responseStatus >= 500 && kind !== 'gone' && kind !== 'url' && kind !== 'idle' && kind !== 'quiet' && kind !== 'changed') {
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
          finish({timeout: true, seen: seen, visible: visible, url: location.href, pending: window.__ferryNet ? window.__ferryNet.pending : 0});
        }, budget);
        attempt();
        """

    /// Brings an element to the middle of the window at once (whatever the page's `scroll-behavior`)
    /// and asks the page which element a click at its centre would reach. `arguments`: element.
    /// Returns `{ok, x, y}`, `{covered, by, x, y}` (the element in the way, described), `{hidden}`,
    /// or `{error, reason}`.
    static let hitTest = """
        const el = arguments[0];
        if (!el.isConnected) return {error: 'stale element reference', reason: 'the element left the page'};
        if (el instanceof HTMLOptionElement) return {ok: true};
        el.scrollIntoView({block: 'center', inline: 'center', behavior: 'instant'});
        const rect = Array.from(el.getClientRects()).find(r => r.width > 0 && r.height > 0);
        if (!rect) return {hidden: true};
        const x = Math.min(Math.max(rect.left + rect.width / 2, 0), innerWidth - 1);
        const y = Math.min(Math.max(rect.top + rect.height / 2, 0), innerHeight - 1);
        let hit = document.elementFromPoint(x, y);
        while (hit && hit.shadowRoot) { const inner = hit.shadowRoot.elementFromPoint(x, y); if (!inner || inner === hit) break; hit = inner; }
        if (!hit || hit === el || el.contains(hit)) return {ok: true, x: Math.round(x), y: Math.round(y)};
        const label = hit.closest('label');
        if (label && label.control === el) return {ok: true, x: Math.round(x), y: Math.round(y)};
        // Name what is in the way: the fixed or sticky layer it belongs to says more than an inner span.
        let cover = hit;
        for (let e = hit; e && e !== document.body; e = e.parentElement) {
          const position = getComputedStyle(e).position;
          if (position === 'fixed' || position === 'sticky') { cover = e; break; }
        }
        let name = '<' + cover.tagName.toLowerCase();
        if (cover.id) name += ' id="' + cover.id + '"';
        if (typeof cover.className === 'string' && cover.className.trim()) name += ' class="' + cover.className.trim() + '"';
        name += '>';
        const text = (cover.innerText || cover.textContent || '').replace(/\\s+/g, ' ').trim();
        if (text) name += ' "' + (text.length > 60 ? text.slice(0, 57) + '...' : text) + '"';
        return {covered: true, by: name, x: Math.round(x), y: Math.round(y)};
        """

    /// The text of the first element a `pageQuery` finds, as the `changed` wait compares it. `arguments`: using, value.
    static let firstText = finder + """
        const e = ferryFind(arguments[0], arguments[1])[0];
        return e ? (e.innerText || e.textContent || '') : null;
        """

    /// Counts the fetch and XMLHttpRequest calls a page has pending (`window.__ferryNet`), for the
    /// `quiet` wait. Installed in every new document of a session through DevTools, before the page's
    /// own scripts run; it only counts, and passes every call through unchanged.
    static let networkTracker = """
        (() => {
          if (window.__ferryNet) return;
          const net = window.__ferryNet = {pending: 0, last: 0};
          const settle = () => { net.pending = Math.max(0, net.pending - 1); net.last = performance.now(); };
          const start = () => { net.pending += 1; net.last = performance.now(); };
          if (window.fetch) {
            const original = window.fetch;
            window.fetch = function () {
              start();
              let answer;
              try { answer = original.apply(this, arguments); } catch (e) { settle(); throw e; }
              Promise.resolve(answer).then(settle, settle);
              return answer;
            };
          }
          if (window.XMLHttpRequest) {
            const send = XMLHttpRequest.prototype.send;
            XMLHttpRequest.prototype.send = function () {
              start();
              this.addEventListener('loadend', settle, {once: true});
              try { return send.apply(this, arguments); } catch (e) { settle(); throw e; }
            };
          }
        })();
        """

    /// Turns a script's `{error, reason}` answer into a typed error.
    static func check(_ result: JSONValue, command: String, locator: Locator?) throws(WebDriverError) {
        guard let error = result["error"]?.string else { return }
        throw WebDriverError(
            code: WebDriverError.Code(error), command: command, locator: locator,
            message: result["reason"]?.string ?? error)
    }
}
