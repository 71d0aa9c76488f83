"""Run batches on a Ray cluster through Ray Data (the optional extra `fawen[ray]`).

The driver reads the input (so resuming works the same as in the other modes) and hands Ray Data windows of
batches; a Ray Data task checks one batch through fawen.service. Ray reuses its worker processes across tasks,
so each worker opens the corpus once, memory-mapped from its FAWEN_HOME (the same path on every node), in a
warm-up task before the first batch.
"""

from __future__ import annotations

import logging
import pickle
from collections.abc import Iterable, Iterator
from typing import Any

from fawen.archive.work import Batch, BatchResult, Settings, check_batch, fawen_env, warm_up
from fawen.errors import BadInput

WINDOW = 8   # batches per worker in one Ray Data window: enough to keep workers busy, little to buffer


class RayEngine:
    """`address` is 'local' (start Ray on this machine with `workers` CPUs), 'auto' (the cluster Ray finds:
    RAY_ADDRESS or one started with `ray start`, else a new local one) or a cluster address."""

    mode = "ray"

    def __init__(self, address: str, workers: int) -> None:
        try:
            import ray
        except ImportError:
            raise BadInput("Ray 未安装 (Ray is not installed): pip install 'fawen[ray]'") from None
        self.ray = ray
        runtime_env = {"env_vars": fawen_env()}
        options: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False,
                                   "logging_level": logging.WARNING, "runtime_env": runtime_env}
        try:
            if address == "local":
                ray.init(address="local", num_cpus=workers, **options)
            else:
                ray.init(address=None if address == "auto" else address, **options)
        except Exception as exc:   # Ray raises many kinds (ConnectionError, RuntimeError, ValueError …)
            raise BadInput(f"无法启动或连接 Ray (cannot start or reach Ray at {address}): {exc}") from None
        cpus = int(ray.cluster_resources().get("CPU", 1))  # type: ignore[no-untyped-call]
        self.workers = workers if address == "local" else max(cpus, 1)
        from ray.data import DataContext

        context = DataContext.get_current()
        context.enable_progress_bars = False
        context.execution_options.preserve_order = True
        logging.getLogger("ray.data").setLevel(logging.WARNING)
        self._warm_up()

    def _warm_up(self) -> None:
        """One task per worker that loads the corpus: Ray keeps those worker processes for the batches after."""
        import ray.data

        ray.data.from_items([{"worker": i} for i in range(self.workers)], override_num_blocks=self.workers) \
            .map_batches(_warm_up, batch_size=1, num_cpus=1, compute=ray.data.TaskPoolStrategy(size=self.workers)) \
            .materialize()

    def run(self, batches: Iterable[Batch], settings: Settings) -> Iterator[BatchResult]:
        import ray.data

        source = iter(batches)
        while True:
            window = [b for _, b in zip(range(WINDOW * self.workers), source)]
            if not window:
                return
            items = [{"index": index, "payload": pickle.dumps((pages, settings))} for index, pages in window]
            dataset = ray.data.from_items(items, override_num_blocks=len(items)).map_batches(
                _check_rows, batch_size=1, batch_format="numpy", num_cpus=1,
                compute=ray.data.TaskPoolStrategy(size=self.workers))
            results = {}
            expected = window[0][0]
            for row in dataset.iter_rows():
                result = pickle.loads(row["result"])
                results[result.index] = result
                while expected in results:
                    yield results.pop(expected)
                    expected += 1

    def close(self) -> None:
        """Disconnect; a local Ray instance this engine started stops with it (its workers too)."""
        if self.ray.is_initialized():
            self.ray.shutdown()


def _warm_up(batch: dict[str, Any]) -> dict[str, Any]:
    warm_up()
    return batch


def _check_rows(batch: dict[str, Any]) -> dict[str, Any]:
    """A Ray Data task: check each pickled batch of the block; return the pickled results."""
    import numpy as np

    indices = [int(i) for i in batch["index"]]
    results = []
    for index, payload in zip(indices, batch["payload"]):
        pages, settings = pickle.loads(payload)
        results.append(pickle.dumps(check_batch(index, pages, settings)))
    return {"index": np.array(indices), "result": np.array(results, dtype=object)}
