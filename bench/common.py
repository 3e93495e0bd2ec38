"""What the Selenium and Playwright contenders share, so they do exactly the same work as Ferry."""
import os

CHROMIUM = "/usr/bin/chromium"

# The switches Ferry's BrowserOptions passes (Sources/WebDriver/BrowserOptions.swift); Playwright adds
# its own on top, and chooses headless itself.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--no-first-run",
    "--disable-search-engine-choice-screen", "--password-store=basic", "--window-size=1280,900",
]
SELENIUM_ONLY_ARGS = ["--headless=new"]

# Reads a table in the page in one call: the header cells and every body row's cell texts.
TABLE_FUNCTION = """(selector) => {
  const table = document.querySelector(selector);
  const header = Array.from(table.tHead.rows[0].cells, c => c.textContent.trim());
  const rows = Array.from(table.tBodies[0].rows, r => Array.from(r.cells, c => c.textContent.trim()));
  return {header: header, rows: rows};
}"""

FIELDS = ["record_id", "patient", "date", "amount", "status"]


def check_records(table):
    """The table as records named like Ferry's (snake_case headers); raises unless there are 500."""
    names = [h.lower().replace(" ", "_") for h in table["header"]]
    records = [dict(zip(names, row)) for row in table["rows"]]
    if len(records) != 500 or names != FIELDS or records[-1]["record_id"] != "R-100500":
        raise SystemExit("the table gave %d records with fields %s" % (len(records), names))
    return records


def download_landed(folder):
    """The path of the finished download, once there is one file, no partial file, and its size has
    not changed since the last look; False until then (for WebDriverWait.until)."""
    names = os.listdir(folder)
    if not names or any(n.endswith(".crdownload") or n.endswith(".tmp") for n in names):
        download_landed.last = None
        return False
    path = os.path.join(folder, sorted(names)[0])
    size = os.path.getsize(path)
    seen, download_landed.last = download_landed.last, (path, size)
    return path if seen == (path, size) and size > 0 else False


download_landed.last = None
