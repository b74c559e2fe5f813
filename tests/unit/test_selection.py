from bot.domain.community import CommunitySettings
from bot.domain.questions import Kind, Question
from bot.domain.selection import choose_daily


def bank() -> list[Question]:
    return [
        Question(
            id=f"{topic}-{i}",
            topic=topic,
            kind=Kind.MULTIPLE_CHOICE,
            difficulty=1 + i % 3,
            prompt="p",
        )
        for topic in ("a", "b", "c")
        for i in range(4)
    ]


def test_no_question_repeats_until_the_pool_is_used_up_and_topics_rotate():
    settings = CommunitySettings(kinds=(Kind.MULTIPLE_CHOICE,))
    history: list[tuple[str, str]] = []
    for day in range(12):
        q = choose_daily(bank(), settings, history, f"1:{day}")
        history.append((q.id, q.topic))
    ids = [qid for qid, _ in history]
    assert len(set(ids)) == 12
    topics = [t for _, t in history]
    assert all(topics[i] != topics[i + 1] for i in range(11))
    after = choose_daily(bank(), settings, history, "1:12")
    assert after.id in ids


def test_the_same_seed_gives_the_same_question():
    settings = CommunitySettings(kinds=(Kind.MULTIPLE_CHOICE,))
    assert choose_daily(bank(), settings, [], "x") == choose_daily(bank(), settings, [], "x")


def test_topics_and_difficulty_mix_are_respected():
    settings = CommunitySettings(
        kinds=(Kind.MULTIPLE_CHOICE,), topics=("b",), difficulty_mix={1: 0, 2: 0, 3: 1}
    )
    for seed in range(10):
        q = choose_daily(bank(), settings, [], str(seed))
        assert q.topic == "b" and q.difficulty == 3
