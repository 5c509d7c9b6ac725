"""A live run: check where the typed tables stand, then play the world's events after that
instant, each as one transaction with the run's progress in it, until T1 or a stop request.

Start: ecom_synth_build_state (written by `dbt build`) says which world and instant the tables
hold; that world must be the generator options' world, and T0 is that instant. A run that was
stopped left its last event in ecom_synth_live_state; when the build state still carries live
mode's mark (no dbt build since), the run goes on after that event. After the last event of an
instant, the build state's as-of moves to that instant, so a later `dbt build` of the same world
at a later as-of updates the tables in place.
"""

from __future__ import annotations

import datetime as dt
import resource
import threading
import time
from collections import Counter
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from pathlib import Path

from seeds_gen.command_line import EXIT_USAGE
from seeds_gen.config import GeneratorConfig
from seeds_gen.live.changelog import ChangeLog
from seeds_gen.live.database import Database, EventRefused, LiveError
from seeds_gen.live.events import Event, events
from seeds_gen.live.pacing import Pace, Pacer, Progress
from seeds_gen.live.sql import BUILD_STATE_TABLE, LIVE_STATE_TABLE, EventRenderer
from seeds_gen.live.windows import WindowMaker, window_bounds
from seeds_gen.schema import TABLE_NAMES
from seeds_gen.timeline import TIMESTAMP_FORMAT

# A window's change set costs one generator run (~3 s at the default scale for a week, ~3.3 s for
# 30 days, ~20k events): long windows keep the generator ahead of --speed max.
DEFAULT_WINDOW_DAYS = 30.0
# At --speed max, events sent per round trip (each still its own transaction).
BATCH_EVENTS = 32


@dataclass(frozen=True)
class LiveOptions:
    config: GeneratorConfig
    world: str
    since: dt.datetime | None  # --from: must be the instant the tables hold
    until: dt.datetime | None  # --until (default: the window's end)
    pace: Pace
    also_changes: Path | None = None
    window_days: float = DEFAULT_WINDOW_DAYS
    progress_every: float = 2.0


@dataclass
class LiveResult:
    since: str
    until: str
    resumed_after: tuple[str, int] | None
    events: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0
    stopped: bool = False
    finished: bool = False
    last: tuple[str, int] | None = None

    @property
    def rate(self) -> float:
        return self.events / self.seconds if self.seconds > 0 else 0.0


def _text(instant: dt.datetime) -> str:
    return instant.strftime(TIMESTAMP_FORMAT)


@dataclass(frozen=True)
class StartPoint:
    held_as_of: str  # what the build state says the tables hold
    after: tuple[str, int] | None  # resume after this event (mid-instant), if any
    events_before: int


def start_point(db: Database, options: LiveOptions) -> StartPoint:
    """Where the tables stand, or why the run cannot start (one line, nothing applied)."""
    columns = db.columns()
    missing = [t for t in TABLE_NAMES if t not in columns]
    if missing:
        raise LiveError(f"{db.where}, schema {db.schema}: no typed table {', '.join(missing)}; "
                        "build them first (python -m seeds_gen --as-of T0 ... && dbt build "
                        f"--target <target>)")
    if BUILD_STATE_TABLE not in columns:
        raise LiveError(f"{db.where}, schema {db.schema}: no {BUILD_STATE_TABLE}, so which "
                        "world and instant the tables hold is unknown; build them with this "
                        "project's dbt build (python -m seeds_gen --as-of T0 ... && dbt build)")
    state = db.build_state()
    unrecorded = [t for t in TABLE_NAMES if t not in state]
    if unrecorded:
        raise LiveError(f"{BUILD_STATE_TABLE} has no record of {', '.join(unrecorded)}; "
                        "dbt build every table of one dataset first")
    worlds = {state[t][0] for t in TABLE_NAMES}
    if worlds != {options.world}:
        held = ", ".join(sorted(w[:12] for w in worlds))
        raise LiveError(f"the tables in {db.schema} hold another world ({held}) than the "
                        f"generator options give ({options.world[:12]}); pass the options they "
                        "were generated with (--seed, --scale, --rows, --start, --end, --locale, "
                        "--config)")
    as_ofs = {state[t][1] for t in TABLE_NAMES}
    if len(as_ofs) > 1:
        raise LiveError(f"the tables in {db.schema} hold different instants "
                        f"({', '.join(sorted(as_ofs))}); dbt build them together first")
    held = as_ofs.pop()
    if options.since is not None and _text(options.since) != held:
        raise LiveError(f"--from {_text(options.since)}: the tables hold the shop as of {held}; "
                        "a run starts there (omit --from, or dbt build the dataset as of "
                        f"{_text(options.since)} first)")
    after: tuple[str, int] | None = None
    events_before = 0
    if LIVE_STATE_TABLE in columns:
        live = db.live_state()
        built_by_live = all(state[t][2] == "live" for t in TABLE_NAMES)
        if live is not None and live[0] == options.world and built_by_live and live[1] > held:
            after = (live[1], live[2])
        if live is not None and live[0] == options.world and built_by_live:
            events_before = live[3]
    return StartPoint(held, after, events_before)


def _until(options: LiveOptions) -> dt.datetime:
    end = dt.datetime.combine(options.config.end, dt.time())
    until = options.until or end
    if until > end:
        raise LiveError(f"--until {_text(until)} is after the world's window, which ends at "
                        f"{_text(end)}")
    return until


def play(db: Database, options: LiveOptions, say: Callable[[str], None],
         stop: threading.Event) -> LiveResult:
    """The whole run. Raises LiveError (nothing applied when raised before the first event)."""
    db.lock()
    start = start_point(db, options)
    until = _until(options)
    since = dt.datetime.strptime(start.held_as_of, TIMESTAMP_FORMAT)
    if until <= since:
        raise LiveError(f"--until {_text(until)} is not after the instant the tables hold "
                        f"({start.held_as_of}); nothing to play", EXIT_USAGE)
    renderer = EventRenderer(db.dialect, db.schema, db.columns())
    db.ensure_live_state()
    result = LiveResult(start.held_as_of, _text(until), start.after)
    position = start.after or (start.held_as_of, -1)
    db.start_live_state(options.world, *position, start.events_before)
    say(f"Live on {db.where}, schema {db.schema}: the tables hold {start.held_as_of}"
        + (f", resuming after event {start.after[1]} of {start.after[0]}" if start.after else "")
        + f"; playing to {_text(until)} at {options.pace.describe()}")

    maker = WindowMaker(options.config, options.world)
    changelog = ChangeLog(options.also_changes) if options.also_changes else None
    stream = _events_after(maker, since, until, options, position)
    pacer: Pacer | None = None
    progress = Progress(say, options.progress_every)
    batch = Batch(db, renderer, options.world, changelog, result)
    started = time.monotonic()
    try:
        pending = next(stream, None)
        started = time.monotonic()  # events/s from the first event: the first window is made
        while pending is not None and not stop.is_set():
            event = pending
            pending = next(stream, None)
            if pacer is None:
                pacer = Pacer(options.pace, event.at, stop)
            if not pacer.wait(event.at):
                break
            batch.add(event, instant_done=pending is None or pending.at != event.at)
            # at max speed, several events (each its own transaction) per round trip
            if not options.pace.is_max or len(batch) >= BATCH_EVENTS or pending is None:
                batch.send()
                progress.tick(event.at, result.events, pacer.lag)
        batch.send()
        if pending is None and not stop.is_set():
            # no event in (last event, T1]: the tables hold the shop as of T1
            db.transaction(renderer.finish_sql(_text(until), options.world))
            result.finished = True
        else:
            batch.record_held()
    finally:
        maker.close()
        stream.close()
        if changelog is not None:
            changelog.close()
        result.seconds = time.monotonic() - started
    result.stopped = stop.is_set()
    return result


class Batch:
    """Events waiting to be sent, each with its own transaction, in one round trip. The build
    state's as-of follows the completed instants at most once a second (and at the end): a
    later as-of than the tables hold is never written, an earlier one only makes a later dbt
    build merge rows it already has."""

    def __init__(self, db: Database, renderer: EventRenderer, world: str,
                 changelog: ChangeLog | None, result: LiveResult,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.db, self.renderer, self.world = db, renderer, world
        self.changelog, self.result, self.clock = changelog, result, clock
        self.events: list[Event] = []
        self.scripts: list[list[str]] = []
        self.held: str | None = None  # the last completed instant
        self.recorded: str | None = None  # the as-of the build state says
        self.last_record = clock()

    def __len__(self) -> int:
        return len(self.events)

    def add(self, event: Event, instant_done: bool) -> None:
        record = instant_done and self.clock() - self.last_record >= 1.0
        if instant_done:
            self.held = event.at
        if record:
            self.recorded, self.last_record = event.at, self.clock()
        self.events.append(event)
        self.scripts.append([*self.renderer.statements(event),
                             *self.renderer.progress_sql(event, self.world, record)])

    def send(self) -> None:
        if not self.events:
            return
        try:
            self.db.transactions(self.scripts)
            applied = self.events
        except EventRefused as exc:
            # the transactions before the refused one committed: the live state says which
            state = self.db.live_state()
            done = (state[1], state[2]) if state else ("", -1)
            applied = [e for e in self.events if e.position <= done]
            refused = self.events[len(applied)]
            self._applied(applied)
            raise LiveError(f"{self.db.where} refused the {refused.kind} at {refused.at} (event "
                            f"{refused.seq} of that instant): {exc}; it was rolled back, the "
                            "tables hold every event before it", 1) from None
        self._applied(applied)

    def _applied(self, applied: list[Event]) -> None:
        for event in applied:
            if self.changelog is not None:
                self.changelog.write(event)
            self.result.events += 1
            self.result.kinds[event.kind] += 1
            self.result.last = event.position
        self.events, self.scripts = [], []

    def record_held(self) -> None:
        """At a stop: the build state says the last completed instant."""
        if self.held is not None and self.held != self.recorded:
            self.db.transaction(self.renderer.held_sql(self.held, self.world))
            self.recorded = self.held


def _events_after(maker: WindowMaker, since: dt.datetime, until: dt.datetime,
                  options: LiveOptions, after: tuple[str, int]) -> Generator[Event, None, None]:
    for window in maker.windows(window_bounds(since, until, options.window_days)):
        for event in events(window.folder, options.config.start):
            if event.position > after:
                yield event


def summary(result: LiveResult) -> list[str]:
    """The closing table: events per kind, the rate, and peak memory (this process; the
    generator runs of the windows, each a child process)."""
    lines = [f"{'event':<14}{'applied':>10}"]
    for kind, count in sorted(result.kinds.items(), key=lambda kv: -kv[1]):
        lines.append(f"{kind:<14}{count:>10,}")
    lines.append(f"{'total':<14}{result.events:>10,}  in {result.seconds:.1f} s "
                 f"({result.rate:,.0f} events/s)")
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    lines.append(f"peak memory: {own:,.0f} MB (this process), {children:,.0f} MB (generator "
                 "of the change-set windows)")
    return lines


def describe_stop(result: LiveResult) -> str:
    where = (f"after event {result.last[1]} of {result.last[0]}" if result.last
             else "before its first event")
    return f"stopped {where}; the same command goes on from there"
