"""Errors a member or admin can cause. Each carries the private message that explains it."""

from __future__ import annotations

from gettext import gettext as _


class StudybotError(Exception):
    """A refusal with a message for the person who caused it; nothing was changed."""

    def __init__(self, user_message: str) -> None:
        super().__init__(user_message)
        self.user_message = user_message


class InvalidSetting(StudybotError):
    pass


class UnknownQuestion(StudybotError):
    pass


class AnswerRejected(StudybotError):
    pass


class AlreadyAnswered(StudybotError):
    pass


class NotAdmin(StudybotError):
    def __init__(self) -> None:
        super().__init__(_("Only a community admin can do that."))


class NotConfigured(StudybotError):
    pass


class NothingToDo(StudybotError):
    pass
