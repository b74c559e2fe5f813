"""Properties of the mock-interview matcher (hypothesis) and availability parsing."""

from datetime import date

import networkx as nx
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from bot.domain.availability import parse_availability, week_slots
from bot.domain.errors import InvalidSetting
from bot.domain.pairing import (
    BENCH_AFTER_NO_SHOWS,
    REPEAT_WINDOW,
    Candidate,
    pair_members,
)

MONDAY = date(2026, 11, 23)


@st.composite
def populations(draw):
    n = draw(st.integers(min_value=2, max_value=24))
    slots = [draw(st.integers(min_value=0, max_value=(1 << 48) - 1)) for _ in range(n)]
    recent: list[dict[int, int]] = [{} for _ in range(n)]
    for _ in range(draw(st.integers(min_value=0, max_value=n))):
        a, b = draw(st.integers(0, n - 1)), draw(st.integers(0, n - 1))
        if a != b:
            ago = draw(st.integers(1, 8))
            recent[a][b] = recent[b][a] = ago
    no_shows = [draw(st.sampled_from([0, 0, 0, 1, 2])) for _ in range(n)]
    odd = [draw(st.booleans()) for _ in range(n)]
    return [Candidate(i, slots[i], recent[i], odd[i], no_shows[i]) for i in range(n)]


def is_repeat(people, a, b):
    return people[a].recent.get(b, REPEAT_WINDOW + 1) <= REPEAT_WINDOW


@settings(max_examples=300, deadline=None)
@given(populations(), st.integers(0, 1000))
def test_every_active_member_is_in_exactly_one_group_of_two_or_three(people, seed):
    pairing = pair_members(people, seed)
    active = [p.member_id for p in people if p.no_shows < BENCH_AFTER_NO_SHOWS]
    placed = [m for g in pairing.groups for m in g.members]
    assert sorted(placed) == sorted(active)
    assert sorted(pairing.benched) == sorted(
        p.member_id for p in people if p.no_shows >= BENCH_AFTER_NO_SHOWS
    )
    if len(active) >= 2:
        assert all(len(g.members) in (2, 3) for g in pairing.groups)
        assert sum(len(g.members) == 3 for g in pairing.groups) == len(active) % 2


@settings(max_examples=300, deadline=None)
@given(populations(), st.integers(0, 1000))
def test_no_repeat_partner_when_a_repeat_free_pairing_exists(people, seed):
    active = [p for p in people if p.no_shows < BENCH_AFTER_NO_SHOWS]
    if len(active) % 2:
        return  # trios are checked by the test above
    graph = nx.Graph()
    graph.add_nodes_from(p.member_id for p in active)
    graph.add_edges_from(
        (a.member_id, b.member_id)
        for a in active
        for b in active
        if a.member_id < b.member_id and not is_repeat(people, a.member_id, b.member_id)
    )
    if len(nx.max_weight_matching(graph, maxcardinality=True)) * 2 < len(active):
        return  # every pairing repeats someone
    pairing = pair_members(people, seed)
    assert not any(g.repeat for g in pairing.groups)


@settings(max_examples=100, deadline=None)
@given(populations(), st.integers(0, 1000))
def test_the_same_seed_gives_the_same_pairing(people, seed):
    assert pair_members(people, seed) == pair_members(people, seed)


def test_nobody_is_the_odd_one_twice_in_a_row():
    # all alike: the seeded order leaves member 0 over in about one seed in five
    people = [Candidate(0, 0b1111, {}, odd_last_round=True)] + [
        Candidate(i, 0b1111, {}) for i in range(1, 5)
    ]
    odd_ones = {pair_members(people, seed).odd_one for seed in range(40)}
    assert None not in odd_ones and 0 not in odd_ones


@settings(max_examples=300, deadline=None)
@given(populations(), st.integers(0, 1000))
def test_the_odd_one_was_not_odd_last_round_when_anyone_else_can_be(people, seed):
    pairing = pair_members(people, seed)
    active = [p for p in people if p.no_shows < BENCH_AFTER_NO_SHOWS]
    assume(pairing.odd_one is not None and len(active) >= 3)
    assume(any(not p.odd_last_round for p in active))
    assert not people[pairing.odd_one].odd_last_round


def test_availability_in_two_time_zones_overlaps_in_utc():
    london = week_slots(parse_availability("weekdays 8-11"), "Europe/London", MONDAY)
    kolkata = week_slots(parse_availability("weekdays 13:00-16:00"), "Asia/Kolkata", MONDAY)
    assert (london & kolkata).bit_count() == 5 * 5  # 08:00-10:30 UTC, five days


@pytest.mark.parametrize("bad", ["sometimes", "Mon 25:00-26:00", "Funday 10-12", "Mon 12-10"])
def test_an_unreadable_availability_gets_an_example(bad):
    with pytest.raises(InvalidSetting, match="Mon-Thu 18:00-21:00"):
        parse_availability(bad)
