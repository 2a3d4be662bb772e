"""Session-wide test setup: Prefect's state lives in a temporary folder, never in ~."""

from __future__ import annotations

import os
import tempfile

import pytest

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


@pytest.fixture(scope="module")
def prefect_test_server():
    """Flows of this module run against a Prefect test server with a database of its own.

    One a module, not a session: runs, blocks and deployments of one module never meet another's
    (PREFECT_HOME, set above, is the session's; the harness's database is not in it).
    """
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=180):
        yield


@pytest.fixture(scope="module")
def module_smtp_server():
    """A real SMTP server on localhost shared by the tests of one module: (its Inbox, its port).

    A test of its own takes test_delivery's smtp_server: a fresh one.
    """
    from workspace import running_smtp_server

    with running_smtp_server() as server:
        yield server
