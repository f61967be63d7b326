"""Free agent slots, indexed so one routing pass finds the best agent in a few heap peeks.

Agents with a free slot are bucketed twice: by (language, level, special skills), and by
(skill, language, level, special skills) for each skill they have. Each bucket is a heap
ordered by load (share of capacity in use, then calls in hand, then agent id), so finding
the best agent for a transfer costs a handful of peeks rather than a scan over every
agent: ranking 10,000 transfers over 500 agents stays well under a second. Skills rank
agents but never exclude one (see `routing_policy.match_rank`): the skill buckets are
searched before the plain ones of the same rank.

Within a pass an agent's load only grows. That lets heaps repair stale entries lazily
(an outdated entry always sorts too early, so it surfaces and is re-pushed), and lets a
need that found no agent be remembered as unanswerable for the rest of the pass.
"""

from __future__ import annotations

import heapq
from collections.abc import Collection, Mapping, Sequence

from agentdesk.domain.models import Agent, AgentStatus
from agentdesk.domain.routing_policy import (
    COMPLAINTS_SKILL,
    GENERAL_SKILL,
    LEVEL_RANK,
    LEVELS,
    VIP_SKILL,
    WANTS_COMPLAINTS,
    WANTS_VIP,
    Need,
    level_preference,
    match_rank,
)

_WORKING = (AgentStatus.AVAILABLE, AgentStatus.BUSY)

Entry = tuple[float, int, int]
"""A heap entry: (share of capacity in use, calls in hand, agent index)."""

Group = tuple[int, bool, list[list[Entry]]]
"""Heaps of equal match quality: (level rank, has the skill, heaps)."""


class AgentMatcher:
    """The agents of one routing pass, their free slots and the bucket heaps over them.

    Args:
        agents: every agent, whatever their status; only available or busy agents with a
            free slot are matched, the rest still count as capable for queue reasons.
        held: slots already spoken for per agent id (e.g. offers not yet answered),
            on top of `active_calls`.
        capacity: when set, every agent has this many slots and `active_calls` is ignored
            (callback tickets are queued work, not concurrent calls).
    """

    def __init__(
        self,
        agents: Sequence[Agent],
        held: Mapping[str, int] | None = None,
        capacity: int | None = None,
    ) -> None:
        held = held or {}
        self.agents = sorted(agents, key=lambda a: a.id)
        self.index = {a.id: i for i, a in enumerate(self.agents)}
        self.capacity = [a.capacity if capacity is None else capacity for a in self.agents]
        self.active = [(a.active_calls if capacity is None else 0) + held.get(a.id, 0) for a in self.agents]
        self.free = [
            max(0, cap - act) if a.status in _WORKING else 0
            for a, cap, act in zip(self.agents, self.capacity, self.active, strict=True)
        ]
        self.total_free = sum(self.free)
        self.skills = [frozenset(s.strip().lower() for s in a.skills) for a in self.agents]
        """Each agent's skills, normalised."""
        self.masks = [
            (WANTS_VIP if VIP_SKILL in skills else 0)
            | (WANTS_COMPLAINTS if COMPLAINTS_SKILL in skills else 0)
            for skills in self.skills
        ]
        """Each agent's special skills as `Need.wants` bits."""
        self._buckets: dict[tuple[str, str, int, int], list[Entry]] = {}
        self._plain: dict[tuple[str, int, int], list[Entry]] = {}
        self._speakers: dict[str, list[int]] = {}
        for i, agent in enumerate(self.agents):
            skills = self.skills[i]
            mask = self.masks[i]
            rank = LEVEL_RANK[agent.level]
            for lang in agent.languages:
                self._speakers.setdefault(lang, []).append(i)
                if not self.free[i]:
                    continue
                self._plain.setdefault((lang, rank, mask), []).append(self._entry(i))
                for skill in skills:
                    self._buckets.setdefault((skill, lang, rank, mask), []).append(self._entry(i))
        for heap in (*self._buckets.values(), *self._plain.values()):
            heapq.heapify(heap)
        self._groups: dict[Need, list[Group]] = {}
        self._exhausted: set[Need] = set()
        self._capable_counts: dict[tuple[str, ...], int] = {}

    def _entry(self, i: int) -> Entry:
        return (self.active[i] / self.capacity[i], self.active[i], i)

    def _groups_for(self, need: Need) -> list[Group]:
        """Bucket heaps allowed for `need`, grouped by equal match quality, best group first."""
        groups = self._groups.get(need)
        if groups is not None:
            return groups
        general = need.skill == GENERAL_SKILL
        ranked: dict[tuple[int, int, int], Group] = {}
        for rank in range(need.min_rank, len(LEVELS)):
            for mask in range(4):
                specials = (mask & need.wants).bit_count()
                for lang in need.languages:
                    plain = self._plain.get((lang, rank, mask))
                    skilled = plain if general else self._buckets.get((need.skill, lang, rank, mask))
                    options = ((True, skilled),) if general else ((True, skilled), (False, plain))
                    for has_skill, heap in options:
                        if heap:
                            quality = match_rank(rank, need.target_rank, has_skill, specials)
                            ranked.setdefault(quality, (rank, has_skill, []))[2].append(heap)
        groups = [ranked[q] for q in sorted(ranked)]
        self._groups[need] = groups
        return groups

    def _top(self, heap: list[Entry], excluded: Collection[int]) -> Entry | None:
        """The least-loaded agent in `heap` with a free slot, not in `excluded`."""
        parked: list[Entry] = []
        found = None
        while heap:
            entry = heap[0]
            i = entry[2]
            if self.free[i] <= 0:
                heapq.heappop(heap)
            elif entry[1] != self.active[i]:
                heapq.heapreplace(heap, self._entry(i))
            elif i in excluded:
                parked.append(heapq.heappop(heap))
            else:
                found = entry
                break
        for entry in parked:
            heapq.heappush(heap, entry)
        return found

    def pick(self, need: Need, excluded: Collection[int] = ()) -> int | None:
        """The index of the best free agent for `need`, skipping `excluded`; None if nobody.

        Best means: the best `routing_policy.match_rank` (level rule, skill, preferred
        special skills), then the lightest load, then the agent id.
        """
        if self.total_free <= 0 or need in self._exhausted:
            return None
        found = self._best(self._groups_for(need), excluded)
        if found is None and not excluded:
            self._exhausted.add(need)
        return found

    def pick_at_level(self, need: Need, rank: int, excluded: Collection[int] = ()) -> int | None:
        """The best free agent for `need` among agents of level `rank` alone; None if nobody."""
        if self.total_free <= 0 or need in self._exhausted:
            return None
        return self._best([g for g in self._groups_for(need) if g[0] == rank], excluded)

    def _best(self, groups: list[Group], excluded: Collection[int]) -> int | None:
        for _rank, _skilled, heaps in groups:
            best: Entry | None = None
            for heap in heaps:
                top = self._top(heap, excluded)
                if top is not None and (best is None or top < best):
                    best = top
            if best is not None:
                return best[2]
        return None

    def quality(self, i: int, need: Need) -> tuple[int, int, int]:
        """Agent `i`'s `routing_policy.match_rank` for `need`: lower is better."""
        skilled = need.skill == GENERAL_SKILL or need.skill in self.skills[i]
        specials = (self.masks[i] & need.wants).bit_count()
        return match_rank(LEVEL_RANK[self.agents[i].level], need.target_rank, skilled, specials)

    def previous_agent(
        self,
        need: Need,
        agent_ids: Sequence[str],
        best: int,
        *,
        strong: bool,
        excluded: Collection[int] = (),
        include_full: bool = False,
    ) -> int | None:
        """The first of the customer's previous agents who may serve `need` as well as affinity allows.

        May serve: at work, speaks one of the languages, of a level the stage admits, not in
        `excluded`, with a free slot unless `include_full` (the caller may wait for them).
        As well as allowed: the same match quality as `best` (the pick without affinity),
        or with `strong` affinity the same level preference (any level for a routine request).

        Args:
            need: who may take the transfer now.
            agent_ids: the customer's previous agents, most recent first.
            best: the index `pick` returned for `need`.
            strong: a VIP or a customer who asked for a dedicated adviser.
            excluded: agents who declined or let the offer time out.
            include_full: also return an agent whose slots are all taken.
        """
        best_quality = self.quality(best, need)
        for agent_id in agent_ids:
            i = self.index.get(agent_id)
            if i is None or i in excluded or not self._may_serve(i, need):
                continue
            if self.free[i] <= 0 and not include_full:
                continue
            quality = self.quality(i, need)
            if quality == best_quality or (strong and self._same_level_rule(i, best, need)):
                return i
        return None

    def _may_serve(self, i: int, need: Need) -> bool:
        agent = self.agents[i]
        return (
            agent.status in _WORKING
            and self.capacity[i] > 0
            and LEVEL_RANK[agent.level] >= need.min_rank
            and any(lang in agent.languages for lang in need.languages)
        )

    def _same_level_rule(self, i: int, best: int, need: Need) -> bool:
        """A level rule (senior or gold first) ranks `i` level with `best`; a routine request has none."""
        if need.target_rank == 0:
            return True
        rank_of = LEVEL_RANK
        return level_preference(rank_of[self.agents[i].level], need.target_rank) == level_preference(
            rank_of[self.agents[best].level], need.target_rank
        )

    def has_free_slot(self, i: int) -> bool:
        """Agent `i` can take one more transfer in this pass."""
        return self.free[i] > 0

    def take(self, i: int) -> None:
        """Give agent `i` one more transfer; its heap entries go stale and heal on the next peek."""
        self.active[i] += 1
        self.free[i] -= 1
        self.total_free -= 1

    def capable(self, need: Need) -> int:
        """Agents who speak one of the customer's languages, whatever their level, status or load."""
        count = self._capable_counts.get(need.languages)
        if count is None:
            found: set[int] = set()
            for lang in need.languages:
                found.update(self._speakers.get(lang, ()))
            count = self._capable_counts[need.languages] = len(found)
        return count
