"""Single flight: work for a key done once at a time. The first caller for a key leads (does
the work); callers that come while it runs join its flight and share its result. The render
cache uses it for renders, the tile fetcher for tiles."""

from __future__ import annotations

import threading
from concurrent.futures import Future, InvalidStateError
from dataclasses import dataclass, field
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


@dataclass
class Flight(Generic[V]):
    """One piece of work in progress; joiners may extend its deadline (time.monotonic())."""

    future: Future[V] = field(default_factory=Future)
    deadline: float = float("inf")
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def extend(self, deadline: float) -> None:
        with self._lock:
            self.deadline = max(self.deadline, deadline)


class SingleFlight(Generic[K, V]):
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._flights: dict[K, Flight[V]] = {}

    def lead_or_join(self, key: K, deadline: float = float("inf")) -> tuple[Flight[V], bool]:
        """The flight for ``key`` and whether the caller leads it (starts the work)."""
        with self._lock:
            flight = self._flights.get(key)
            if flight is not None:
                flight.extend(deadline)
                return flight, False
            flight = self._flights[key] = Flight(deadline=deadline)
            return flight, True

    def land(self, key: K, flight: Flight[V], value: V) -> None:
        """The leader's result, for every joiner; the key is free for new work."""
        self._end(key, flight)
        _settle(flight.future, value, None)

    def crash(self, key: K, flight: Flight[V], error: BaseException) -> None:
        """The leader's failure, raised to every joiner."""
        self._end(key, flight)
        _settle(flight.future, None, error)

    def land_all(self, value: V) -> None:
        """End every flight with ``value`` (nobody will do their work any more)."""
        with self._lock:
            flights, self._flights = self._flights, {}
        for flight in flights.values():
            _settle(flight.future, value, None)

    def _end(self, key: K, flight: Flight[V]) -> None:
        with self._lock:
            if self._flights.get(key) is flight:
                del self._flights[key]


def _settle(future: Future[V], value: V | None, error: BaseException | None) -> None:
    try:
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(value)  # type: ignore[arg-type]
    except InvalidStateError:  # already settled (land_all at close, then the leader lands)
        pass
