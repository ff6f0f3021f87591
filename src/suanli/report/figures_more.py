"""Figures and texts for the markets, survey, index and uncertainty stages' tables.

Each builder runs only when its tables exist, so the report grows as those stages land.
"""

from __future__ import annotations
