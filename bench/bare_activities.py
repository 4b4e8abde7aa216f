"""The baselines' activities: a trivial step, and one HTTP POST."""

import httpx
from temporalio import activity


class BareActivities:
    def __init__(self, http: httpx.AsyncClient):
        self.http = http

    @activity.defn(name="bare_step")
    async def step(self, step: int) -> int:
        return step

    @activity.defn(name="bare_post")
    async def post(self, url: str) -> int:
        response = await self.http.post(url, json={"activity": activity.info().workflow_id})
        response.raise_for_status()
        return response.status_code
