"""Renders run in a small pool of worker processes, each bounded in wall-clock time and memory.

The cost model (checked by the schemas) refuses what it knows to be expensive; this is the
backstop for when the model is wrong. A render that runs past ``timeout`` seconds is killed
with its process and the process replaced; one that outgrows its memory allowance (an
address-space limit set in the worker) fails with ``MemoryError`` or dies. Either way the
request gets :class:`RenderOverrun` (a 503 with ``Retry-After``), and the overrun is logged
with the request's cost estimate so that the model can be corrected.

Workers are forked from a forkserver that has imported the renderers once, so a replaced
worker is ready in milliseconds. Expensive renders may hold at most all processes but one,
so a cheap chart never waits behind heavy ones.

The pool is one per process (every app in it shares it) and starts on first use.
"""

from __future__ import annotations

import atexit
import importlib
import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import CancelledError
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from typing import Any

from api.settings import Settings

log = logging.getLogger(__name__)

# Renders estimated above this many milliseconds may not take the last free worker.
HEAVY_MS = 250.0


class RenderOverrun(Exception):
    """A render that exceeded its time or memory, or whose worker died."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class RenderJob:
    """A render to run: ``function(*args)``, where ``function`` is a module-level function or
    its name as ``"module:function"`` (sent to the worker by name, so the web process need not
    import the renderer); its output must be picklable."""

    function: Callable[..., Any] | str
    args: tuple[Any, ...]
    cost_ms: float = 0.0  # the cost model's estimate
    label: str = field(default="", compare=False)  # what to log on overrun (the query)

    def run_here(self) -> Any:
        return call(self.function, self.args)

    def labelled(self, label: str) -> RenderJob:
        return RenderJob(self.function, self.args, self.cost_ms, label)


@dataclass(frozen=True)
class PoolConfig:
    processes: int  # 0: render in the calling thread, unbounded (debugging only)
    timeout: float  # seconds a render may run
    memory_bytes: int  # address space a worker may add to what it has after start-up
    queue_timeout: float  # seconds a request may wait for a free worker
    heavy_ms: float  # estimated cost from which a render counts as expensive
    preload: tuple[str, ...] = ()  # modules the forkserver imports once, for every worker


def call(function: Callable[..., Any] | str, args: tuple[Any, ...]) -> Any:
    """``function(*args)``, importing a function given by name first."""
    if isinstance(function, str):
        module, _, name = function.partition(":")
        named: Callable[..., Any] = getattr(importlib.import_module(module), name)
        return named(*args)
    return function(*args)


def _init_worker(memory_bytes: int) -> None:
    """In each new worker: its memory allowance."""
    import resource

    if memory_bytes > 0:
        used = _address_space()
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        limit = used + memory_bytes
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _address_space() -> int:
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):  # not Linux: no allowance can be measured
        return 0


class RenderPool:
    """Runs :class:`RenderJob`\\ s in bounded worker processes (see the module's docstring)."""

    def __init__(self, config: PoolConfig) -> None:
        self.config = config
        self._lock = threading.Lock()
        self._pool: Any = None
        heavy_slots = max(1, config.processes - 1)
        self._heavy = threading.BoundedSemaphore(heavy_slots)

    def start(self) -> None:
        """Start the workers now (returns at once; they boot and warm up in the background,
        while the app is built, rather than on the first request)."""
        if self.config.processes > 0:
            threading.Thread(target=self._boot, name="render-pool-boot", daemon=True).start()

    def _boot(self) -> None:
        # pebble starts a pool's processes when its first task is scheduled, and starting
        # them waits for the forkserver's imports: a no-op task, in this thread, is that first one.
        try:
            self._get_pool().schedule(call, args=("os:getpid", ()))
        except Exception:  # the first render starts the pool again, and reports what fails
            with self._lock:
                closed = self._pool is None  # closed while it booted (a short-lived app)
            if not closed:
                log.exception("the render pool did not start")

    def _get_pool(self) -> Any:
        with self._lock:
            if self._pool is None:
                from pebble import ProcessPool

                context = _context(self.config.preload)
                self._pool = ProcessPool(
                    max_workers=self.config.processes,
                    initializer=_init_worker,
                    initargs=(self.config.memory_bytes,),
                    context=context,
                )
            return self._pool

    def run(self, job: RenderJob) -> Any:
        if self.config.processes <= 0:
            try:
                return job.run_here()
            except (MemoryError, OverflowError):
                self._overrun(job, "memory", "the render ran out of memory or of Agg's cell blocks")
        heavy = job.cost_ms >= self.config.heavy_ms
        waited = time.monotonic()
        if heavy and not self._heavy.acquire(timeout=self.config.queue_timeout):
            self._overrun(job, "busy", "no worker became free in time")
        try:
            return self._run(job, self.config.queue_timeout - (time.monotonic() - waited))
        finally:
            if heavy:
                self._heavy.release()

    def _run(self, job: RenderJob, queue_left: float) -> Any:
        from pebble import ProcessExpired

        future = self._get_pool().schedule(call, args=(job.function, job.args), timeout=self.config.timeout)
        try:
            return future.result(timeout=max(queue_left, 0.0) + self.config.timeout)
        except FutureTimeout:
            # pebble's own timeout (the render ran too long: the worker was killed), or ours
            # (it never started): either way the request is not waited on any longer.
            future.cancel()
            self._overrun(job, "time", f"the render took longer than {self.config.timeout:g} s")
        except (MemoryError, OverflowError):
            # OverflowError: Agg's "Exceeded cell block limit", a path too complex to fill.
            self._overrun(job, "memory", "the render needed more memory than it is allowed")
        except (ProcessExpired, CancelledError) as exc:
            self._overrun(job, "crash", f"the render's worker process ended ({exc})")
        raise AssertionError("unreachable")  # pragma: no cover

    def _overrun(self, job: RenderJob, reason: str, message: str) -> None:
        log.warning(
            "render overrun (%s): %s; estimated cost %.0f ms; request %s",
            reason,
            message,
            job.cost_ms,
            job.label or "-",
        )
        raise RenderOverrun(reason)

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.stop()
            pool.join(timeout=5)


def _context(preload: tuple[str, ...]) -> Any:
    """A forkserver where the platform has one (workers forked from a clean process that
    imported the renderers once); spawn elsewhere."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(list(preload))
        return context
    return multiprocessing.get_context("spawn")


def pool_config(settings: Settings, preload: tuple[str, ...] = ()) -> PoolConfig:
    processes = settings.render_processes or max(2, os.cpu_count() or 1)
    return PoolConfig(
        processes=processes if settings.render_isolation else 0,
        timeout=settings.render_timeout,
        memory_bytes=settings.render_memory_mb * 1024 * 1024,
        queue_timeout=settings.render_queue_timeout,
        heavy_ms=HEAVY_MS,
        preload=preload,
    )


_POOLS: dict[PoolConfig, RenderPool] = {}
_POOLS_LOCK = threading.Lock()


def shared_pool(config: PoolConfig) -> RenderPool:
    """The process's pool for ``config`` (apps with the same settings share one)."""
    with _POOLS_LOCK:
        pool = _POOLS.get(config)
        if pool is None:
            pool = _POOLS[config] = RenderPool(config)
        return pool


@atexit.register
def _close_all() -> None:
    with _POOLS_LOCK:
        pools = list(_POOLS.values())
    for pool in pools:
        pool.close()
