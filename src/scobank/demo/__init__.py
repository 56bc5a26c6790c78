"""The demonstration bank: real data from SCOBANK_DATA_DIR, or a generated world labelled as such."""
