"""Tables of the exchange area (none yet)."""
