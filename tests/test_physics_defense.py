"""Defence layers: leak probabilities, saturation, layering, by hand and by property."""

import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from detente.errors import OutsideValidityError
from detente.model.defense import DefenseLayer, DeliveryPk
from detente.physics import (
    LayerParams,
    expected_leakers,
    expected_leakers_layered,
    interceptors_per_engagement,
    layer_leak_probability,
)


@pytest.mark.reference
def test_leak_probability_by_hand():
    # Salvo of 2 at pk 0.5, T = 0.9, d = 0.8: 1 - 0.9 * 0.8 * 0.75 = 0.46.
    assert_allclose(layer_leak_probability(0.5, 2, "salvo", 0.9, 0.8), 0.46, rtol=1e-12)
    assert_allclose(layer_leak_probability(0.5, 2, "shoot_look_shoot"), 0.25, rtol=1e-12)
    assert_allclose(layer_leak_probability(0.7, 0), 1.0)


@pytest.mark.reference
def test_shoot_look_shoot_consumption_by_hand():
    # pk 0.5, 3 opportunities: 1 + 0.5 + 0.25 shots on average.
    assert_allclose(interceptors_per_engagement(0.5, 3, "shoot_look_shoot"), 1.75)
    assert_allclose(interceptors_per_engagement(0.0, 3, "shoot_look_shoot"), 3.0)
    assert_allclose(interceptors_per_engagement(0.5, 3, "salvo"), 3.0)


@pytest.mark.reference
def test_saturation_by_hand():
    # 10 warheads, 5 interceptors, salvo of 2, pk 0.5 (leak 0.25).
    # whole engagements: 2 engaged -> 8 + 2 * 0.25 = 8.5
    # continuous: 2.5 engaged -> 7.5 + 2.5 * 0.25 = 8.125
    assert_allclose(expected_leakers(10, 5, 0.5, 2), 8.5, rtol=1e-12)
    assert_allclose(expected_leakers(10, 5, 0.5, 2, integer=False), 8.125, rtol=1e-12)
    # More interceptors than needed: all 3 engaged, 3 * 0.25 leak.
    assert_allclose(expected_leakers(3, 100, 0.5, 2), 0.75, rtol=1e-12)


@pytest.mark.reference
def test_two_layer_defence_by_hand():
    # Layer 1: 8 interceptors, salvo 2, pk 0.5, T 0.9 -> 4 engaged, leak 1 - 0.9 * 0.75 = 0.325,
    #   leakers 6 + 4 * 0.325 = 7.3.
    # Layer 2: 6 interceptors, shoot-look-shoot with 2 opportunities at pk 0.5 -> 1.5 per
    #   engagement, 4 engaged of 7.3, leak 0.25 -> 3.3 + 1.0 = 4.3.
    layers = [
        LayerParams(interceptors=8, pk=0.5, shots=2, system_reliability=0.9),
        LayerParams(interceptors=6, pk=0.5, shots=2, doctrine="shoot_look_shoot"),
    ]
    assert_allclose(expected_leakers_layered(10, layers), 4.3, rtol=1e-12)
    assert_allclose(expected_leakers_layered(10, []), 10.0)


def test_layer_from_model_uses_the_delivery_kind():
    layer = DefenseLayer(
        id="gbi",
        kind="area",
        interceptors=44,
        pk=DeliveryPk(ballistic_rv=0.56, cruise=0.0),
        shots_per_engagement=4,
    )
    ballistic = LayerParams.from_model(layer, "ballistic_rv")
    cruise = LayerParams.from_model(layer, "cruise")
    assert (ballistic.pk, ballistic.shots, ballistic.interceptors) == (0.56, 4.0, 44.0)
    assert cruise.pk == 0.0
    # 44 interceptors, 4 per warhead: 11 engaged, each leaks with 0.44 ** 4.
    assert_allclose(expected_leakers_layered(20, [ballistic]), 9 + 11 * 0.44**4, rtol=1e-12)
    assert_allclose(expected_leakers_layered(20, [cruise]), 20.0)


counts = st.floats(0.0, 1000.0)
probs = st.floats(0.0, 1.0)
doctrines = st.sampled_from(["salvo", "shoot_look_shoot"])


@given(
    n=counts,
    i1=counts,
    i2=counts,
    pk=probs,
    k=st.integers(1, 6),
    doctrine=doctrines,
    t=probs,
    integer=st.booleans(),
)
def test_more_interceptors_never_more_leakers(n, i1, i2, pk, k, doctrine, t, integer):
    lo, hi = sorted((i1, i2))
    few = expected_leakers(n, lo, pk, k, doctrine, t, integer=integer)
    many = expected_leakers(n, hi, pk, k, doctrine, t, integer=integer)
    assert many <= few + 1e-9
    assert 0.0 <= many <= n + 1e-9


@given(n1=counts, n2=counts, i=counts, pk=probs, k=st.integers(1, 6), doctrine=doctrines)
def test_more_arrivals_never_fewer_leakers(n1, n2, i, pk, k, doctrine):
    lo, hi = sorted((n1, n2))
    assert (
        expected_leakers(hi, i, pk, k, doctrine) >= expected_leakers(lo, i, pk, k, doctrine) - 1e-9
    )


def test_invalid_inputs_raise():
    with pytest.raises(OutsideValidityError, match="pk"):
        layer_leak_probability(1.5, 2)
    with pytest.raises(OutsideValidityError, match="doctrine"):
        layer_leak_probability(0.5, 2, "pray")  # type: ignore[arg-type]
    with pytest.raises(OutsideValidityError, match="interceptors"):
        expected_leakers(10, -1, 0.5, 2)
