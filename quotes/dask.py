"""The Dask engine: the same extraction, on the workers of a Dask cluster.

This module owns running `Extractor.pipe_docs` on Dask workers. Each worker
process loads the pipeline once (`worker_extractor`, kept for the life of the
process) and extracts partitions of documents exactly as a forked
`--n-process` worker does: `pipe_docs(..., n_process=1)` over the partition,
records sent back as plain dicts. Two ways in:

* `DaskEngine`, for `quotes extract --engine dask`: the client reads the
  documents, submits partitions in order with a bounded number in flight (so
  memory stays flat on any corpus) and yields records in input order, the
  same records as a local run;
* `extract_bag(bag)`, for a Dask user's own pipeline: a `dask.bag.Bag` of
  documents in, a bag of record dicts out.

Without a scheduler address a `LocalCluster` of worker processes starts on
this machine. Rules and registry paths are read by the workers, so on a
remote cluster they must exist there too (the packaged rules always do).
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from .extractor import Extractor, batched, doc_id_of
from .records import Quote
from .rules import Rules, load_rules

C = TypeVar("C")
log = logging.getLogger(__name__)

PARTITION_DOCS = 32
"""Documents per task the client submits. Each Dask task costs the client, the
scheduler and the worker some milliseconds of their own: with 8 short articles
per task that overhead was about a sixth of the CPU on two cores. 32 keep it small,
and are still small enough to keep every worker busy to the end of a corpus
whose articles differ in length."""

IN_FLIGHT_PER_WORKER = 4
"""Tasks submitted and not yet collected, per worker: bounds the client's memory."""

LOCAL_CLUSTER_CONFIG: dict[str, Any] = {
    # Dask starts workers with MALLOC_TRIM_THRESHOLD_=65536, so glibc hands
    # freed heap back to the OS after every batch and the worker faults it in
    # again for the next one: an eighth more CPU per document, spent in the
    # kernel. glibc's own adaptive threshold keeps a worker's steady heap.
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
    # The statistical profiler samples the worker's stack 100 times a second
    # and keeps a profile per second for the last 1,000 seconds: CPU taken
    # from the extraction, and memory that grows with the length of the run.
    "distributed.worker.profile.enabled": False,
}
"""Dask settings for the LocalCluster `DaskEngine` starts (a cluster given by its
scheduler address runs with its own settings)."""


class EngineError(RuntimeError):
    """The cluster cannot be reached, or its workers cannot load the pipeline."""


@dataclass(frozen=True)
class EngineConfig:
    """What a worker needs to build its Extractor (hashable: one Extractor per config)."""

    model: str | None = None
    rules_dir: str | None = None
    experts: str | None = None
    replace_experts: bool = False
    ner: bool = True
    batch_size: int = 32

    def check(self) -> Rules:
        """Validate the rules here, before any worker starts (raises RulesError); the rules."""
        return load_rules(self.rules_dir, self.experts, self.replace_experts)


_EXTRACTORS: dict[EngineConfig, tuple[Extractor, threading.Lock]] = {}
_LOADING = threading.Lock()


def worker_extractor(config: EngineConfig) -> tuple[Extractor, threading.Lock]:
    """This process's Extractor for `config`, loaded on first use, and the lock that
    keeps two threads of one worker off the same pipeline."""
    with _LOADING:
        if config not in _EXTRACTORS:
            extractor = Extractor(model=config.model, rules_dir=config.rules_dir, experts=config.experts,
                                  replace_experts=config.replace_experts, ner=config.ner)
            _EXTRACTORS[config] = (extractor, threading.Lock())
        return _EXTRACTORS[config]


def load_on_worker(config: EngineConfig) -> str:
    """Load the pipeline on a worker ahead of the first partition; the model's label."""
    return worker_extractor(config)[0].model


def extract_partition(items: list[tuple[str, str | None]], config: EngineConfig) -> list[list[Quote] | None]:
    """The records of each (text, doc_id); None where extraction failed.

    Records travel back pickled, as from a forked `--n-process` worker, so the
    client does not validate them a second time.
    """
    extractor, lock = worker_extractor(config)
    with lock:
        return [records for records, _ in
                extractor.pipe_docs(items, batch_size=config.batch_size, n_process=1)]


class DaskEngine:
    """`Extractor.pipe_docs` on a Dask cluster; a context manager that owns the client.

    Example:
        >>> with DaskEngine(EngineConfig(), n_workers=2) as engine:  # doctest: +SKIP
        ...     for records, ctx in engine.pipe_docs((text, doc_id) for ...):
        ...         ...
    """

    def __init__(self, config: EngineConfig, scheduler: str | None = None, n_workers: int = 2) -> None:
        self.config = config
        self.scheduler = scheduler
        self.n_workers = max(1, n_workers)
        self._cluster: Any = None
        self._client: Any = None
        self.rules: Rules | None = None
        """The rules the workers run with (set on entering), for the run's provenance."""
        self.model = ""
        """The label of the workers' pipeline (set on entering), for the run's provenance."""

    def __enter__(self) -> DaskEngine:
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError:
            raise EngineError("--engine dask needs Dask: pip install 'quotes[dask]'") from None
        self.rules = self.config.check()
        try:
            if self.scheduler:
                self._client = Client(self.scheduler, timeout="30s")
            else:
                import dask

                with dask.config.set(LOCAL_CLUSTER_CONFIG):
                    self._cluster = LocalCluster(n_workers=self.n_workers, threads_per_worker=1,
                                                 processes=True, dashboard_address=None,
                                                 silence_logs=logging.ERROR)
                self._client = Client(self._cluster)
        except OSError as err:
            self.close()
            raise EngineError(f"cannot reach the Dask scheduler {self.scheduler!r}: {err}") from None
        try:
            labels = set(self._client.run(load_on_worker, self.config).values())
        except Exception as err:
            self.close()
            raise EngineError(f"the Dask workers cannot load the pipeline: {err}") from None
        if len(labels) != 1:
            self.close()
            raise EngineError(f"the Dask workers run different pipelines ({', '.join(sorted(labels))}) "
                              "or none; install one pipeline on every worker")
        self.model = labels.pop()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the client and a cluster this engine started."""
        for thing in (self._client, self._cluster):
            if thing is not None:
                thing.close()
        self._client = self._cluster = None

    @property
    def workers(self) -> int:
        return max(1, len(self._client.scheduler_info().get("workers", {}))) if self._client else 0

    def pipe_docs(self, items: Iterable[tuple[str, C]], partition_docs: int = PARTITION_DOCS,
                  ) -> Iterator[tuple[list[Quote] | None, C]]:
        """Records for each (text, context), in input order; None where extraction failed."""
        if self._client is None:
            raise EngineError("DaskEngine.pipe_docs outside its `with` block")
        limit = IN_FLIGHT_PER_WORKER * self.workers
        pending: deque[tuple[list[tuple[str, C]], Any]] = deque()
        for batch in batched(items, max(1, partition_docs)):
            payload = [(text if isinstance(text, str) else "", doc_id_of(ctx)) for text, ctx in batch]
            pending.append((batch, self._client.submit(extract_partition, payload, self.config, pure=False)))
            while len(pending) >= limit:
                yield from _collect(*pending.popleft())
        while pending:
            yield from _collect(*pending.popleft())


def extract_bag(bag: Any, *, model: str | None = None, rules_dir: str | None = None,
                experts: str | None = None, replace_experts: bool = False, ner: bool = True,
                batch_size: int = 32) -> Any:
    """A bag of record dicts from a `dask.bag.Bag` of documents.

    Args:
        bag: Documents as `(text, doc_id)` pairs, `{"id": ..., "text": ...}`
            dicts (the JSONL article format) or bare texts.
        model, rules_dir, experts, replace_experts, ner: As for `Extractor`;
            each worker builds one Extractor with them.

    Returns:
        A lazy bag of records (dicts, as `Quote.model_dump(mode="json")`), in
        the order of the documents; a document whose extraction failed gives
        none (the worker logs it).
    """
    config = EngineConfig(model, rules_dir, experts, replace_experts, ner, batch_size)
    config.check()
    return bag.map_partitions(_bag_partition, config)


def _bag_partition(items: Iterable[Any], config: EngineConfig) -> list[dict[str, Any]]:
    pairs = [_pair(item) for item in items]
    return [record.model_dump(mode="json") for records in extract_partition(pairs, config)
            for record in records or ()]


def _pair(item: Any) -> tuple[str, str | None]:
    if isinstance(item, str):
        return item, None
    if isinstance(item, dict):
        doc_id = item.get("id", item.get("doc_id"))
        return str(item.get("text") or ""), None if doc_id is None else str(doc_id)
    text, doc_id = item
    return str(text or ""), None if doc_id is None else str(doc_id)


def _collect(batch: list[tuple[str, C]], future: Any) -> Iterator[tuple[list[Quote] | None, C]]:
    try:
        results = future.result()
    finally:
        future.release()
    for (_, ctx), records in zip(batch, results):
        yield records, ctx
