"""The operations console in headless Chromium, as a quality manager uses it: sign in at the
OpenID provider, filter the overview to a plant, open a held lot, sign its disposition (the
provider asks for the password again), and retry in bulk the steps parked during an ERP
outage. Each assertion is what the person sees; the systems' ledgers confirm the effect."""

import re
from pathlib import Path

from playwright.async_api import Browser, Page, expect

from stack.embedded import Stack
from stack.receiving import ReceivingScenario
from stack.scenario import PlantScenario
from stack.waiting import poll_until
from tests.e2e.conftest import urls
from tests.e2e.test_operator_bulk import receipt_parked_on_erp
from tests.sagas.flows import on_hold, parked_on_confirmation

USER = "qa.lee"


async def enter_password(page: Page, stack: Stack, user: str = USER) -> None:
    """The provider's own sign-in form."""
    await expect(page.get_by_role("heading", name="plantflow sign-in")).to_be_visible()
    await page.get_by_label("User").fill(user)
    await page.get_by_label("Password").fill(stack.idp.password(user))
    await page.get_by_role("button", name="Sign in").click()


async def test_sign_in_filter_sign_and_bulk_retry(
    console_stack: Stack, browser: Browser, screenshots: Path
) -> None:
    stack = console_stack
    plant = PlantScenario(stack.http, urls(stack), people=stack.idp)
    await plant.seed()
    _, held = await on_hold(plant, "3500001", "B3500001")
    await parked_on_confirmation(stack, plant, "3500002")
    receiving = ReceivingScenario(stack.http, plant.urls, people=stack.idp)
    await receipt_parked_on_erp(stack, receiving, "B5500001")

    console = f"{stack.url('gateway')}/console"
    page = await browser.new_page(viewport={"width": 1280, "height": 900})

    # Sign in: the console sends the browser to the provider and back.
    await page.goto(f"{console}/")
    await enter_password(page, stack)
    await expect(page.get_by_test_id("viewer")).to_have_text("Dana Lee")

    # Filter the overview to plant P100.
    await page.get_by_label("Plant").select_option("P100")
    await expect(page.get_by_role("heading", name="Plant overview: P100")).to_be_visible()
    await expect(page.get_by_test_id("tile-on-hold").locator(".count")).to_have_text("1")
    await expect(page.get_by_test_id("tile-parked").locator(".count")).to_have_text("2")

    async def notices() -> str:  # delivered through the alert ledger: look again until there
        await page.reload()
        return await page.get_by_test_id("notices").inner_text()

    await poll_until(notices, lambda text: "lot B3500001 on hold" in text, "the hold's notice")
    await page.screenshot(path=screenshots / "console-overview.png", full_page=True)

    # Open the held lot from the list behind the count.
    await page.get_by_test_id("tile-on-hold").click()
    await expect(page.get_by_test_id("summary")).to_have_text("1 saga")
    await page.get_by_role("link", name="production-order-P100-3500001").click()
    await expect(page.get_by_test_id("awaiting-disposition")).to_be_visible()
    await expect(page.get_by_test_id("lot")).to_have_text("B3500001")
    await expect(page.get_by_test_id("correlation-id")).to_have_text(held["correlation_id"])
    await expect(page.get_by_test_id("web-ui")).to_have_attribute(
        "href", re.compile(r"/namespaces/default/workflows/production-order-P100-3500001$")
    )
    await expect(page.get_by_test_id("timeline")).to_contain_text("on hold: VISC measured 15500")
    live = page.get_by_test_id("live")  # asked of ERP and MES now, through the adapters
    await expect(live).to_contain_text("lot B3500001: no stock; restricted")
    await expect(live).to_contain_text("job 3500001 held")
    await page.screenshot(path=screenshots / "console-held-lot.png", full_page=True)

    # Sign: the provider asks for the password again, then the form signs as Dana Lee.
    await page.get_by_role("link", name="Sign a disposition").click()
    await enter_password(page, stack)
    form = page.get_by_test_id("sign-form")
    await form.get_by_label("Decision").select_option("use_as_is")
    await form.get_by_label("Reason").fill("viscosity within the customer's agreed range")
    await page.screenshot(path=screenshots / "console-sign.png", full_page=True)
    await form.get_by_role("button", name="Sign").click()
    await expect(page.get_by_role("status")).to_have_text(
        "Disposition use_as_is signed by Dana Lee."
    )
    # The manifestation: printed name, role, time and meaning, with the reason.
    timeline = page.get_by_test_id("timeline")
    await expect(timeline).to_contain_text("Disposition use_as_is for")
    await expect(timeline).to_contain_text("signed by Dana Lee (quality_manager) at 20")
    await expect(timeline).to_contain_text("viscosity within the customer's agreed range")
    await expect(page.get_by_test_id("awaiting-disposition")).to_have_count(0)
    saga = await plant.saga("3500001")
    assert saga["holds"][-1]["decision"]["signature"]["printed_name"] == "Dana Lee"

    # Bulk retry of everything of P100 parked on ERP, now that ERP is back. The filters
    # swap the table in place (htmx) and keep the address in step.
    await page.goto(f"{console}/lists/parked?plant=P100")
    await expect(page.get_by_test_id("summary")).to_have_text("2 sagas")
    await page.get_by_label("System").select_option("qms")
    await expect(page.get_by_test_id("summary")).to_have_text("0 sagas")
    await page.get_by_label("System").select_option("erp")
    await expect(page.get_by_test_id("summary")).to_have_text("2 sagas")
    await expect(page).to_have_url(re.compile(r"system=erp"))
    bulk = page.get_by_test_id("bulk-form")
    await bulk.get_by_label("Reason").fill("ERP back after the outage")
    await page.screenshot(path=screenshots / "console-parked.png", full_page=True)
    await bulk.get_by_role("button", name="Retry all").click()
    await expect(page.get_by_role("status")).to_have_text("retry: 2 of 2 sagas done")
    order = await plant.wait_for_saga("3500002", lambda s: len(s["postings"]) == 4, "posted")
    assert order["operator_actions"][-1]["operator"] == USER
    await receiving.wait_for_status("RM-200", "B5500001", "accepted")
    confirmations = await plant.ledger(
        "erp", action="confirmation", correlation_id=order["correlation_id"]
    )
    assert len(confirmations) == 2  # 0010 and the retried 0020, once each
    await page.reload()
    await expect(page.get_by_test_id("summary")).to_have_text("0 sagas")
    await page.goto(f"{console}/sagas/receipt-inspection-P100-RM-200-B5500001")
    await expect(page.get_by_test_id("status")).to_have_text("accepted")
    await expect(page.get_by_test_id("timeline")).to_contain_text("qa.lee: retry")
