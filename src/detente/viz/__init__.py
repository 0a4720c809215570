"""Layer 3: figures of an assessment, from tidy frames.

:mod:`detente.viz.frames` turns an assessment into tidy tables;
:mod:`detente.viz.figures` draws interactive plotly figures from them and
:mod:`detente.viz.png` writes matplotlib PNGs for papers. Plotting libraries
are imported lazily, inside the functions that need them.
"""

from __future__ import annotations
