"""What every use case needs: storage, the bank, the clock, the chats, and a community cache."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

from bot.domain.community import Community, CommunitySettings
from bot.domain.errors import NotAdmin
from bot.ports import Actor, ChatPort, Clock, WorkspaceRef
from bot.question_bank import Bank
from bot.storage.store import MemberRecord, SqlStore


@dataclass
class Context:
    store: SqlStore
    bank: Bank
    clock: Clock
    chats: dict[str, ChatPort] = field(default_factory=dict)
    defaults: CommunitySettings = field(default_factory=CommunitySettings)
    lease: timedelta = timedelta(minutes=5)
    retry_after: timedelta = timedelta(minutes=10)
    on_settings_changed: list[Callable[[Community], None]] = field(default_factory=list)
    _communities: dict[WorkspaceRef, Community] = field(default_factory=dict)

    async def community(self, workspace: WorkspaceRef, name: str = "") -> Community:
        cached = self._communities.get(workspace)
        if cached is not None:
            return cached
        community = await self.store.find_community(workspace.platform, workspace.workspace_id)
        if community is None:
            community = await self.store.ensure_community(
                workspace.platform,
                workspace.workspace_id,
                name or workspace.workspace_id,
                self.defaults,
            )
            for listener in self.on_settings_changed:
                listener(community)
        self._communities[workspace] = community
        return community

    async def community_by_id(self, community_id: int) -> Community:
        for community in self._communities.values():
            if community.id == community_id:
                return community
        community = await self.store.community(community_id)
        self._communities[WorkspaceRef(community.platform, community.workspace_id)] = community
        return community

    async def save_settings(self, community: Community, settings: CommunitySettings) -> Community:
        await self.store.save_settings(community.id, settings)
        updated = Community(
            community.id, community.platform, community.workspace_id, community.name, settings
        )
        self._communities[WorkspaceRef(community.platform, community.workspace_id)] = updated
        for listener in self.on_settings_changed:
            listener(updated)
        return updated

    async def member(self, actor: Actor) -> tuple[Community, MemberRecord]:
        community = await self.community(actor.user.workspace)
        member = await self.store.ensure_member(
            community.id, actor.user.user_id, actor.display_name
        )
        return community, member

    def require_admin(self, actor: Actor, community: Community) -> None:
        if not (actor.is_admin or actor.user.user_id in community.settings.admin_user_ids):
            raise NotAdmin()

    def zone_of(self, community: Community, member: MemberRecord | None = None) -> str:
        if member is not None and member.timezone:
            return member.timezone
        return community.settings.timezone
