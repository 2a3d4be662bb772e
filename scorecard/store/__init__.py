"""The metric store: plain tables a BI tool can read, one transaction per period.

``open_store(settings.store)`` gives the configured backend: a DuckDB file by
default, PostgreSQL when a URL is configured. The tables are described in
``scorecard.store.schema``.
"""

from scorecard.store.errors import StoreBusy, StoreUnavailable
from scorecard.store.metric_store import DeliveryRecord, MetricStore, RunRecord, open_store

__all__ = ["DeliveryRecord", "MetricStore", "RunRecord", "StoreBusy", "StoreUnavailable", "open_store"]
