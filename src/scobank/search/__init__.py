"""The bank's one search: datasets, HS/SITC products, listings, enterprises and members, in any language,
grouped by kind (`scobank.search.service.search`), behind the portal's search box and GET /api/v1/search."""
