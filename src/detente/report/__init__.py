"""Layer 3: the self-contained HTML report of an assessment.

:func:`detente.report.html.write_report` writes one HTML file with inline
styles, the plotly.js bundle and interactive figures; it opens with no network.
"""

from __future__ import annotations
