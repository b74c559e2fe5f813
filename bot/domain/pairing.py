"""Pairing members for peer mock interviews: no repeat partners, overlapping availability,
nobody dropped, reproducible from a seed. Pure: no I/O.

The objective is the availability two partners share (in half-hours of the round's week).
A partner met in the last REPEAT_WINDOW rounds is used only when no other choice exists, the
least recently met first. Members with one recent no-show are paired with each other where
possible; members with BENCH_AFTER_NO_SHOWS or more sit the round out.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

REPEAT_WINDOW = 6
BENCH_AFTER_NO_SHOWS = 2
CANDIDATES = 40
REPEAT_PENALTY = 100_000
RELIABILITY_PENALTY = 4
IMPROVE_TRIES = 40_000


@dataclass(frozen=True)
class Candidate:
    member_id: int
    slots: int  # availability in the round's week, a mask of half-hours (bot.domain.availability)
    recent: Mapping[int, int] = field(default_factory=dict)  # partner -> rounds ago (1 = last)
    odd_last_round: bool = False
    no_shows: int = 0  # recent no-shows


@dataclass(frozen=True)
class Group:
    members: tuple[int, ...]
    shared_slots: int  # half-hours every member of the group has free
    repeat: bool

    @property
    def no_overlap(self) -> bool:
        return self.shared_slots == 0


@dataclass(frozen=True)
class Pairing:
    groups: tuple[Group, ...]
    benched: tuple[int, ...]
    seed: int
    odd_one: int | None = None  # who joined a pair as the third; not again next round

    def group_of(self, member_id: int) -> Group | None:
        return next((g for g in self.groups if member_id in g.members), None)


class _Scorer:
    def __init__(self, people: Mapping[int, Candidate]) -> None:
        self.people = people

    def score(self, a: int, b: int) -> int:
        pa, pb = self.people[a], self.people[b]
        value = (pa.slots & pb.slots).bit_count()
        ago = pa.recent.get(b) or pb.recent.get(a)
        if ago is not None and ago <= REPEAT_WINDOW:
            value -= REPEAT_PENALTY - ago  # allowed only when nothing else is; oldest first
        if (pa.no_shows > 0) != (pb.no_shows > 0):
            value -= RELIABILITY_PENALTY
        return value


def pair_members(candidates: Sequence[Candidate], seed: int) -> Pairing:
    """Groups of two (and one group of three when the count is odd) covering every active
    member exactly once. The same candidates and seed always give the same pairing."""
    rng = random.Random(seed)
    benched = tuple(sorted(c.member_id for c in candidates if c.no_shows >= BENCH_AFTER_NO_SHOWS))
    active = {c.member_id: c for c in candidates if c.no_shows < BENCH_AFTER_NO_SHOWS}
    scorer = _Scorer(active)
    if len(active) < 2:
        alone = (Group(tuple(active), 0, False),) if active else ()
        return Pairing(alone, benched, seed)

    pairs = _alike(active, scorer, rng)
    paired = {m for pair in pairs for m in pair}
    rest = {m: c for m, c in active.items() if m not in paired}
    pairs += _greedy(rest, scorer, rng) if len(rest) >= 2 else []
    pairs = _repair(pairs, active, scorer, rng)
    pairs = _improve(pairs, scorer, rng)
    leftover = sorted(set(active) - {m for p in pairs for m in p})
    groups = [list(p) for p in pairs]
    odd_one = _seat_odd_one(leftover[0], groups, active, scorer) if leftover else None
    return Pairing(
        tuple(sorted((_group(g, active, scorer) for g in groups), key=lambda g: g.members)),
        benched,
        seed,
        odd_one,
    )


def _alike(
    people: Mapping[int, Candidate], scorer: _Scorer, rng: random.Random
) -> list[tuple[int, int]]:
    """Members with exactly the same free time share all of it: pair them with each other
    first (never with a recent partner), leaving at most a few of each kind to the greedy pass."""
    kinds: dict[int, list[int]] = {}
    for member in sorted(people):
        kinds.setdefault(people[member].slots, []).append(member)
    pairs: list[tuple[int, int]] = []
    for mask in sorted(kinds):
        group = kinds[mask]
        if mask == 0 or len(group) < 2:
            continue
        rng.shuffle(group)
        waiting: list[int] = []
        for member in group:
            partner = next((w for w in waiting if scorer.score(member, w) > 0), None)
            if partner is None:
                waiting.append(member)
            else:
                waiting.remove(partner)
                pairs.append((partner, member))
    return pairs


def _greedy(
    people: Mapping[int, Candidate], scorer: _Scorer, rng: random.Random
) -> list[tuple[int, int]]:
    """Hardest first: members with the least availability choose among a sample of the free
    members who share their slots."""
    ids = sorted(people)
    rng.shuffle(ids)
    by_slot = slot_index(people, ids)
    # fewest possible partners first: the members whose free half-hours few others share
    mass = {slot: len(bucket) for slot, bucket in by_slot.items()}
    order = sorted(ids, key=lambda m: sum(mass[s] for s in _slots(people[m].slots)))
    cursor = dict.fromkeys(by_slot, 0)
    free = set(ids)
    pool = list(ids)
    pairs: list[tuple[int, int]] = []
    for member in order:
        if member not in free:
            continue
        free.discard(member)
        if not free:
            free.add(member)
            break
        seen: set[int] = set()
        options: list[int] = []
        slots = _slots(people[member].slots)
        rng.shuffle(slots)
        for slot in slots:
            bucket = by_slot[slot]
            i = cursor[slot]
            while i < len(bucket) and bucket[i] not in free:
                i += 1
            cursor[slot] = i
            taken = 0
            for other in bucket[i:]:
                if other in free and other not in seen:
                    seen.add(other)
                    options.append(other)
                    taken += 1
                    if taken >= 4:
                        break
            if len(options) >= CANDIDATES:
                break
        while len(options) < 8 and pool:
            other = pool[rng.randrange(len(pool))]
            if other in free and other not in seen:
                seen.add(other)
                options.append(other)
            elif other not in free:
                pool.remove(other)
            if len(seen) >= len(free):
                break
        if not options:
            options = [next(iter(free))]
        partner = max(options, key=lambda o: (scorer.score(member, o), -o))
        free.discard(partner)
        pairs.append((member, partner))
    return pairs


def _slots(mask: int) -> list[int]:
    found = []
    while mask:
        low = mask & -mask
        found.append(low.bit_length() - 1)
        mask ^= low
    return found


def slot_index(people: Mapping[int, Candidate], ids: Sequence[int]) -> dict[int, list[int]]:
    """For each half-hour of the week, who is free then."""
    by_slot: dict[int, list[int]] = {}
    for member in ids:
        for slot in _slots(people[member].slots):
            by_slot.setdefault(slot, []).append(member)
    return by_slot


def _repair(
    pairs: list[tuple[int, int]],
    people: Mapping[int, Candidate],
    scorer: _Scorer,
    rng: random.Random,
) -> list[tuple[int, int]]:
    """For every pair with no shared time, look for a pair among the members free when one of
    them is, and swap partners if the two pairs together gain."""
    pairs = list(pairs)
    where = {m: i for i, pair in enumerate(pairs) for m in pair}
    by_slot = slot_index(people, sorted(where))
    for i in range(len(pairs)):
        a, b = pairs[i]
        if scorer.score(a, b) > 0:
            continue
        for member in (a, b):
            slots = _slots(people[member].slots)
            rng.shuffle(slots)
            tried = 0
            for slot in slots:
                bucket = by_slot[slot]
                for other in rng.sample(bucket, min(len(bucket), 6)):
                    j = where[other]
                    if j == i:
                        continue
                    tried += 1
                    (x, y), (c, d) = pairs[i], pairs[j]
                    now = scorer.score(x, y) + scorer.score(c, d)
                    options = [((x, c), (y, d)), ((x, d), (y, c))]
                    best = max(options, key=lambda o: scorer.score(*o[0]) + scorer.score(*o[1]))
                    if scorer.score(*best[0]) + scorer.score(*best[1]) > now:
                        pairs[i], pairs[j] = best
                        for k in (i, j):
                            for m in pairs[k]:
                                where[m] = k
                if scorer.score(*pairs[i]) > 0 or tried > 60:
                    break
            if scorer.score(*pairs[i]) > 0:
                break
    return pairs


def _improve(
    pairs: list[tuple[int, int]], scorer: _Scorer, rng: random.Random
) -> list[tuple[int, int]]:
    """Swap partners between two pairs whenever that raises the total (2-opt), for a number of
    random tries fixed by the pair count, so the seed alone decides the outcome."""
    if len(pairs) < 2:
        return pairs
    pairs = list(pairs)
    for _ in range(min(IMPROVE_TRIES, 40 * len(pairs) * len(pairs))):
        i, j = rng.randrange(len(pairs)), rng.randrange(len(pairs))
        if i == j:
            continue
        (a, b), (c, d) = pairs[i], pairs[j]
        now = scorer.score(a, b) + scorer.score(c, d)
        first = scorer.score(a, c) + scorer.score(b, d)
        second = scorer.score(a, d) + scorer.score(b, c)
        if first > now and first >= second:
            pairs[i], pairs[j] = (a, c), (b, d)
        elif second > now:
            pairs[i], pairs[j] = (a, d), (b, c)
    return pairs


def _seat_odd_one(
    odd: int, groups: list[list[int]], people: Mapping[int, Candidate], scorer: _Scorer
) -> int:
    """The member left over joins, as a trio, a pair with no recent partner of theirs if there
    is one, sharing the most time. Whoever was the odd one last round swaps with a pair member
    who was not, so nobody is odd twice."""
    if people[odd].odd_last_round:
        best = None
        for group in groups:
            for k, member in enumerate(group):
                if people[member].odd_last_round:
                    continue
                partner = group[1 - k]
                value = scorer.score(odd, partner)
                if best is None or value > best[0]:
                    best = (value, group, k)
        if best is not None:
            _, group, k = best
            group[k], odd = odd, group[k]
    target = max(
        groups,
        key=lambda g: (
            min(scorer.score(odd, g[0]), scorer.score(odd, g[1])) > -REPEAT_PENALTY // 2,
            (people[g[0]].slots & people[g[1]].slots & people[odd].slots).bit_count(),
            scorer.score(odd, g[0]) + scorer.score(odd, g[1]),
        ),
    )
    target.append(odd)
    return odd


def _group(members: list[int], people: Mapping[int, Candidate], scorer: _Scorer) -> Group:
    shared = -1
    for member in members:
        shared &= people[member].slots
    repeat = any(
        scorer.score(a, b) < -REPEAT_PENALTY // 2
        for i, a in enumerate(members)
        for b in members[i + 1 :]
    )
    return Group(tuple(sorted(members)), shared.bit_count(), repeat)
