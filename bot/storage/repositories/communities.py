"""Communities (a Discord server or Slack workspace) and their settings."""

from __future__ import annotations

from datetime import UTC, datetime, time
from typing import Any

from sqlalchemy import select, update

from bot.domain.community import Community, CommunitySettings
from bot.domain.questions import Kind
from bot.storage.repositories.base import SqlRepository
from bot.storage.tables import communities


def _community(row: Any) -> Community:
    hour, minute = (int(x) for x in row.post_time.split(":"))
    settings = CommunitySettings(
        channel_id=row.channel_id,
        post_time=time(hour, minute),
        timezone=row.timezone,
        answer_window_minutes=row.answer_window_minutes,
        topics=tuple(row.topics),
        kinds=tuple(Kind(k) for k in row.kinds),
        difficulty_mix={int(k): int(v) for k, v in row.difficulty_mix.items()},
        packs=tuple(row.packs),
        admin_user_ids=tuple(row.admin_user_ids),
        paused=row.paused,
        pair_day=row.pair_day,
        pair_time=time(int(row.pair_time[:2]), int(row.pair_time[3:5])),
        checkin_days=row.checkin_days,
    )
    return Community(row.id, row.platform, row.workspace_id, row.name, settings)


def _settings_values(settings: CommunitySettings) -> dict[str, Any]:
    return {
        "channel_id": settings.channel_id,
        "post_time": settings.post_time.strftime("%H:%M"),
        "timezone": settings.timezone,
        "answer_window_minutes": settings.answer_window_minutes,
        "topics": list(settings.topics),
        "kinds": [k.value for k in settings.kinds],
        "difficulty_mix": {str(k): v for k, v in settings.difficulty_mix.items()},
        "packs": list(settings.packs),
        "admin_user_ids": list(settings.admin_user_ids),
        "paused": settings.paused,
        "pair_day": settings.pair_day,
        "pair_time": settings.pair_time.strftime("%H:%M"),
        "checkin_days": settings.checkin_days,
    }


class SqlCommunityRepository(SqlRepository):
    async def ensure(
        self, platform: str, workspace_id: str, name: str, defaults: CommunitySettings
    ) -> Community:
        now = datetime.now(UTC)
        await self.conn.execute(
            self.insert(communities)
            .values(
                platform=platform,
                workspace_id=workspace_id,
                name=name,
                created_at=now,
                updated_at=now,
                **_settings_values(defaults),
            )
            .on_conflict_do_nothing(index_elements=["platform", "workspace_id"])
        )
        found = await self.find(platform, workspace_id)
        assert found is not None
        return found

    async def find(self, platform: str, workspace_id: str) -> Community | None:
        row = (
            await self.conn.execute(
                select(communities).where(
                    communities.c.platform == platform,
                    communities.c.workspace_id == workspace_id,
                )
            )
        ).one_or_none()
        return None if row is None else _community(row)

    async def get(self, community_id: int) -> Community:
        row = (
            await self.conn.execute(select(communities).where(communities.c.id == community_id))
        ).one()
        return _community(row)

    async def all(self) -> list[Community]:
        rows = (await self.conn.execute(select(communities).order_by(communities.c.id))).all()
        return [_community(r) for r in rows]

    async def save_settings(self, community_id: int, settings: CommunitySettings) -> None:
        await self.conn.execute(
            update(communities)
            .where(communities.c.id == community_id)
            .values(updated_at=datetime.now(UTC), **_settings_values(settings))
        )

    async def problem(self, community_id: int) -> str | None:
        return (
            await self.conn.execute(
                select(communities.c.problem).where(communities.c.id == community_id)
            )
        ).scalar_one_or_none()

    async def set_problem(self, community_id: int, problem: str | None) -> str | None:
        before = await self.problem(community_id)
        if before != problem:
            await self.conn.execute(
                update(communities).where(communities.c.id == community_id).values(problem=problem)
            )
        return before

    async def contact(self, community_id: int) -> str | None:
        return (
            await self.conn.execute(
                select(communities.c.contact_user_id).where(communities.c.id == community_id)
            )
        ).scalar_one_or_none()

    async def set_contact(self, community_id: int, user_id: str) -> None:
        await self.conn.execute(
            update(communities)
            .where(communities.c.id == community_id)
            .values(contact_user_id=user_id)
        )
