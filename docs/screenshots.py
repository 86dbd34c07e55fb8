"""Retake the README's screenshots of the running site (`make run` first):

    .venv/bin/python docs/screenshots.py [http://127.0.0.1:8000]

Desktop (1280 px) and phone (390 px) widths of the release list and of the
seed release, in Debian's Chromium driven by Playwright.
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

PAGES = {"list": "/releases/", "detail": "/releases/wco-policy-commission-88th-session/"}
WIDTHS = {"desktop": 1280, "phone": 390}
FOLDER = Path(__file__).with_name("screenshots")


def main(base_url):
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-background-networking"]
        )
        for device, width in WIDTHS.items():
            page = browser.new_page(viewport={"width": width, "height": 900})
            for name, path in PAGES.items():
                page.goto(base_url + path)
                page.screenshot(path=FOLDER / f"{name}-{device}.png", full_page=True)
            page.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000")
