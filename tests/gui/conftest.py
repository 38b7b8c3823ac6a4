"""GUI test fixtures."""

import pytest


@pytest.fixture
def immediate_operations():
    """Operations run at once on the test's thread and have ended when the call returns
    (Picard's fake thread pool): nothing to wait or poll for."""
    from da8desktop.gui import tasks

    previous = tasks.use_executor(tasks.ImmediateExecutor())
    yield
    tasks.use_executor(previous)
