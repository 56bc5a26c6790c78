"""Tables of the ai area (none yet)."""
