"""Trade analytics: indicators, complexity, import substitution, opportunities, input-output."""
