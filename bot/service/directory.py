"""Members by (community, user id), remembered between use cases: the answer path meets the
same people all day, and a member lookup should not cost a transaction each time.

Entries are remembered only after the unit of work that read or made them committed, so a
rolled-back transaction never leaves an id behind that the database does not have.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from bot.domain.members import Member
from bot.ports.storage import UnitOfWork


class MemberDirectory:
    def __init__(self) -> None:
        self._known: dict[tuple[int, str], Member] = {}

    def get(self, community_id: int, user_id: str) -> Member | None:
        return self._known.get((community_id, user_id))

    def remember(self, found: Iterable[Member]) -> None:
        for member in found:
            self._known[(member.community_id, member.user_id)] = member

    def set_timezone(self, member_id: int, timezone: str | None) -> None:
        for key, member in list(self._known.items()):
            if member.id == member_id:
                self._known[key] = replace(member, timezone=timezone)

    def drop(self, member_id: int) -> None:
        """Forget a member whose row was deleted, so the next sight makes a new one."""
        for key, member in list(self._known.items()):
            if member.id == member_id:
                del self._known[key]

    async def ensure(
        self, uow: UnitOfWork, community_id: int, people: dict[str, str]
    ) -> dict[str, Member]:
        """Members by user id, from memory or made in `uow` (remember them after commit)."""
        found = {uid: m for uid in people if (m := self.get(community_id, uid)) is not None}
        unknown = {uid: name for uid, name in people.items() if uid not in found}
        if unknown:
            found.update(await uow.members.ensure(community_id, unknown))
        return found
