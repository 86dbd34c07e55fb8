"""The public pages pass axe-core's WCAG 2.1 A and AA rules with no serious
or critical violation, and do not scroll sideways, at desktop and at phone
width (issue 3, "Look and feel"). Lesser violations are reported as warnings."""

import io
import warnings

import pytest
from django.core.management import call_command
from django.urls import reverse

from demo import content
from demo.management.commands.load_demo import SEED_SLUG

pytestmark = pytest.mark.browser

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING_IMPACTS = {"serious", "critical"}
WIDTHS = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 360, "height": 740}}


def public_pages():
    return [
        reverse("releases:home"),
        reverse("releases:release-list"),
        # The notice of a missing language version, the date chip and the form of year, month and department.
        reverse("releases:release-list") + f"?untranslated=1&year=2023&month=6&department={content.PRESS_DEPARTMENT}",
        reverse("releases:release-detail", kwargs={"slug": SEED_SLUG}),
        reverse("releases:tag-list"),
        reverse("releases:event-list"),
        reverse("releases:event-detail", kwargs={"slug": content.POLICY_COMMISSION}),
        reverse("releases:department-detail", kwargs={"slug": content.PRESS_DEPARTMENT}),
        reverse("alerts:subscribe"),
    ]


def describe(path, violation):
    targets = "; ".join(" ".join(node["target"]) for node in violation["nodes"][:3])
    more = len(violation["nodes"]) - 3
    return (
        f"{path}: [{violation['impact']}] {violation['id']}: {violation['help']} "
        f"({targets}{f'; and {more} more' if more > 0 else ''})"
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_public_pages_have_no_serious_accessibility_violations(new_page, width):
    from axe_playwright_python.sync_playwright import Axe

    call_command("load_demo", stdout=io.StringIO())
    axe = Axe()
    page = new_page(viewport=WIDTHS[width])
    blocking, others = [], []
    for path in public_pages():
        response = page.goto(path)
        assert response.ok, f"{path} answered {response.status}"
        # axe leaves out reflow (WCAG 1.4.10): no page may scroll sideways.
        if page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth"):
            blocking.append(f"{path}: the page scrolls sideways (WCAG 1.4.10 Reflow)")
        results = axe.run(
            page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]}
        )
        for violation in results.response["violations"]:
            (blocking if violation["impact"] in BLOCKING_IMPACTS else others).append(describe(path, violation))
    for line in others:
        warnings.warn(f"{width}: {line}", stacklevel=1)
    assert not blocking, "\n".join([f"Serious or critical at {width} width:", *blocking, "Others:", *others])
