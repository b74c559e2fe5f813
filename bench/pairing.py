"""Pairing for mock interviews: 10,000 members with 10 rounds of history in one run, and the
quality of a 200-member instance against the optimum from maximum-weight matching (networkx's
blossom algorithm), with a random shuffle as the baseline. Run: `python -m bench.pairing`.
"""

from __future__ import annotations

import random
import statistics
import time
from datetime import date

import networkx as nx

from bot.domain.availability import parse_availability, week_slots
from bot.domain.pairing import REPEAT_WINDOW, Candidate, Pairing, pair_members

MONDAY = date(2026, 11, 23)
ZONES = [
    "America/Los_Angeles",
    "America/New_York",
    "Europe/London",
    "Europe/Berlin",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Australia/Sydney",
    "America/Sao_Paulo",
]
PATTERNS = [
    "weekdays 18:00-21:00",
    "weekdays 07:00-09:00",
    "Mon-Thu 19:00-22:00",
    "weekends 10:00-14:00",
    "Tue,Thu 12:00-14:00",
    "Sat 09:00-12:00; Sun 16:00-19:00",
    "weekdays 20:00-23:00",
    "Mon,Wed,Fri 06:30-08:30",
]


def population(n: int, rounds: int, rng: random.Random) -> list[Candidate]:
    cache: dict[tuple[str, str], int] = {}
    slots = []
    for _ in range(n):
        zone = rng.choice(ZONES)
        text = "; ".join(rng.sample(PATTERNS, rng.choice((1, 1, 2))))
        if (zone, text) not in cache:
            cache[(zone, text)] = week_slots(parse_availability(text), zone, MONDAY)
        slots.append(cache[(zone, text)])
    recent: list[dict[int, int]] = [{} for _ in range(n)]
    for ago in range(1, rounds + 1):  # earlier rounds: random partners
        order = list(range(n))
        rng.shuffle(order)
        for a, b in zip(order[::2], order[1::2], strict=False):
            recent[a].setdefault(b, ago)
            recent[b].setdefault(a, ago)
    return [Candidate(i, slots[i], recent[i]) for i in range(n)]


def varied_population(n: int, rng: random.Random) -> list[Candidate]:
    """Nearly everyone different: random days, start times and lengths."""
    people = []
    for i in range(n):
        start, length = rng.randrange(6, 21), rng.choice((2, 3, 4))
        days = rng.choice(["weekdays", "Mon-Wed", "Thu-Sat", "weekends", "Tue,Thu"])
        text = f"{days} {start:02d}:{rng.choice(['00', '30'])}-{min(24, start + length):02d}:00"
        people.append(
            Candidate(i, week_slots(parse_availability(text), rng.choice(ZONES), MONDAY), {})
        )
    return people


def mean_overlap(pairing: Pairing, people: list[Candidate]) -> float:
    values = []
    for group in pairing.groups:
        a, b = group.members[:2]
        values.append((people[a].slots & people[b].slots).bit_count() / 2)
    return statistics.mean(values)


def optimum(people: list[Candidate]) -> float:
    graph = nx.Graph()
    for a in people:
        for b in people:
            if a.member_id < b.member_id:
                repeat = a.recent.get(b.member_id, REPEAT_WINDOW + 1) <= REPEAT_WINDOW
                overlap = (a.slots & b.slots).bit_count()
                if not repeat:
                    graph.add_edge(a.member_id, b.member_id, weight=overlap + 1)
    matching = nx.max_weight_matching(graph, maxcardinality=True)
    return statistics.mean((people[a].slots & people[b].slots).bit_count() / 2 for a, b in matching)


def shuffled(people: list[Candidate], rng: random.Random) -> Pairing:
    from bot.domain.pairing import Group

    order = [p.member_id for p in people]
    rng.shuffle(order)
    groups = tuple(Group((a, b), 0, False) for a, b in zip(order[::2], order[1::2], strict=False))
    return Pairing(groups, (), 0)


def repeats(pairing: Pairing, people: list[Candidate]) -> int:
    return sum(
        1
        for g in pairing.groups
        for i, a in enumerate(g.members)
        for b in g.members[i + 1 :]
        if people[a].recent.get(b, REPEAT_WINDOW + 1) <= REPEAT_WINDOW
    )


def zero_overlap(pairing: Pairing, people: list[Candidate]) -> float:
    bad = sum(
        1 for g in pairing.groups if not (people[g.members[0]].slots & people[g.members[1]].slots)
    )
    return bad / len(pairing.groups)


def main() -> None:
    rng = random.Random(7)
    big = population(10_000, 10, rng)
    start = time.perf_counter()
    result = pair_members(big, seed=1)
    elapsed = time.perf_counter() - start
    covered = sorted(m for g in result.groups for m in g.members)
    assert covered == list(range(10_000))
    print("Pairing: 10,000 members, 10 rounds of history")
    print(
        f"  time {elapsed:.2f} s (target <= 1 s)   repeats {repeats(result, big)}   "
        f"zero-overlap pairs {zero_overlap(result, big):.2%} (target <= 0.1%)"
    )
    print(
        f"  mean overlap {mean_overlap(result, big):.1f} h   random shuffle "
        f"{mean_overlap(shuffled(big, rng), big):.1f} h"
    )

    print("Quality: 200 members against maximum-weight matching (networkx, no repeats)")
    for name, small in (
        ("common windows, 10 rounds", population(200, 10, random.Random(11))),
        ("nearly all different", varied_population(200, random.Random(3))),
    ):
        ours = mean_overlap(pair_members(small, seed=1), small)
        best = optimum(small)
        print(
            f"  {name:26s} studybot {ours:.2f} h   optimum {best:.2f} h   ratio {ours / best:.1%}"
            f" (target >= 97%)   random shuffle {mean_overlap(shuffled(small, rng), small):.2f} h"
        )


if __name__ == "__main__":
    main()
