"""Detection of hidden forces: hand values and properties."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from detente.errors import OutsideValidityError
from detente.physics import random_search_detection, share_destroyed_hidden, survival_of_hidden


@pytest.mark.reference
def test_hidden_share_by_hand():
    assert_allclose(share_destroyed_hidden(0.2, 0.9), 0.18, rtol=1e-12)
    assert_allclose(survival_of_hidden([0.0, 0.5, 1.0], 0.8), [1.0, 0.6, 0.2], rtol=1e-12)


@pytest.mark.reference
def test_random_search_by_hand():
    # Sweeping the whole area once in expectation (Q t = A) finds the unit with 1 - 1/e.
    assert_allclose(random_search_detection(1000.0, 10.0, 10_000.0), 1.0 - math.exp(-1.0))
    assert_allclose(random_search_detection(500.0, 2.0, 1000.0), 1.0 - math.exp(-1.0))
    assert_allclose(random_search_detection(0.0, 10.0, 1000.0), 0.0)


@given(t1=st.floats(0.0, 1000.0), t2=st.floats(0.0, 1000.0), q=st.floats(0.0, 1e4))
def test_longer_search_finds_more(t1, t2, q):
    lo, hi = sorted((t1, t2))
    assert random_search_detection(q, hi, 1e5) >= random_search_detection(q, lo, 1e5)


@given(p=st.floats(0.0, 1.0), k=st.floats(0.0, 1.0))
def test_survival_and_destruction_add_to_one(p, k):
    assert_allclose(survival_of_hidden(p, k) + share_destroyed_hidden(p, k), 1.0)


def test_invalid_inputs_raise():
    with pytest.raises(OutsideValidityError, match="area_km2"):
        random_search_detection(10.0, 1.0, 0.0)
    with pytest.raises(OutsideValidityError, match="p_detect"):
        survival_of_hidden(1.1, 0.5)
