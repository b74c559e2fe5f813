"""What every repository shares: the unit of work's connection, and the two idioms by which
an act is claimed exactly once across processes."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, and_, update
from sqlalchemy.ext.asyncio import AsyncConnection

from bot.storage.engine import Database


class SqlRepository:
    def __init__(self, conn: AsyncConnection, db: Database) -> None:
        self.conn = conn
        self.db = db

    def insert(self, table: Table) -> Any:
        """INSERT with this dialect's ON CONFLICT support."""
        return self.db.insert(table)

    async def insert_row(self, table: Table, **values: Any) -> Any:
        """Insert one row; its id."""
        result = await self.conn.execute(table.insert().values(**values).returning(table.c.id))
        return result.scalar_one()

    async def insert_once(
        self, table: Table, values: dict[str, Any], unique: list[str]
    ) -> Any | None:
        """Insert a row unless one with the same `unique` columns exists; the new row's id
        for exactly one caller, None for every other (the claim idiom)."""
        stmt = (
            self.insert(table)
            .values(**values)
            .on_conflict_do_nothing(index_elements=unique)
            .returning(table.c.id)
        )
        return (await self.conn.execute(stmt)).scalar_one_or_none()

    async def stamp_row(self, table: Table, row_id: int, column: str, value: Any) -> bool:
        """Set a column that is still empty; True for exactly one caller."""
        stamp = table.c[column]
        result = await self.conn.execute(
            update(table)
            .where(and_(table.c.id == row_id, stamp.is_(None)))
            .values({column: value})
            .returning(table.c.id)
        )
        return result.first() is not None
