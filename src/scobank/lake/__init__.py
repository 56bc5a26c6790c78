"""Content-addressed Parquet storage and the query engine."""
