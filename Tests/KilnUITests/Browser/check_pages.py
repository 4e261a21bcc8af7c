#!/usr/bin/python3
"""Drives headless Chromium (through chromedriver and Selenium) over every page of a running
`kiln-ui` and checks what a user would see: each page loads with no console error and no request
outside the server, its tables and charts are visible, filtering and paging work, a hostile name
does not run, and a screenshot of it is not blank.

A running run's page is also checked to extend its curve, without reloading, with a point
written to the store after the page loaded.

Usage: check_pages.py BASE_URL RUN_ID OTHER_RUN_ID SWEEP_RUN_ID SCREENSHOT_FOLDER RUNNING_RUN_ID STORE_FILE
Prints one line per check and exits 1 when any fails.
"""
import json
import os
import sqlite3
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

base, run_id, other_id, sweep_id, shots, running_id, store_file = sys.argv[1:8]
os.makedirs(shots, exist_ok=True)

options = Options()
for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1000",
                 "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"]:
    options.add_argument(argument)
options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
service = Service(executable_path="/usr/bin/chromedriver")
driver = webdriver.Chrome(service=service, options=options)
failures = []


def check(condition, message):
    print(("ok   " if condition else "FAIL ") + message)
    if not condition:
        failures.append(message)


def requests_made():
    """The URLs the page asked for since the last call (from the DevTools network log)."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def visit(path, name, expect_css):
    driver.get(base + path)
    for _ in range(50):
        if driver.execute_script("return document.readyState") == "complete":
            break
        time.sleep(0.1)
    errors = [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
    check(not errors, f"{name}: no console error {errors[:3]}")
    outside = [url for url in requests_made() if not (url.startswith(base) or url.startswith("data:") or url.startswith("about:"))]
    check(not outside, f"{name}: no request outside the server {outside[:3]}")
    check(driver.title != "pwned" and "pwned" not in driver.title, f"{name}: no hostile script ran (title {driver.title!r})")
    for selector in expect_css:
        elements = driver.find_elements(By.CSS_SELECTOR, selector)
        check(bool(elements) and elements[0].is_displayed(), f"{name}: {selector} is visible")
    png = os.path.join(shots, name + ".png")
    driver.save_screenshot(png)
    # A blank 1280×1000 page compresses to a few kilobytes; a page with tables and charts is larger.
    check(os.path.getsize(png) > 15000, f"{name}: screenshot is not blank ({os.path.getsize(png)} bytes)")


try:
    pages = [
        ("/runs", "runs", ["table#runs", "form.filter"]),
        (f"/runs/{run_id}", "run", ["table#metrics", "figure svg polyline"]),
        (f"/compare?runs={run_id},{other_id}", "compare", ["table", "figure svg"]),
        ("/sweeps", "sweeps", ["table#sweeps"]),
        (f"/sweeps/{sweep_id}", "sweep", ["figure svg polyline", "table#trials"]),
        ("/models", "models", ["table#models"]),
        ("/models/income", "model", ["table#versions", "#stage-timeline", "iframe.card"]),
        ("/audit", "audit", ["table#events", "#verify"]),
        ("/monitoring", "monitoring", ["main table"]),
    ]
    for path, name, css in pages:
        visit(path, name, css)

    # Filtering: the form's --where narrows the table to the matching runs.
    driver.get(base + "/runs")
    field = driver.find_element(By.NAME, "where")
    field.clear()
    field.send_keys("metrics.test.accuracy > 0.805")
    driver.find_element(By.CSS_SELECTOR, "form.filter button").click()
    time.sleep(0.5)
    rows = driver.find_elements(By.CSS_SELECTOR, "table#runs tbody tr")
    check(len(rows) == 2, f"filtering: 2 runs match (saw {len(rows)})")

    # Paging: one run a page, the next link leads to the second run.
    driver.get(base + "/runs?size=1&sort=-metrics.test.accuracy")
    first = driver.find_element(By.CSS_SELECTOR, "table#runs tbody tr td a").text
    driver.find_element(By.LINK_TEXT, "next →").click()
    time.sleep(0.5)
    second = driver.find_element(By.CSS_SELECTOR, "table#runs tbody tr td a").text
    check(first != second and len(driver.find_elements(By.CSS_SELECTOR, "table#runs tbody tr")) == 1,
          f"paging: page 2 shows another run ({first} then {second})")

    # Hover values: moving over a curve shows the nearest point's value.
    driver.get(base + f"/runs/{run_id}")
    svg = driver.find_element(By.CSS_SELECTOR, "figure[data-points] svg")
    webdriver.ActionChains(driver).move_to_element(svg).perform()
    time.sleep(0.3)
    tips = [tip.text for tip in driver.find_elements(By.CSS_SELECTOR, ".tooltip") if tip.is_displayed()]
    check(any(text.startswith("step ") for text in tips), f"hover: a value is shown {tips[:1]}")

    # Live curves: a point logged after the page loaded appears in the table and the chart
    # without a reload (the page asks for the steps after its last one every few seconds).
    driver.get(base + f"/runs/{running_id}")
    figure = driver.find_element(By.CSS_SELECTOR, 'figure[data-key="train.loss"]')
    last_step = int(figure.get_attribute("data-last-step"))
    driver.execute_script("document.body.setAttribute('data-loaded-once', 'yes')")
    store = sqlite3.connect(store_file, timeout=30)
    with store:
        now = int(time.time() * 1000)
        store.execute("INSERT INTO metric(run_id, key, step, timestamp, value) VALUES (?, 'train.loss', ?, ?, 0.5)",
                      (running_id, last_step + 1, now))
        store.execute("UPDATE latest_metric SET step = ?, value = 0.5, timestamp = ?, count = count + 1 WHERE run_id = ? AND key = 'train.loss'",
                      (last_step + 1, now, running_id))
    store.close()

    def extended(browser):
        figure = browser.find_element(By.CSS_SELECTOR, 'figure[data-key="train.loss"]')
        return figure.get_attribute("data-last-step") == str(last_step + 1)

    try:
        WebDriverWait(driver, 30, poll_frequency=0.2).until(extended)
        appeared = True
    except Exception:
        appeared = False
    check(appeared, f"live: the point at step {last_step + 1} reached the chart")
    step_cell = driver.find_element(By.CSS_SELECTOR, 'table#metrics tr[data-key="train.loss"] .step').text
    check(step_cell == str(last_step + 1), f"live: the metrics table shows step {last_step + 1} (saw {step_cell})")
    caption = driver.find_element(By.CSS_SELECTOR, 'figure[data-key="train.loss"] figcaption .count').text
    check(caption == str(last_step + 1), f"live: the caption counts {last_step + 1} points (saw {caption})")
    points = driver.execute_script("return document.querySelector('figure[data-key=\"train.loss\"] polyline').getAttribute('points').trim().split(' ').length")
    check(points >= 2, f"live: the curve is drawn ({points} points)")
    check(driver.execute_script("return document.body.getAttribute('data-loaded-once')") == "yes", "live: the page was not reloaded")
    errors = [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
    check(not errors, f"interactions: no console error {errors[:3]}")
finally:
    driver.quit()

print(f"browser checks: {len(failures)} failed")
sys.exit(1 if failures else 0)
