"""What every use case needs: storage, the bank, the clock, the chats, and a community cache."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import timedelta

from bot.domain.community import Community, CommunitySettings
from bot.domain.errors import NotAdmin
from bot.domain.members import Member
from bot.ports import Actor, ChatPort, Clock, Grader, Storage, UnitOfWork, WorkspaceRef
from bot.question_bank import Bank
from bot.service.directory import MemberDirectory
from bot.service.model_grading import GraderLimits

NAME_LIMIT = 100


@dataclass
class Context:
    storage: Storage
    bank: Bank
    clock: Clock
    chats: dict[str, ChatPort] = field(default_factory=dict)
    defaults: CommunitySettings = field(default_factory=CommunitySettings)
    lease: timedelta = timedelta(minutes=5)
    retry_after: timedelta = timedelta(minutes=10)
    on_settings_changed: list[Callable[[Community], None]] = field(default_factory=list)
    directory: MemberDirectory = field(default_factory=MemberDirectory)
    grader: Grader | None = None
    grader_limits: GraderLimits = field(default_factory=GraderLimits)
    _communities: dict[WorkspaceRef, Community] = field(default_factory=dict)

    async def community(self, workspace: WorkspaceRef, name: str = "") -> Community:
        cached = self._communities.get(workspace)
        if cached is not None:
            return cached

        async def find_or_make(uow: UnitOfWork) -> tuple[Community, bool]:
            found = await uow.communities.find(workspace.platform, workspace.workspace_id)
            if found is not None:
                return found, False
            made = await uow.communities.ensure(
                workspace.platform,
                workspace.workspace_id,
                name or workspace.workspace_id,
                self.defaults,
            )
            return made, True

        community, new = await self.storage.transact(find_or_make)
        if new:
            for listener in self.on_settings_changed:
                listener(community)
        self._communities[workspace] = community
        return community

    async def community_by_id(self, community_id: int) -> Community:
        for community in self._communities.values():
            if community.id == community_id:
                return community
        community = await self.storage.read(lambda uow: uow.communities.get(community_id))
        self._communities[WorkspaceRef(community.platform, community.workspace_id)] = community
        return community

    async def all_communities(self) -> list[Community]:
        return await self.storage.read(lambda uow: uow.communities.all())

    async def save_settings(
        self, community: Community, settings: CommunitySettings, contact: str | None = None
    ) -> Community:
        """Save settings; `contact` (the admin who ran setup) hears of posting problems."""

        async def save(uow: UnitOfWork) -> None:
            await uow.communities.save_settings(community.id, settings)
            if contact is not None:
                await uow.communities.set_contact(community.id, contact)

        await self.storage.transact(save)
        updated = Community(
            community.id, community.platform, community.workspace_id, community.name, settings
        )
        self._communities[WorkspaceRef(community.platform, community.workspace_id)] = updated
        for listener in self.on_settings_changed:
            listener(updated)
        return updated

    async def member(self, actor: Actor) -> tuple[Community, Member]:
        """The acting member, made on first sight; a changed display name is saved."""
        community = await self.community(actor.user.workspace)
        user_id, name = actor.user.user_id, actor.display_name[:NAME_LIMIT]
        known = self.directory.get(community.id, user_id)
        if known is not None and (not name or known.display_name == name):
            return community, known

        async def ensure(uow: UnitOfWork) -> Member:
            found = (await uow.members.ensure(community.id, {user_id: name}))[user_id]
            if name and found.display_name != name:
                await uow.members.rename(found.id, name)
                found = replace(found, display_name=name)
            return found

        member = await self.storage.transact(ensure)
        self.directory.remember([member])
        return community, member

    async def set_member_timezone(self, member: Member, timezone: str | None) -> None:
        await self.storage.transact(lambda uow: uow.members.set_timezone(member.id, timezone))
        self.directory.set_timezone(member.id, timezone)

    def require_admin(self, actor: Actor, community: Community) -> None:
        if not (actor.is_admin or actor.user.user_id in community.settings.admin_user_ids):
            raise NotAdmin()

    def zone_of(self, community: Community, member: Member | None = None) -> str:
        if member is not None and member.timezone:
            return member.timezone
        return community.settings.timezone
