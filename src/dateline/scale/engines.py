"""The two engines that run ``work.process_unit`` over units: a process pool and Ray Data.

Both hand every ``UnitResult`` and ``InputEnd`` to the same sink (the runner),
which writes Parquet and the manifest in the driver, so the engines differ only
in where ``process_unit`` runs.
"""

from __future__ import annotations

import logging
import multiprocessing
import pickle
import warnings
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from typing import Any

from ..errors import InputError
from ..pipeline import Options
from .work import InputEnd, UnitResult, WorkUnit, process_unit, read_units, warm_up

log = logging.getLogger(__name__)

ENGINES = ("local", "ray")
READERS_PER = 32  # analysers per concurrent input reader in Ray runs
Sink = Callable[[UnitResult | InputEnd], None]
DoneFn = Callable[[str], set[int]]  # input id -> unit indexes already finished


def run_local(inputs: list[str], done: DoneFn, sink: Sink, *, batch_size: int, workers: int,
              options: Options | None = None) -> None:
    """A ``ProcessPoolExecutor`` of ``workers`` processes, each loading spaCy once (its initializer).

    ``workers=0`` runs the units in this process (debugging, tests): same function, no pool.
    """
    from .work import input_id

    if workers == 0:
        for arg in inputs:
            for item in read_units(arg, batch_size, done(input_id(arg))):
                sink(item if isinstance(item, InputEnd) else process_unit(item, options))
        return

    # spawn: a clean interpreter per worker, safe even when the parent has started threads (Ray, a web server).
    ctx = multiprocessing.get_context("spawn")
    limit = 2 * workers  # units in flight: keeps the pool busy without reading a whole WARC into memory
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=warm_up,
                             initargs=(options,)) as pool:
        inflight: set[Future] = set()

        def drain(until: int) -> None:
            nonlocal inflight
            while len(inflight) > until:
                finished, inflight = wait(inflight, return_when=FIRST_COMPLETED)
                for fut in finished:
                    sink(fut.result())

        for arg in inputs:
            for item in read_units(arg, batch_size, done(input_id(arg))):
                if isinstance(item, InputEnd):
                    sink(item)
                    continue
                drain(limit - 1)
                inflight.add(pool.submit(process_unit, item, options))
        drain(0)


# -- Ray Data -------------------------------------------------------------------

def _read_batches(batch: dict[str, Any], batch_size: int) -> Iterator[dict[str, Any]]:
    """Ray Data UDF (generator): each input row becomes its units, one output row per unit."""
    import numpy as np

    for arg, done in zip(batch["arg"], batch["done"]):
        for item in read_units(str(arg), batch_size, {int(i) for i in done}):
            yield {"payload": np.array([pickle.dumps(item, protocol=5)], dtype=object)}


class UnitAnalyzer:
    """Ray Data callable class: spaCy is loaded once per actor, then every unit it receives is processed."""

    def __init__(self, options: Options | None = None):
        self.options = options
        warm_up(options)

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        import numpy as np

        out = []
        for payload in batch["payload"]:
            item = pickle.loads(payload)
            if isinstance(item, WorkUnit):
                item = process_unit(item, self.options)
            out.append(pickle.dumps(item, protocol=5))
        return {"payload": np.array(out, dtype=object)}


def run_ray(inputs: list[str], done: DoneFn, sink: Sink, *, batch_size: int, workers: int,
            address: str | None = None, options: Options | None = None) -> None:
    """Ray Data: inputs -> units (a generator task) -> ``UnitAnalyzer`` actors -> the driver's sink."""
    try:
        import ray
        import ray.data
    except ImportError as exc:
        raise InputError("--engine ray needs Ray Data: pip install 'dateline[scale]' (ray[data])") from exc
    from .work import input_id

    started_here = False
    if not ray.is_initialized():
        kw: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False, "logging_level": logging.WARNING}
        if address:
            kw["address"] = address
        else:
            kw["num_cpus"] = workers
        ray.init(**kw)
        started_here = True
    try:
        ctx = ray.data.DataContext.get_current()
        saved = (ctx.enable_progress_bars, ctx.target_max_block_size)
        ctx.enable_progress_bars = False
        # One unit per block: otherwise the reader's output is packed into large blocks and a single
        # actor would receive a whole WARC's units.
        ctx.target_max_block_size = 64 * 1024
        items = [{"arg": arg, "done": sorted(done(input_id(arg)))} for arg in inputs]
        ds = ray.data.from_items(items, override_num_blocks=max(1, len(items)))
        # Readers take no CPU slot (every core goes to an analyser) but are capped in number: without a
        # slot, Ray would start one per input at once. One WARC reader feeds hundreds of analysers.
        readers = ray.data.TaskPoolStrategy(size=max(1, min(len(items), -(-workers // READERS_PER))))
        ds = ds.map_batches(_read_batches, batch_size=1, fn_kwargs={"batch_size": batch_size}, num_cpus=0,
                            compute=readers)
        ds = ds.map_batches(UnitAnalyzer, batch_size=1, fn_constructor_kwargs={"options": options},
                            compute=ray.data.ActorPoolStrategy(size=workers), num_cpus=1)
        try:
            with warnings.catch_warnings():
                # Ray sizes the actor pool from the planned inputs (one per file) and warns that it is
                # too big; the reader's generator then yields one block per unit, which feeds every actor.
                warnings.filterwarnings("ignore", message="The minimum number of concurrent actors",
                                        category=UserWarning)
                for row in ds.iter_rows():
                    sink(pickle.loads(row["payload"]))
        finally:
            ctx.enable_progress_bars, ctx.target_max_block_size = saved
    finally:
        if started_here:
            ray.shutdown()
