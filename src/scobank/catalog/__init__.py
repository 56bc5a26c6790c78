"""The catalog: organisations, datasets, versions, multilingual metadata, search, DCAT export."""
