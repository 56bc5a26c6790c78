"""Reference data: parties with status history, countries, HS nomenclature, concordances, rates."""
