"""Retake the README's screenshot of a distribution page, after
`bench/distribution.py` has run on the same database (5,000 recipients,
50,000 views):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/pr_distribution_bench \\
        .venv/bin/python docs/distribution_screenshot.py

Starts the site on 127.0.0.1:17203 (production settings, DEBUG off), signs
in as the benchmark's editor through the login form and photographs the
first page of the benchmark release's recipients, 1280 px wide, in
Debian's Chromium driven by Playwright.
"""

import os
import secrets
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

PORT = 17203
BASE_DIR = Path(__file__).resolve().parent.parent
TARGET = Path(__file__).with_name("screenshots") / "distribution.png"


def main():
    sys.path.insert(0, str(BASE_DIR))
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "pressroom.settings.main",
            "DEBUG": "0",
            "SECRET_KEY": os.environ.get("SECRET_KEY", "screenshot-only-secret-key-" + "x" * 40),
            "SECURE_SSL_REDIRECT": "0",
            "ALLOWED_HOSTS": "127.0.0.1",
            "LOG_LEVEL": "ERROR",
        }
    )
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.urls import reverse

    from distribution.models import Distribution

    password = secrets.token_urlsafe(16)
    editor = get_user_model().objects.get(username="bench-editor")
    editor.set_password(password)
    editor.save()
    release_id = Distribution.objects.filter(release__title="Bench: customs talks").values_list(
        "release_id", flat=True
    )[0]
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{PORT}", "--noreload"],
        cwd=BASE_DIR,
        env=os.environ,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{PORT}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.3)
        from playwright.sync_api import sync_playwright

        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1280, "height": 1100}, locale="en-GB")
            page.goto(f"{base}/admin/login/?next=/admin/")
            page.get_by_label("Username").fill("bench-editor")
            page.get_by_label("Password").fill(password)
            page.get_by_role("button", name="Log in").click()
            page.wait_for_url("**/admin/")
            page.goto(base + reverse("admin:distribution_release", args=[release_id]) + "?page=3")
            page.screenshot(path=TARGET)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"written: {TARGET}")


if __name__ == "__main__":
    main()
