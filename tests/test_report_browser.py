"""The report in a real browser: headless Chromium loads it from disk, offline.

Checks: no console errors, every chart draws its traces with the partial plotly.js
bundle the report inlines, the heatmap renders as plotly SVG with the expected cell
labels, the tables show the expected numbers, clicking a heatmap cell lists its
quotes as text, and the XSS payloads in the messages never run. A full-page
screenshot is saved to ``tests/artifacts/report.png``.

Needs the Debian packages ``chromium`` and ``chromium-driver``; skipped otherwise.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from report_sample import build_annotated
from supportinsight.reporting import report
from supportinsight.reporting.i18n import fmt_int, fmt_percent

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
XSS = ["<script>alert(1)</script> Paket weg", "<img src=x onerror=alert(1)> kaputt",
       '"><svg onload=alert(1)> Rechnung falsch']

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not (CHROMIUM.exists() and CHROMEDRIVER.exists()),
                       reason="needs Chromium: apt-get install chromium chromium-driver"),
]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("browser")
    frame = build_annotated(extra_messages=XSS)
    result = report(frame, out / "report.html", lang="de", generated="2026-03-16 09:00 UTC")
    return result


@pytest.fixture(scope="module")
def driver(tmp_path_factory):
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--window-size=1280,900"):
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    drv = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    drv.set_page_load_timeout(60)
    yield drv
    drv.quit()


@pytest.fixture(scope="module")
def page(built, driver):
    driver.get(built.path.resolve().as_uri())
    # Charts draw synchronously after load; wait until the last one has its SVG.
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if driver.execute_script("return document.querySelectorAll('.si-chart .main-svg').length >= 5"):
            break
        time.sleep(0.2)
    return driver


def test_report_browser_no_console_errors(page):
    logs = page.get_log("browser")
    severe = [entry for entry in logs if entry["level"] == "SEVERE"]
    assert severe == []
    # The log really is collected: a deliberate console error shows up as SEVERE.
    page.execute_script("console.error('si-probe')")
    assert any("si-probe" in e["message"] and e["level"] == "SEVERE" for e in page.get_log("browser"))


def test_report_browser_every_chart_draws_its_traces(page):
    drawn = page.execute_script("""
        var out = {};
        document.querySelectorAll('.si-chart').forEach(function (el) {
            out[el.id] = {heatmap: el.querySelectorAll('.heatmaplayer image').length,
                          bars: el.querySelectorAll('.bars .point').length,
                          sankey: el.querySelectorAll('.sankey-node').length,
                          lines: el.querySelectorAll('.scatterlayer .trace').length};
        });
        return out;""")
    assert drawn["si-heatmap"]["heatmap"] >= 1 and drawn["si-intents"]["heatmap"] >= 1
    assert drawn["si-time"]["lines"] >= 1 and drawn["si-time"]["bars"] >= 1
    assert drawn["si-channels"]["bars"] >= 1 and drawn["si-switches"]["sankey"] >= 2


def test_report_browser_heatmap_renders_expected_cells(page, built):
    assert page.execute_script("return document.querySelectorAll('#si-heatmap .main-svg').length") >= 1
    labels = page.execute_script(
        "return Array.from(document.querySelectorAll('#si-heatmap text')).map(t => t.textContent)")
    top = built.context.pain[0]
    # The cell label is "<share><br>n=<messages>": plotly draws the two lines as tspans of one text.
    assert f"{top['negative_share']}n={top['messages']}" in labels
    assert top["touchpoint"] in labels and top["phase"] in labels


def test_report_browser_pain_table_numbers(page, built):
    rows = page.execute_script("""
        return Array.from(document.querySelectorAll('#si-pain-table tbody tr')).map(
            tr => Array.from(tr.children).map(td => td.innerText.trim()));""")
    # Cells with few messages sit in a collapsed second table.
    assert len(rows) == len([r for r in built.context.pain if not r["low_volume"]])
    first, expected = rows[0], built.context.pain[0]
    assert first[0] == "1"
    assert first[2].startswith(expected["messages"])
    assert first[3].startswith(expected["negative_share"])
    assert first[4] == expected["change"]
    # Independent check of the numbers: recount the top cell from the frame.
    frame = build_annotated(extra_messages=XSS)
    cust = frame[(frame["author_role"] == "customer") & (frame["journey_phase"] == expected["phase_id"])
                 & (frame["touchpoint"] == expected["touchpoint_id"])]
    assert expected["messages"] == fmt_int(len(cust), "de")
    assert expected["negative_share"] == fmt_percent((cust["sentiment"] == "negative").mean(), "de")


def test_report_browser_click_shows_quotes_as_text(page, built):
    key = f"{built.context.pain[0]['phase_id']}|{built.context.pain[0]['touchpoint_id']}"
    page.execute_script(
        "var el = document.getElementById('si-heatmap'); el.emit('plotly_click', {points: [{customdata: arguments[0]}]});",
        key)
    panel = page.execute_script("return document.getElementById('si-heatmap-panel').innerText")
    assert "<script>alert(1)</script> Paket weg" in panel
    # The payloads stayed text: no element was created from them and no alert opened.
    injected = "return document.querySelectorAll('img[src=x], svg[onload], #si-heatmap-panel *:not(h4):not(span)').length"
    assert page.execute_script(injected) == 0
    from selenium.common.exceptions import NoAlertPresentException

    with pytest.raises(NoAlertPresentException):
        page.switch_to.alert.text  # noqa: B018 - raises when no alert is open


def test_report_browser_hover_shows_count_share_and_quote(page, built):
    heat = built.context.heatmap
    top = built.context.pain[0]
    row = heat["touchpoints"].index(top["touchpoint_id"])
    col = heat["phases"].index(top["phase_id"])
    page.execute_script("Plotly.Fx.hover('si-heatmap', {xval: arguments[0], yval: arguments[1]})", col, row)
    hover = page.execute_script(
        "return Array.from(document.querySelectorAll('#si-heatmap .hovertext')).map(n => n.textContent).join(' ')")
    assert f"Nachrichten: {top['messages']}" in hover
    assert f"Negativ: {top['negative_share']}" in hover
    assert "<script>alert(1)</script> Paket weg" in hover  # the most negative quote, shown as text
    page.execute_script("Plotly.Fx.unhover('si-heatmap')")


def test_report_browser_screenshot(page):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    height = page.execute_script("return document.documentElement.scrollHeight")
    page.set_window_size(1280, min(int(height), 12000))
    time.sleep(0.5)
    target = ARTIFACTS / "report.png"
    assert page.save_screenshot(str(target))
    assert target.stat().st_size > 50_000
