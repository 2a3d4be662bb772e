"""Session-wide test setup: Prefect's state lives in a temporary folder, never in ~."""

from __future__ import annotations

import os
import tempfile

# Prefect reads these when it is first imported: set them before any test imports it.
_PREFECT_HOME = tempfile.mkdtemp(prefix="scorecard-tests-prefect-")
os.environ["PREFECT_HOME"] = _PREFECT_HOME
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.pop("PREFECT_API_URL", None)
for name in list(os.environ):
    if name.startswith("SCORECARD_"):
        del os.environ[name]  # a developer's own overrides must not leak into the tests

# Shared fixtures: one throwaway PostgreSQL cluster for the session; the store on both backends.
pytest_plugins = ["pg_cluster", "store_backends"]
