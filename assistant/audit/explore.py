"""The dialog graph, found by driving real sessions: no list of states is kept anywhere.

From the start of a call, breadth first: at each question the session asks, every option it
offers is tried in every modality (a phrase said, keys pressed, a line typed), each on a new
call replayed from the start, and the question each one leads to is recorded. The keypad
answer (or, where there is none, the typed one) carries the walk on to the next question.
A question is told apart by its prompt key and its context, the menu option that led to it
(the sign-in after "balance" goes on to the balance, after "plan" to the plan): each is
explored once per language, at the first path that reaches it. Every modality is tried the
first time a prompt key is met in a language; where it comes back in another context, the
walk goes on through it with one modality. Digit entries are given the first candidate
value the session accepts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace

from assistant.audit.driver import AUDIT_DAY, Outcome, demo_sign_in
from assistant.audit.leaks import Leak
from assistant.audit.moves import KEYPAD, TEXT, Move, entry_candidates, entry_moves, option_moves
from assistant.audit.runs import Job, Runner
from assistant.dialog.actions import Ask, Expectation
from assistant.dialog.events import Event
from assistant.dialog.packs import LanguagePack

MAX_DEPTH = 20
"""The most caller turns a path may take; deeper questions are listed as not explored."""

SIGN_IN_PROMPTS = ("auth.account", "auth.secret")
"""The questions that sign a caller in; they are answered with the demo account."""

_PREFERRED = {KEYPAD: 0, TEXT: 1}


def _rank(move: Move) -> int:
    """Which modality carries the walk on: keys, else typed text, else speech."""
    return _PREFERRED.get(move.modality, 9)


@dataclass(frozen=True, slots=True)
class Node:
    """A question reached by a path, waiting to be explored."""

    events: tuple[Event, ...]
    steps: tuple[str, ...]
    """The path in words, secrets masked."""

    trail: tuple[str, ...]
    """The questions passed on the way, this one last."""

    context: str
    """The menu option this path last chose ("" before any)."""

    outcome: Outcome

    @property
    def key(self) -> tuple[str, str, str]:
        """What tells this question apart: language, prompt key, and (past a menu) context."""
        hub = self.outcome.expect is not None and self.outcome.expect.kind == "intent"
        return self.outcome.lang, self.outcome.state, "" if hub else self.context


@dataclass(frozen=True, slots=True)
class State:
    """One question of the dialog, in one language."""

    lang: str
    key: str
    """Its prompt key: "menu.main", "pay.how_much"."""

    context: str
    """The menu option that led here ("" for a menu itself, or before any menu)."""

    expect: Expectation
    prompt: str
    """What the caller is asked, as shown."""

    events: tuple[Event, ...]
    """The first path that reaches it."""

    steps: tuple[str, ...]
    """That path in words."""

    entry: str | None = None
    """For a digit entry: the value the session accepted (may be a secret: never shown)."""


@dataclass(frozen=True, slots=True)
class Edge:
    """One option of one question, given in one modality, and where it led."""

    lang: str
    state: str
    context: str
    """The state's context (see `State.context`)."""

    option: str
    modality: str
    move: str
    """The move in words ("pressed 2")."""

    reached: str
    """The question reached, or how the call ended."""

    errors: tuple[str, ...]
    """Error prompts the session answered with."""

    steps: tuple[str, ...]
    """The whole path from the call's start, this move last."""


@dataclass(frozen=True, slots=True)
class FoundLeak:
    """A secret in clear, and the path that put it there."""

    leak: Leak
    steps: tuple[str, ...]


@dataclass
class Graph:
    """Every question found, every option tried, and what the walk saw on the way."""

    states: dict[tuple[str, str, str], State] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    not_explored: list[tuple[str, str, tuple[str, ...]]] = field(default_factory=list)
    """Questions beyond `MAX_DEPTH`: (language, key, path)."""

    crashes: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)
    """Session errors met: (the error, the path)."""

    leaks: list[FoundLeak] = field(default_factory=list)
    records_scanned: int = 0
    secrets_entered: int = 0

    def languages(self) -> list[str]:
        return list(dict.fromkeys(lang for lang, _, _ in self.states))

    def prompt_keys(self, lang: str) -> set[str]:
        """The prompt keys of the questions found in `lang`."""
        return {key for code, key, _ in self.states if code == lang}

    def first_states(self) -> list[State]:
        """Each prompt key's first state in each language: the one tried every way."""
        first: dict[tuple[str, str], State] = {}
        for state in self.states.values():
            first.setdefault((state.lang, state.key), state)
        return list(first.values())

    def edges_from(self, state: State) -> list[Edge]:
        return [e for e in self.edges
                if (e.lang, e.state, e.context) == (state.lang, state.key, state.context)]

    def observe(self, outcome: Outcome, steps: tuple[str, ...]) -> None:
        """Keep what a run saw: secrets in clear, a session that failed."""
        self.records_scanned += outcome.records_scanned
        self.secrets_entered += outcome.secrets_entered
        known = {(f.leak.source, f.leak.excerpt) for f in self.leaks}
        for leak in outcome.leaks:
            if (leak.source, leak.excerpt) not in known:
                self.leaks.append(FoundLeak(leak, steps))
                known.add((leak.source, leak.excerpt))
        if outcome.crash:
            self.crashes.append((outcome.crash, steps))


def _prompt(outcome: Outcome) -> str:
    asks = [a for a in outcome.last if isinstance(a, Ask)]
    return asks[-1].text if asks else ""


def _accepted(node: Node, outcome: Outcome) -> bool:
    """An entry was taken when the call moved on to a question not yet on this path."""
    return not outcome.crash and not outcome.errors and (
        outcome.ended or outcome.state not in node.trail)


class Explorer:
    """Walks the dialog graph with a runner.

    Args:
        runner: runs batches of paths through real sessions.
        packs: the language packs the sessions use.
        languages: explore only these languages past the language choice (None: all).
        max_depth: the most caller turns on a path.
    """

    def __init__(self, runner: Runner, packs: Mapping[str, LanguagePack],
                 languages: Iterable[str] | None = None, max_depth: int = MAX_DEPTH) -> None:
        self.runner = runner
        self.packs = packs
        self.languages = set(languages) if languages is not None else set(packs)
        self.max_depth = max_depth
        self._sign_in = dict(zip(SIGN_IN_PROMPTS, demo_sign_in(), strict=True))
        self._tried: set[tuple[str, str]] = set()
        """(language, prompt key) already tried in every modality."""
        self._values: dict[str, str] = {}
        """Prompt key -> a digit entry the session took there."""

    def explore(self) -> Graph:
        graph = Graph()
        root = self.runner.run([Job(())])[0]
        graph.observe(root, ())
        frontier = [Node((), (), (root.state,), "", root)]
        while frontier:
            fresh = self._admit(graph, frontier)
            entries = self._entries(fresh)
            frontier = self._expand(graph, fresh, entries)
        return graph

    def _admit(self, graph: Graph, frontier: list[Node]) -> list[Node]:
        """The nodes of this level that are new questions, recorded as states."""
        fresh = []
        for node in frontier:
            outcome = node.outcome
            if outcome.ended or outcome.expect is None:
                continue
            if node.events and outcome.lang not in self.languages:
                continue
            if node.key in graph.states:
                continue
            if len(node.events) >= self.max_depth:
                graph.not_explored.append((outcome.lang, outcome.state, node.steps))
                continue
            graph.states[node.key] = State(outcome.lang, outcome.state, node.key[2],
                                           outcome.expect, _prompt(outcome), node.events,
                                           node.steps)
            fresh.append(node)
        return fresh

    def _candidates(self, expect: Expectation, state: str, known_first: bool) -> list[str]:
        if state in self._sign_in:
            return [self._sign_in[state]]
        if known_first and state in self._values:
            return [self._values[state]]
        candidates = list(entry_candidates(expect, AUDIT_DAY))
        if expect.secret:
            candidates.sort(key=lambda value: -min(len(value), 16))
        return candidates

    def _entries(self, nodes: list[Node]) -> dict[int, str | None]:
        """For each digit-entry node (by position): the first value the session takes.

        A value already taken at the same prompt elsewhere is tried alone first; only
        where it is refused are the other candidates tried.
        """
        entries: dict[int, str | None] = {}
        pending = [p for p, node in enumerate(nodes)
                   if node.outcome.expect is not None and node.outcome.expect.kind == "digits"]
        for known_first in (True, False):
            jobs: list[Job] = []
            tried: list[tuple[int, str]] = []
            retry = []
            for position in pending:
                node = nodes[position]
                expect, state = node.outcome.expect, node.outcome.state
                if expect is None:
                    continue
                if known_first and state in self._values and state not in self._sign_in:
                    retry.append(position)
                for value in self._candidates(expect, state, known_first):
                    keypad = entry_moves(expect, self.packs[node.outcome.lang], value)[1]
                    jobs.append(Job((*node.events, keypad.event)))
                    tried.append((position, value))
            for (position, value), outcome in zip(tried, self.runner.run(jobs), strict=True):
                if entries.get(position) is None and _accepted(nodes[position], outcome):
                    entries[position] = value
                    self._values.setdefault(nodes[position].outcome.state, value)
            pending = [p for p in retry if entries.get(p) is None]
        return entries

    def _moves(self, node: Node, entry: str | None, every_modality: bool) -> list[Move]:
        expect = node.outcome.expect
        if expect is None:
            return []
        pack = self.packs[node.outcome.lang]
        if expect.kind == "digits":
            moves = entry_moves(expect, pack, entry) if entry is not None else []
        else:
            moves = option_moves(expect, pack)
        if every_modality:
            return moves
        best: dict[str, Move] = {}
        for move in moves:
            held = best.get(move.option)
            if held is None or _rank(move) < _rank(held):
                best[move.option] = move
        return list(best.values())

    def _expand(self, graph: Graph, nodes: list[Node],
                entries: dict[int, str | None]) -> list[Node]:
        """Try every move at every node; the next level's nodes."""
        jobs: list[Job] = []
        tried: list[tuple[Node, Move]] = []
        for position, node in enumerate(nodes):
            entry = entries.get(position)
            if entry is not None:
                graph.states[node.key] = replace(graph.states[node.key], entry=entry)
            lang, prompt_key, _ = node.key
            first = (lang, prompt_key) not in self._tried
            self._tried.add((lang, prompt_key))
            for move in self._moves(node, entry, every_modality=first):
                jobs.append(Job((*node.events, move.event)))
                tried.append((node, move))
        outcomes = self.runner.run(jobs)
        chosen: dict[tuple[int, str], tuple[Move, Node]] = {}
        for (node, move), outcome in zip(tried, outcomes, strict=True):
            steps = (*node.steps, move.describe())
            graph.observe(outcome, steps)
            graph.edges.append(Edge(node.outcome.lang, node.outcome.state, node.key[2],
                                    move.option, move.modality, move.describe(),
                                    outcome.reached, outcome.errors, steps))
            expect = node.outcome.expect
            context = (move.option if expect is not None and expect.kind == "intent"
                       else node.context)
            child = Node((*node.events, move.event), steps,
                         (*node.trail, outcome.state), context, outcome)
            slot = (id(node), move.option)
            best = chosen.get(slot)
            if best is None or _rank(move) < _rank(best[0]):
                chosen[slot] = (move, child)
        return [child for _, child in chosen.values()]
