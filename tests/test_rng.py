"""The one generator factory: seeds reproduce, children are independent."""

import numpy as np

from detente.rng import as_generator, spawn


def test_same_seed_same_stream_and_generators_pass_through():
    assert as_generator(7).random() == as_generator(7).random()
    g = np.random.default_rng(1)
    assert as_generator(g) is g


def test_spawned_children_are_reproducible_and_distinct():
    a = [c.random() for c in spawn(42, 3)]
    b = [c.random() for c in spawn(42, 3)]
    assert a == b
    assert len(set(a)) == 3
