"""Layer 4: the web dashboard (``detente serve``), a FastAPI application.

Needs the ``web`` extra (``pip install 'detente[web]'``). The page and its
scripts are shipped in the package (plotly.js comes from the installed plotly
package), so the dashboard works with no network.
"""

from __future__ import annotations
