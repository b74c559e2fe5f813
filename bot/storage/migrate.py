"""Apply the Alembic migrations: the only way the schema is created or changed."""

from __future__ import annotations

from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy.engine import Connection

from bot.resources import migrations_dir
from bot.storage.engine import migration_engine

MIGRATIONS = migrations_dir()


def alembic_config(url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def _upgrade(connection: Connection, config: Config, revision: str) -> None:
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


async def upgrade(url: str, revision: str = "head", **engine_kwargs: Any) -> None:
    """Bring the database at `url` to `revision`, from inside a running event loop.

    `engine_kwargs` go to the engine (tests use them to pick a PostgreSQL schema)."""
    engine = migration_engine(url, **engine_kwargs)
    try:
        async with engine.begin() as connection:
            await connection.run_sync(_upgrade, alembic_config(url), revision)
    finally:
        await engine.dispose()
