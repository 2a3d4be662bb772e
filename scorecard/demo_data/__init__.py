"""Realistic, deterministic demo exports of every canonical entity.

``generate_demo`` builds the frames (vectorised numpy, one random stream per
entity); ``write_demo`` writes them as CSV or Parquet files.
"""

from scorecard.demo_data.generate import generate_demo
from scorecard.demo_data.write import write_demo

__all__ = ["generate_demo", "write_demo"]
