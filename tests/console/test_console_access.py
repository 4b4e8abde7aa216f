"""Who sees what in the console, and what bad input gets: the sign-in returns to the page
asked for, the session cookie is HttpOnly and SameSite, a form post without the page's token
is refused, a plant the person does not belong to is a 403 page, malformed filters and
unknown sagas are 4xx pages, signing out ends the session. Driven in Chromium like a person
would."""

import re

from playwright.async_api import Browser, expect

from stack.embedded import Stack
from stack.scenario import PlantScenario
from tests.console.test_console_browser import enter_password
from tests.e2e.conftest import urls
from tests.sagas.flows import on_hold


async def test_access_rules_and_bad_input(console_stack: Stack, browser: Browser) -> None:
    stack = console_stack
    plant = PlantScenario(stack.http, urls(stack), people=stack.idp)
    await plant.seed()
    await on_hold(plant, "3600001", "B3600001")
    console = f"{stack.url('gateway')}/console"
    context = await browser.new_context()
    page = await context.new_page()

    # A deep link before signing in comes back to itself after the provider's form.
    await page.goto(f"{console}/lists/on-hold?plant=P100")
    await enter_password(page, stack, "sup.king")
    await expect(page).to_have_url(re.compile(r"/console/lists/on-hold\?plant=P100$"))
    await expect(page.get_by_test_id("viewer")).to_have_text("Alex King")
    cookie = next(c for c in await context.cookies() if c["name"] == "plantflow_console")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Lax" and cookie["path"] == "/console"

    # A supervisor resolves parked steps but does not sign: no signing link on a held lot.
    await page.get_by_role("link", name="production-order-P100-3600001").click()
    await expect(page.get_by_test_id("awaiting-disposition")).to_be_visible()
    await expect(page.get_by_role("link", name="Sign a disposition")).to_have_count(0)

    # Every list answers, in every order, with every filter (a valid visibility query each).
    for kind in ("not-dispatched", "on-hold", "overdue", "parked", "waiting", "receipts"):
        for sort in ("started", "oldest", "plant", "status"):
            filters = "plant=P100&item=FG-1000&lot=B3600001&order=3600001&system=erp"
            response = await page.goto(
                f"{console}/lists/{kind}?{filters}&min_age_hours=0.5&sort={sort}"
            )
            assert response is not None and response.status == 200, (kind, sort)
    response = await page.goto(f"{console}/lists/all?plant=P100&sort=id")
    assert response is not None and response.status == 200
    await expect(page.get_by_test_id("summary")).to_have_text("1 saga")

    # P200's people table does not list sup.king.
    response = await page.goto(f"{console}/?plant=P200")
    assert response is not None and response.status == 403
    await expect(page.get_by_test_id("error")).to_contain_text(
        "sup.king is not one of plant P200's people"
    )

    # Malformed filters, unknown lists and sagas: 4xx pages that say why.
    response = await page.goto(f"{console}/lists/on-hold?lot=B1%27%20OR%201%3D1")
    assert response is not None and response.status == 422
    await expect(page.get_by_test_id("error")).to_contain_text("invalid filter value")
    response = await page.goto(f"{console}/lists/on-hold?system=sap")
    assert response is not None and response.status == 422
    response = await page.goto(f"{console}/lists/on-hold?min_age_hours=soon")
    assert response is not None and response.status == 422
    await expect(page.get_by_test_id("error")).to_contain_text("'soon' is not a number of hours")
    response = await page.goto(f"{console}/lists/on-hold?sort=sideways&page=x")
    assert response is not None and response.status == 422
    response = await page.goto(f"{console}/lists/nothing")
    assert response is not None and response.status == 404
    response = await page.goto(f"{console}/sagas/production-order-P100-9999999")
    assert response is not None and response.status == 404
    response = await page.goto(f"{console}/sagas/something-else")
    assert response is not None and response.status == 404
    response = await page.goto(f"{console}/login?next=https://elsewhere.example/")
    assert response is not None  # an outside "next" is dropped: back to the overview
    await expect(page).to_have_url(re.compile(r"/console/$"))

    # A form post without the page's token (another site's page) is refused, changing nothing.
    forged = await page.request.post(
        f"{console}/bulk",
        form={"plant": "P100", "action": "retry", "reason": "forged from elsewhere"},
    )
    assert forged.status == 403 and "not sent from a current console page" in await forged.text()

    # Signing out ends the session: the next sign-in asks for the password again, although
    # the provider's own session is still open.
    await page.get_by_role("button", name="Sign out").click()
    await expect(page.get_by_role("status")).to_have_text("You are signed out.")
    await page.goto(f"{console}/")
    await expect(page.get_by_role("heading", name="plantflow sign-in")).to_be_visible()
    await context.close()
