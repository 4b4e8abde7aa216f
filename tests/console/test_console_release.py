"""A release decision and a supervisor exception, from the console in Chromium: the lot's
release page shows its audit trail and, once lab and packaging are done, takes the signed
approval (password asked again); an order that tried to consume a blocked component lot
shows the exception, and acknowledging it with a reason closes it in the saga."""

import re

from playwright.async_api import Browser, expect

from stack.demo import walk_order
from stack.embedded import Stack
from stack.releasing import ReleaseScenario
from stack.scenario import OPERATOR, SITE, PlantScenario
from tests.console.test_console_browser import enter_password
from tests.e2e.conftest import urls
from tests.sagas.flows import released

RELEASE = "finished-goods-release-P100-FG-1000-B3700001"


async def test_sign_a_release_and_acknowledge_an_exception(
    console_stack: Stack, browser: Browser
) -> None:
    stack = console_stack
    plant = PlantScenario(stack.http, urls(stack), people=stack.idp)
    await plant.seed()
    await walk_order(plant, "3700001", "B3700001", lambda _: None)
    releasing = ReleaseScenario(stack.http, plant.urls, people=stack.idp)
    await releasing.wait_for_status("FG-1000", "B3700001", "awaiting_checkpoints")
    await releasing.lab_tests("FG-1000", "B3700001")
    await releasing.verify_packaging("FG-1000", "B3700001")
    await releasing.wait_for_status("FG-1000", "B3700001", "awaiting_approval")
    await released(plant, "3700002", "B3700102")
    await plant.line.start_job(SITE, "3700002", OPERATOR)
    await plant.line.consume_material(
        SITE, "3700002", "RM-200", "B2000002", 1000, "g", "SEG-MIX", OPERATOR
    )
    await plant.wait_for_saga("3700002", lambda s: bool(s["exceptions"]), "exception")

    console = f"{stack.url('gateway')}/console"
    page = await browser.new_page()
    await page.goto(f"{console}/lists/releases?plant=P100")
    await enter_password(page, stack)
    await expect(page.get_by_test_id("summary")).to_have_text("0 sagas")  # awaits approval only
    await page.goto(f"{console}/sagas/{RELEASE}")
    await expect(page.get_by_test_id("status")).to_have_text("awaiting_approval")
    await expect(page.get_by_test_id("timeline")).to_contain_text("packaging")
    await page.get_by_role("link", name="Sign the release decision").click()
    await enter_password(page, stack)
    form = page.get_by_test_id("sign-form")
    await form.get_by_label("Decision").select_option("approve")
    await form.get_by_label("Reason").fill("batch record and lab results reviewed")
    await form.get_by_role("button", name="Sign").click()
    await expect(page.get_by_role("status")).to_have_text("Release approve signed by Dana Lee.")
    await expect(page.get_by_test_id("timeline")).to_contain_text(
        "signed by Dana Lee (quality_manager)"
    )
    state = await releasing.wait_for_status("FG-1000", "B3700001", "released")
    assert state["signature"]["printed_name"] == "Dana Lee"
    await page.reload()
    await expect(page.get_by_test_id("signatures")).to_contain_text("released for shipment")

    # The supervisor exception of the blocked component lot, acknowledged with a reason.
    await page.goto(f"{console}/lists/parked?plant=P100")
    await page.get_by_role("link", name="production-order-P100-3700002").click()
    exception = page.get_by_test_id("parked").get_by_role("row", name=re.compile("LotBlocked"))
    await exception.get_by_placeholder("reason").fill("lot B2000002 quarantined; line informed")
    await exception.get_by_role("button", name="Acknowledge").click()
    await expect(page.get_by_role("status")).to_contain_text("acknowledge by qa.lee: ")
    await expect(page.get_by_test_id("parked")).to_have_count(0)
    order = await plant.saga("3700002")
    assert order["exceptions"][0]["acknowledged_by"] == "qa.lee"
    assert order["exceptions"][0]["acknowledgement"] == "lot B2000002 quarantined; line informed"
