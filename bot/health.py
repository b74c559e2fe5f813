"""Health endpoints for orchestrators (Docker, Kubernetes, a PaaS): `/healthz` says the
process answers, `/readyz` that the database answers and every platform is connected (200),
or which check failed (503). Served next to Slack's routes in HTTP mode, or on HEALTH_PORT."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from aiohttp import web

Check = Callable[[], Awaitable[bool]]


class Health:
    def __init__(self, database: Check) -> None:
        self.checks: dict[str, Check] = {"database": database}

    def watch(self, name: str, check: Check) -> None:
        """Report `check` (e.g. a platform's connection) in /readyz under `name`."""
        self.checks[name] = check

    async def readiness(self) -> dict[str, bool]:
        results = {}
        for name, check in self.checks.items():
            try:
                results[name] = bool(await check())
            except Exception:
                results[name] = False
        return results

    async def _healthz(self, _request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    async def _readyz(self, _request: web.Request) -> web.Response:
        checks = await self.readiness()
        ready = all(checks.values())
        return web.json_response({"ready": ready, "checks": checks}, status=200 if ready else 503)

    def add_routes(self, app: web.Application) -> None:
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/readyz", self._readyz)

    async def serve(self, port: int, host: str = "0.0.0.0") -> web.AppRunner:
        """Serve the two endpoints on their own port; the caller cleans up the runner."""
        app = web.Application()
        self.add_routes(app)
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        await web.TCPSite(runner, host, port).start()
        return runner
