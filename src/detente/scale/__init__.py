"""Layer 3: back ends that spread the evaluate seam over many machines (Dask).

Importing this package does not import Dask; creating a
:class:`~detente.scale.dask_executor.DaskExecutor` does.
"""

from detente.scale.dask_executor import DaskExecutor, DaskUnavailableError

__all__ = ["DaskExecutor", "DaskUnavailableError"]
