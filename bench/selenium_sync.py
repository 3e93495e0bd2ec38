#!/usr/bin/env python3
"""The mini daily sync in Selenium, written the way Selenium's documentation shows it.

Explicit waits through WebDriverWait (its default 0.5 s polling), typing with send_keys, the table read
in one execute_script call (the fast way; reading it cell by cell would cost ~3,000 round trips),
the CSV download waited for by watching the download folder, the upload through send_keys on the
file input. Prints one JSON line with what it saw; exits 1 when anything is off.
"""
import argparse
import json
import os
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

from common import CHROMIUM, CHROMIUM_ARGS, SELENIUM_ONLY_ARGS, TABLE_FUNCTION, check_records, download_landed


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--site", required=True)
    parser.add_argument("--work", required=True, help="a fresh folder for the download")
    args = parser.parse_args()
    user, password = os.environ["CLINIC_USER"], os.environ["CLINIC_PASSWORD"]
    downloads = os.path.abspath(os.path.join(args.work, "downloads"))
    os.makedirs(downloads, exist_ok=True)

    started = time.time()
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in CHROMIUM_ARGS + SELENIUM_ONLY_ARGS:
        options.add_argument(argument)
    options.add_experimental_option("prefs", {
        "download.default_directory": downloads,
        "download.prompt_for_download": False,
        "safebrowsing.enabled": False,
    })
    driver = webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"), options=options)
    try:
        wait = WebDriverWait(driver, 10)
        driver.get(args.site + "/bench/start")
        wait.until(EC.visibility_of_element_located((By.ID, "username"))).send_keys(user)
        driver.find_element(By.NAME, "pwd").send_keys(password)
        driver.find_element(By.CSS_SELECTOR, "#login-form button[type=submit]").click()

        wait.until(EC.visibility_of_element_located((By.CSS_SELECTOR, "#records tbody tr:nth-child(500)")))
        table = driver.execute_script("return (" + TABLE_FUNCTION + ")(arguments[0])", "table#records")
        records = check_records(table)

        wait.until(EC.element_to_be_clickable((By.ID, "export"))).click()
        landed = WebDriverWait(driver, 30).until(lambda _: download_landed(downloads))

        driver.get(args.site + "/bench/upload")
        wait.until(EC.presence_of_element_located((By.ID, "file"))).send_keys(landed)
        driver.find_element(By.ID, "upload-submit").click()
        confirmation = wait.until(EC.visibility_of_element_located((By.ID, "confirmation"))).text
    finally:
        driver.quit()
    finished = time.time()
    ok = "bench-records.csv: 500 rows" in confirmation
    print(json.dumps({"ok": ok, "records": len(records), "confirmation": confirmation,
                      "script_ms": round((finished - started) * 1000, 1)}))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
