"""Tables of the analytics area (none yet)."""
