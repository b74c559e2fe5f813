"""One-off acts (a reminder, a weekly digest) that exactly one process may perform."""

from __future__ import annotations

from datetime import datetime

from bot.storage.repositories.base import SqlRepository
from bot.storage.tables import claims


class SqlClaimRepository(SqlRepository):
    async def claim(self, community_id: int, key: str, now: datetime) -> bool:
        row = {"community_id": community_id, "key": key, "claimed_at": now}
        return await self.insert_once(claims, row, ["community_id", "key"]) is not None
