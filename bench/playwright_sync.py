#!/usr/bin/env python3
"""The mini daily sync in Playwright (sync API), written the way Playwright's documentation shows it.

Debian's Chromium through executable_path (Playwright's own browser download is not possible here),
page.fill, auto-waiting clicks, wait_for_selector for the 500th row, the table read in one
eval_on_selector_all call, expect_download + save_as for the CSV (Playwright learns from DevTools
events when it has finished), set_input_files for the upload. Prints one JSON line; exits 1 when
anything is off.
"""
import argparse
import json
import os
import sys
import time

from playwright.sync_api import sync_playwright

from common import CHROMIUM, CHROMIUM_ARGS, TABLE_FUNCTION, check_records


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--site", required=True)
    parser.add_argument("--work", required=True, help="a fresh folder for the download")
    args = parser.parse_args()
    user, password = os.environ["CLINIC_USER"], os.environ["CLINIC_PASSWORD"]
    downloads = os.path.abspath(os.path.join(args.work, "downloads"))
    os.makedirs(downloads, exist_ok=True)

    started = time.time()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.goto(args.site + "/bench/start")
            page.fill("#username", user)
            page.fill("input[name=pwd]", password)
            page.click("#login-form button[type=submit]")

            page.wait_for_selector("#records tbody tr:nth-child(500)")
            table = page.evaluate(TABLE_FUNCTION, "table#records")
            records = check_records(table)

            with page.expect_download() as info:
                page.click("a#export")
            landed = os.path.join(downloads, info.value.suggested_filename)
            info.value.save_as(landed)

            page.goto(args.site + "/bench/upload")
            page.set_input_files("input#file", landed)
            page.click("button#upload-submit")
            confirmation = page.inner_text("p#confirmation")
        finally:
            browser.close()
    finished = time.time()
    ok = "bench-records.csv: 500 rows" in confirmation
    print(json.dumps({"ok": ok, "records": len(records), "confirmation": confirmation,
                      "script_ms": round((finished - started) * 1000, 1)}))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
