"""Lists with more sagas than a page, in Chromium: Temporal's page token for the default
order, page numbers for any other, and the age filter counting from the hold. The sagas are
started on a task queue no worker polls, with the search attributes running sagas carry
(the benchmark's seeding), so there are many without running many."""

import re

import pytest
from playwright.async_api import Browser, expect

from bench.console import seed
from stack.embedded import Stack
from tests.console.test_console_browser import enter_password


@pytest.fixture(autouse=True)
def small_pages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANTFLOW_CONSOLE_PAGE_SIZE", "5")


async def test_pages_sorts_and_age_filter(console_stack: Stack, browser: Browser) -> None:
    await seed(console_stack.client, 24)  # 12 in P100; on hold: serials 0, 10, 20
    console = f"{console_stack.url('gateway')}/console"
    page = await browser.new_page()
    await page.goto(f"{console}/lists/all?plant=P100")
    await enter_password(page, console_stack)
    rows = page.locator("table.sagas tbody tr")
    await expect(page.get_by_test_id("summary")).to_have_text("12 sagas")
    await expect(rows).to_have_count(5)
    lots = rows.locator("td:nth-child(6)")
    seen = set(await lots.all_inner_texts())
    await page.get_by_role("link", name="Next page").click()  # swapped in place by htmx
    await expect(lots.first).not_to_have_text(re.compile("|".join(seen)))
    await expect(rows).to_have_count(5)
    second = set(await lots.all_inner_texts())
    assert not seen & second
    await page.get_by_role("link", name="Next page").click()
    await expect(rows).to_have_count(2)
    await expect(page.get_by_role("link", name="Next page")).to_have_count(0)

    await page.goto(f"{console}/lists/all?plant=P100&sort=lot&page=2")
    await expect(page.locator("nav.pages")).to_contain_text("page 2 of 3")
    await expect(rows.first.locator("td:nth-child(6)")).to_have_text("B0000010")
    await page.get_by_role("link", name="Next").click()
    await expect(page.locator("nav.pages")).to_contain_text("page 3 of 3")
    await expect(rows).to_have_count(2)

    # On hold for 0, 10 and 20 minutes; "older than 0.1 h" (6 min) leaves two, oldest first.
    await page.goto(f"{console}/lists/on-hold?plant=P100&min_age_hours=0.1&sort=oldest")
    await expect(page.get_by_test_id("summary")).to_have_text("2 sagas")
    await expect(rows.first.locator("td:nth-child(6)")).to_have_text("B0000020")
    await expect(rows.first.locator("td:last-child")).to_have_text("20 min")
