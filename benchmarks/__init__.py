"""Benchmarks of detente: speed, scale and allocation quality against reference methods.

Every figure is a ratio against a reference method run side by side in the same
run, so that the figures hold on a shared, noisy machine. ``python -m benchmarks``
runs them all and writes ``BENCHMARKS.md``; ``--quick`` runs tiny sizes.
"""
