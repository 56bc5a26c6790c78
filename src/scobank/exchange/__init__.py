"""Cooperation exchange: enterprise profiles, listings, matching, expressions of interest."""
