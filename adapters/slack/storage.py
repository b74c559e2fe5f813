"""Slack's installation and OAuth state tables, in the bot's own database.

slack-sdk's stores define the tables; Alembic creates them (migration 0002) like every other
table, so `create_tables()` is never called.
"""

from __future__ import annotations

from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore
from sqlalchemy import MetaData

slack_metadata = MetaData()
AsyncSQLAlchemyInstallationStore.build_installations_table(slack_metadata, "slack_installations")
AsyncSQLAlchemyInstallationStore.build_bots_table(slack_metadata, "slack_bots")
AsyncSQLAlchemyOAuthStateStore.build_oauth_states_table(slack_metadata, "slack_oauth_states")
