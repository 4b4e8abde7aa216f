"""A network fault for the reference ERP: the request reaches the ERP and runs, but its
answer never reaches the client, which gives up after its own timeout (a torn exchange)."""

from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send


@dataclass
class LostAnswers:
    """How many answers to lose, for writes whose path ends with ``path_suffix``."""

    path_suffix: str
    count: int = 0
    lost: int = 0


class LoseAnswersMiddleware:
    """Outermost: the ERP does all its work, then the answer is held until the client hangs
    up (its read timeout), and is never sent."""

    def __init__(self, app: ASGIApp, plan: LostAnswers):
        self.app = app
        self.plan = plan

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        plan = self.plan
        if (
            scope["type"] != "http"
            or scope["method"] != "POST"
            or not scope["path"].endswith(plan.path_suffix)
            or plan.lost >= plan.count
        ):
            await self.app(scope, receive, send)
            return
        plan.lost += 1

        async def swallow(_message: Message) -> None:
            return None

        await self.app(scope, receive, swallow)
        while (await receive())["type"] != "http.disconnect":
            pass
