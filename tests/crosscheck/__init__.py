"""Cross-check of the Polars KPI engine against an independent DuckDB SQL implementation."""
