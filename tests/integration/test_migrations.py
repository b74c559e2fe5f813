"""The schema exists only through Alembic: upgrading an empty database gives the models' schema."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData, inspect, text

from adapters.slack.storage import slack_metadata
from bot.storage.engine import migration_engine
from bot.storage.tables import metadata

EVERY_TABLE = MetaData()
for table in [*metadata.tables.values(), *slack_metadata.tables.values()]:
    table.to_metadata(EVERY_TABLE)


async def test_upgrade_head_on_an_empty_database_yields_exactly_the_models_schema(target):
    engine = migration_engine(target.url, **target.engine_kwargs)
    try:
        async with engine.connect() as conn:

            def diff(sync_conn):
                context = MigrationContext.configure(sync_conn, opts={"compare_type": True})
                return compare_metadata(context, EVERY_TABLE)

            differences = await conn.run_sync(diff)
            tables = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
            version = (await conn.execute(text("SELECT version_num FROM alembic_version"))).scalar()
    finally:
        await engine.dispose()
    assert differences == []
    assert tables == set(EVERY_TABLE.tables) | {"alembic_version"}
    assert version == "0012"


async def test_upgrading_twice_is_harmless(target):
    from bot.storage.migrate import upgrade

    await upgrade(target.url, **target.engine_kwargs)
    await upgrade(target.url, **target.engine_kwargs)
    engine = migration_engine(target.url, **target.engine_kwargs)
    try:
        async with engine.connect() as conn:
            version = (await conn.execute(text("SELECT version_num FROM alembic_version"))).all()
            tables = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
    finally:
        await engine.dispose()
    assert version == [("0012",)]  # one row, still the head
    assert tables == set(EVERY_TABLE.tables) | {"alembic_version"}


async def test_sqlite_connections_use_wal_a_busy_timeout_and_foreign_keys(tmp_path):
    from bot.storage.engine import Database
    from bot.storage.migrate import upgrade

    url = f"sqlite+aiosqlite:///{tmp_path / 'x.db'}"
    await upgrade(url)
    db = Database.connect(url)
    try:
        async with db.write.connect() as conn:
            mode = (await conn.exec_driver_sql("PRAGMA journal_mode")).scalar()
            timeout = (await conn.exec_driver_sql("PRAGMA busy_timeout")).scalar()
            fks = (await conn.exec_driver_sql("PRAGMA foreign_keys")).scalar()
    finally:
        await db.dispose()
    assert (mode, timeout, fks) == ("wal", 30000, 1)


async def test_upgrading_keeps_existing_communities_and_fills_new_settings(tmp_path):
    from bot.storage.migrate import upgrade

    url = f"sqlite+aiosqlite:///{tmp_path / 'old.db'}"
    await upgrade(url, "0006")
    engine = migration_engine(url)
    async with engine.begin() as conn:
        await conn.execute(
            text(
                "INSERT INTO communities (platform, workspace_id, name, post_time, timezone,"
                " topics, kinds, difficulty_mix, packs, admin_user_ids, paused, created_at,"
                " updated_at) "
                "VALUES ('discord', 'G1', 'Old', '09:00', 'UTC', '[]', '[]', '{}', '[]', '[]', 0, "
                "'2026-01-01 00:00:00', '2026-01-01 00:00:00')"
            )
        )
    await upgrade(url)
    async with engine.connect() as conn:
        row = (
            await conn.execute(
                text("SELECT name, pair_day, pair_time, checkin_days FROM communities")
            )
        ).one()
    await engine.dispose()
    assert tuple(row) == ("Old", "mon", "09:00", 2)
