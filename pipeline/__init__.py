"""Cambodia–Korea events: load, validate and normalize the cited event files into one table."""
