"""The schema. Alembic migrations in `migrations/` create it; a test checks they agree."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC and always returns aware UTC datetimes, on SQLite and PostgreSQL alike."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database; use an aware UTC datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

communities = Table(
    "communities",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("platform", String(16), nullable=False),
    Column("workspace_id", String(64), nullable=False),
    Column("name", String(200), nullable=False),
    Column("channel_id", String(64)),
    Column("post_time", String(5), nullable=False),
    Column("timezone", String(64), nullable=False),
    Column("answer_window_minutes", Integer),
    Column("topics", JSON, nullable=False),
    Column("kinds", JSON, nullable=False),
    Column("difficulty_mix", JSON, nullable=False),
    Column("packs", JSON, nullable=False),
    Column("admin_user_ids", JSON, nullable=False),
    Column("paused", Boolean, nullable=False),
    Column("pair_day", String(3), nullable=False, server_default="mon"),
    Column("pair_time", String(5), nullable=False, server_default="09:00"),
    Column("checkin_days", Integer, nullable=False, server_default="2"),
    Column("problem", Text),
    Column("contact_user_id", String(64)),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    UniqueConstraint("platform", "workspace_id"),
)

members = Table(
    "members",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("community_id", ForeignKey("communities.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", String(64), nullable=False),
    Column("display_name", String(100), nullable=False),
    Column("timezone", String(64)),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("community_id", "user_id"),
)

posts = Table(
    "posts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("community_id", ForeignKey("communities.id", ondelete="CASCADE"), nullable=False),
    Column("run_key", String(32), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("local_date", Date, nullable=False),
    Column("status", String(16), nullable=False),
    Column("question_id", String(64), nullable=False),
    Column("topic", String(32), nullable=False),
    Column("question", JSON, nullable=False),
    Column("channel_id", String(64)),
    Column("message_id", String(64)),
    Column("opened_at", UTCDateTime),
    Column("closes_at", UTCDateTime),
    Column("closed_at", UTCDateTime),
    Column("revealed_at", UTCDateTime),
    Column("lease_until", UTCDateTime),
    Column("attempts", Integer, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("community_id", "run_key"),
    UniqueConstraint("community_id", "seq"),
    Index("ix_posts_status_closes_at", "status", "closes_at"),
)

answers = Table(
    "answers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("post_id", ForeignKey("posts.id", ondelete="CASCADE"), nullable=False),
    Column("member_id", ForeignKey("members.id", ondelete="CASCADE"), nullable=False),
    Column("choice", Integer),
    Column("text", Text),
    Column("answered_at", UTCDateTime, nullable=False),
    Column("fraction", Float),
    Column("correct", Boolean),
    Column("points", Integer),
    Column("hits", JSON),
    Column("feedback", JSON),
    UniqueConstraint("post_id", "member_id"),
)

member_stats = Table(
    "member_stats",
    metadata,
    Column("member_id", ForeignKey("members.id", ondelete="CASCADE"), primary_key=True),
    Column("streak_current", Integer, nullable=False),
    Column("streak_best", Integer, nullable=False),
    Column("last_day", Date),
    Column("last_seq", Integer),
    Column("answered", Integer, nullable=False),
)

score_totals = Table(
    "score_totals",
    metadata,
    Column("community_id", ForeignKey("communities.id", ondelete="CASCADE"), primary_key=True),
    Column("period", String(8), primary_key=True),
    Column("period_key", String(16), primary_key=True),
    Column("topic", String(32), primary_key=True),
    Column("member_id", ForeignKey("members.id", ondelete="CASCADE"), primary_key=True),
    Column("points", Integer, nullable=False),
    Column("answered", Integer, nullable=False),
    Column("correct", Integer, nullable=False),
    Index(
        "ix_score_totals_board",
        "community_id",
        "period",
        "period_key",
        "topic",
        "points",
    ),
)

score_counts = Table(
    "score_counts",
    metadata,
    Column("community_id", ForeignKey("communities.id", ondelete="CASCADE"), primary_key=True),
    Column("period", String(8), primary_key=True),
    Column("period_key", String(16), primary_key=True),
    Column("topic", String(32), primary_key=True),
    Column("points", Integer, primary_key=True),
    Column("members", Integer, nullable=False),
    comment="How many members of a board have each score: ranks without counting rows.",
)

practice_sessions = Table(
    "practice_sessions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("member_id", ForeignKey("members.id", ondelete="CASCADE"), nullable=False),
    Column("question_id", String(64), nullable=False),
    Column("question", JSON, nullable=False),
    Column("hints_shown", Integer, nullable=False),
    Column("model_shown", Boolean, nullable=False),
    Column("answered_at", UTCDateTime),
    Column("fraction", Float),
    Column("created_at", UTCDateTime, nullable=False),
    Column("choice", Integer),
    Column("text", Text),
    Column("hits", JSON),
)


pairing_profiles = Table(
    "pairing_profiles",
    metadata,
    Column("member_id", ForeignKey("members.id", ondelete="CASCADE"), primary_key=True),
    Column("community_id", ForeignKey("communities.id", ondelete="CASCADE"), nullable=False),
    Column("availability", String(300), nullable=False),
    Column("timezone", String(64), nullable=False),
    Column("role", String(40)),
    Column("level", String(40)),
    Column("active", Boolean, nullable=False),
    Column("pause_rounds", Integer, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Index("ix_pairing_profiles_community_active", "community_id", "active"),
)

pairing_rounds = Table(
    "pairing_rounds",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("community_id", ForeignKey("communities.id", ondelete="CASCADE"), nullable=False),
    Column("run_key", String(32), nullable=False),
    Column("week_monday", Date, nullable=False),
    Column("seed", Integer, nullable=False),
    Column("odd_member_id", Integer),
    Column("created_at", UTCDateTime, nullable=False),
    UniqueConstraint("community_id", "run_key"),
)

pairing_assignments = Table(
    "pairing_assignments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("round_id", ForeignKey("pairing_rounds.id", ondelete="CASCADE"), nullable=False),
    Column("group_no", Integer, nullable=False),
    Column("member_id", ForeignKey("members.id", ondelete="CASCADE"), nullable=False),
    Column("interviews_first", Boolean, nullable=False),
    Column("question_id", String(64)),
    Column("shared_slots", Integer, nullable=False),
    Column("intro_sent_at", UTCDateTime),
    Column("checkin_sent_at", UTCDateTime),
    Column("checkin", String(16)),
    UniqueConstraint("round_id", "member_id"),
)

mock_feedback = Table(
    "mock_feedback",
    metadata,
    Column("id", Integer, primary_key=True),
    Column(
        "assignment_id",
        ForeignKey("pairing_assignments.id", ondelete="CASCADE"),
        nullable=False,
        unique=True,
    ),
    Column("ratings", JSON, nullable=False),
    Column("text", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
)

claims = Table(
    "claims",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("community_id", ForeignKey("communities.id", ondelete="CASCADE"), nullable=False),
    Column("key", String(64), nullable=False),
    Column("claimed_at", UTCDateTime, nullable=False),
    UniqueConstraint("community_id", "key"),
    comment="Scheduled acts without a row of their own (announcements), done once each.",
)

review_cards = Table(
    "review_cards",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("member_id", ForeignKey("members.id", ondelete="CASCADE"), nullable=False),
    Column("question_id", String(64), nullable=False),
    Column("memory", JSON, nullable=False),
    Column("due", UTCDateTime, nullable=False),
    Column("reviews", Integer, nullable=False),
    Column("lapses", Integer, nullable=False),
    UniqueConstraint("member_id", "question_id"),
    Index("ix_review_cards_member_id_due", "member_id", "due"),
    comment="Each member's FSRS memory of each question they answered: when it is due again.",
)

review_reminders = Table(
    "review_reminders",
    metadata,
    Column(
        "member_id", ForeignKey("members.id", ondelete="CASCADE"), primary_key=True, nullable=False
    ),
    Column("at_minute", Integer, nullable=False),
    Column("quiet_start", Integer, nullable=False),
    Column("quiet_end", Integer, nullable=False),
    Column("next_at", UTCDateTime, nullable=False),
    Column("day_ends_at", UTCDateTime, nullable=False),
    Column("sent_on", Date, nullable=True),
    Index("ix_review_reminders_next_at", "next_at"),
    comment="Members who asked for a daily nudge when reviews are due: their local time (minutes "
    "after midnight), quiet hours, and the next instant the nudge is considered.",
)

review_days = Table(
    "review_days",
    metadata,
    Column("member_id", ForeignKey("members.id", ondelete="CASCADE"), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("answered", Integer, nullable=False),
    comment="Days on which a member answered at least one review (their local date): the "
    "reviews-done streak.",
)

question_ratings = Table(
    "question_ratings",
    metadata,
    Column("question_id", String(64), primary_key=True),
    Column("rating", Float, nullable=False),
    Column("games", Integer, nullable=False),
    Column("credit", Float, nullable=False),
    comment="How hard each question plays (Elo, bot.domain.ratings), from every community's "
    "graded answers; credit is the sum of their credit fractions.",
)

member_ratings = Table(
    "member_ratings",
    metadata,
    Column("member_id", ForeignKey("members.id", ondelete="CASCADE"), primary_key=True),
    Column("rating", Float, nullable=False),
    Column("games", Integer, nullable=False),
    comment="Each member's Elo rating against the questions they answered (bot.domain.ratings).",
)
