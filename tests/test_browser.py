"""The pages in a real browser: headless Chromium (Debian's chromium and chromium-driver) via selenium.

Skipped, with the packages to install, when no browser is installed; `.ci/run`
installs it, so CI runs them.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from quotes.reports.page import paragraphs
from quotes.reports.site import SiteWriter

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
INSTALL = "apt-get install -y chromium chromium-driver (Debian packages chromium and chromium-driver)"

FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1280,900")
"""Without the background-networking flags Chromium calls home, which a closed network refuses."""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if CHROMIUM is None or CHROMEDRIVER is None:
        pytest.skip(f"no headless Chromium found: {INSTALL}")
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is in the test extra")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    profile = tempfile.mkdtemp(prefix="quotes-chromium-")
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # An explicit driver path: selenium never tries to download one.
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def site(extractor: Any, tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("site")
    writer = SiteWriter(directory, title="Seeds")
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        writer.add(path.name, text, extractor.extract(text, doc_id=path.name))
    writer.close()
    return directory


def _open(driver: Any, path: Path) -> None:
    driver.get(path.as_uri())
    driver.get_log("browser")  # a fresh log for this page


def _page(path: Path) -> Path:
    return path.with_suffix(".html")


def _network_and_errors(driver: Any) -> tuple[list[str], list[str]]:
    resources = driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    errors = [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
    return resources, errors


@pytest.mark.parametrize("seed", sorted(p.name for p in SEEDS.glob("*.txt")))
def test_visible_article_text_is_the_input_paragraph_by_paragraph(browser: Any, site: Path, seed: str) -> None:
    text = (SEEDS / seed).read_text(encoding="utf-8")
    _open(browser, site / _page(Path(seed)))
    shown = browser.execute_script(
        "return Array.from(document.querySelectorAll('#article p'), p => p.innerText)")
    want = [text[s:e] for s, e in paragraphs(text)]
    assert shown == want
    # Nothing else in the article: no label, chip or number among its words.
    assert browser.execute_script("return document.getElementById('article').innerText") == "\n\n".join(want)
    # Selecting a paragraph and copying it copies the article's words.
    copied = browser.execute_script(
        "const p = document.querySelectorAll('#article p')[arguments[0]];"
        "getSelection().selectAllChildren(p); return getSelection().toString();", len(want) - 1)
    assert copied == want[-1]
    numbers = browser.execute_script(
        "return Array.from(document.querySelectorAll('#article .qs'), el => {"
        " const s = getComputedStyle(el, '::before'); return [s.content, s.position]; })")
    assert numbers and all(position == "absolute" for _, position in numbers)
    assert _network_and_errors(browser) == ([], [])


def test_seed_003_page_is_small(site: Path) -> None:
    assert (site / "003_f09e68be1bba5dd1.html").stat().st_size < 150_000


def test_index_has_a_chart_and_links_to_every_page(browser: Any, site: Path) -> None:
    _open(browser, site / "index.html")
    assert browser.execute_script("return document.querySelectorAll('figure svg').length") >= 1
    hrefs = browser.execute_script(
        "return Array.from(document.querySelectorAll('#documents a'), a => a.getAttribute('href'))")
    assert sorted(hrefs) == sorted(p.with_suffix(".html").name for p in SEEDS.glob("*.txt"))
    assert _network_and_errors(browser) == ([], [])
    speaker_link = browser.find_element("css selector", "#speakers a")
    target = speaker_link.get_attribute("href")
    speaker_link.click()
    assert browser.current_url == target
    assert browser.execute_script("return document.querySelector('#article .active') !== null")


def _visible_items(driver: Any) -> list[str]:
    return [li.get_attribute("id") for li in driver.find_elements("css selector", "#quotes li") if li.is_displayed()]


def _background(driver: Any, element_id: str) -> str:
    return driver.execute_script(
        "return getComputedStyle(document.getElementById(arguments[0])).backgroundColor", element_id)


def test_filters_hide_what_they_should(browser: Any, site: Path) -> None:
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    _open(browser, site / "003_f09e68be1bba5dd1.html")
    data = browser.execute_script("return JSON.parse(document.getElementById('quote-data').textContent)")
    everything = _visible_items(browser)
    assert len(everything) == len(data)
    direct = [n for n, q in enumerate(data) if q["kind"] == "direct"]
    assert _background(browser, f"q{direct[0]}") != "rgba(0, 0, 0, 0)"

    browser.find_element("css selector", "#filters input[value=direct]").click()
    assert _visible_items(browser) == [f"item{n}" for n, q in enumerate(data) if q["kind"] != "direct"]
    assert _background(browser, f"q{direct[0]}") == "rgba(0, 0, 0, 0)"
    browser.find_element("css selector", "#filters input[value=direct]").click()

    speaker = next(q["key"] for q in data if q["key"])
    Select(browser.find_element("id", "speaker-filter")).select_by_value(speaker)
    assert _visible_items(browser) == [f"item{n}" for n, q in enumerate(data) if q["key"] == speaker]
    Select(browser.find_element("id", "speaker-filter")).select_by_value("")

    slider = browser.find_element("id", "confidence-filter")
    slider.click()
    slider.send_keys(Keys.HOME, *[Keys.ARROW_RIGHT] * 16)  # 16 steps of 0.05
    assert browser.find_element("id", "confidence-value").text == "0.80"
    kept = [f"item{n}" for n, q in enumerate(data) if q["confidence"] >= 0.8]
    assert 0 < len(kept) < len(data)
    assert _visible_items(browser) == kept
    assert browser.find_element("id", "shown").text == f"{len(kept)} of {len(data)} quotes shown"


def test_list_entry_scrolls_to_and_highlights_its_quote(browser: Any, site: Path) -> None:
    _open(browser, site / "003_f09e68be1bba5dd1.html")
    data = browser.execute_script("return JSON.parse(document.getElementById('quote-data').textContent)")
    n = max(i for i, q in enumerate(data) if q["speaker"] and q["cue"])
    assert browser.execute_script(
        "const r = document.getElementById(arguments[0]).getBoundingClientRect();"
        "return r.top > innerHeight", f"q{n}"), "the quote starts below the first screen"
    browser.find_element("css selector", f"#item{n} a").click()
    top, height = browser.execute_script(
        "return [document.getElementById(arguments[0]).getBoundingClientRect().top, innerHeight]", f"q{n}")
    assert 0 <= top < height
    assert "active" in browser.find_element("id", f"q{n}").get_attribute("class")
    assert browser.execute_script(
        "return Array.from(document.querySelectorAll('.active-s'), el => el.dataset.s.split(' ').map(Number))"
        ".every(ns => ns.includes(arguments[0])) && document.querySelectorAll('.active-s').length > 0", n)
    assert browser.execute_script("return document.querySelectorAll('.active-c').length") > 0
    details = browser.find_element("id", "details").text
    assert data[n]["speaker"] in details and data[n]["rule"] in details
    assert browser.current_url.endswith(f"#q{n}")
    browser.save_screenshot(str(site / "selected.png"))


def test_pointing_at_a_quote_shows_its_speaker(browser: Any, site: Path) -> None:
    from selenium.webdriver.common.action_chains import ActionChains

    _open(browser, site / "000_8ba73e34995578e0.html")
    data = browser.execute_script("return JSON.parse(document.getElementById('quote-data').textContent)")
    n = next(i for i, q in enumerate(data) if q["speaker"])
    quote = browser.find_element("id", f"q{n}")
    ActionChains(browser).move_to_element(quote).perform()
    details = browser.find_element("id", "details").text
    assert data[n]["speaker"] in details and f"{data[n]['confidence']:.2f}" in details
