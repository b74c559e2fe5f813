"""Peer mock interviews: members opt in with their weekly availability (`Enrolment`); each
round pairs the active ones and introduces the groups with a scenario packet for each
interviewer (`Rounds`); afterwards members say whether they met and give feedback
(`CheckIns`). The pure rules live in `bot.domain.mock_interviews` and `bot.domain.pairing`,
the words members read in `copy`."""

from __future__ import annotations

from bot.domain.mock_interviews import MOCK_TOPIC
from bot.service.context import Context
from bot.service.mock_interviews.checkins import CheckIns
from bot.service.mock_interviews.enrolment import Enrolment
from bot.service.mock_interviews.rounds import Rounds

__all__ = ["MOCK_TOPIC", "CheckIns", "Enrolment", "MockInterviews", "Rounds"]


class MockInterviews:
    """The three parts, under the names the bot's commands use."""

    def __init__(self, ctx: Context) -> None:
        self.enrolment = Enrolment(ctx)
        self.rounds = Rounds(ctx)
        self.checkins = CheckIns(ctx)
        self.join = self.enrolment.join
        self.leave = self.enrolment.leave
        self.pause = self.enrolment.pause
        self.status = self.enrolment.status
        self.stats = self.enrolment.stats
        self.pair_now = self.rounds.pair_now
        self.run_round = self.rounds.run_round
        self.introduce = self.rounds.introduce
        self.resume_introductions = self.rounds.resume_introductions
        self.announce = self.rounds.announce
        self.send_checkins = self.checkins.send_checkins
        self.checkin = self.checkins.checkin
        self.feedback_form = self.checkins.feedback_form
        self.submit_feedback = self.checkins.submit_feedback
