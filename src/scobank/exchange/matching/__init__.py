"""Matching: factors (one function each), weights, a columnar snapshot and the vectorised scorer."""
