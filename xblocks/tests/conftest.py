"""Fixtures; the test runtime itself is in quiz_testing.py."""

from __future__ import annotations

import copy

import pytest
from quiz_testing import Course

from curriculum_quiz import scenarios


@pytest.fixture
def course() -> Course:
    return Course()


@pytest.fixture
def mixed_quiz() -> dict:
    return copy.deepcopy(scenarios.MIXED)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: takes a minute or so (builds and installs the wheel); runs by default")
    # The workbench runtime itself still sets the deprecated Runtime.user_id.
    config.addinivalue_line("filterwarnings", "ignore::xblock.exceptions.UserIdDeprecationWarning")
