"""好差评 in the staff workbench: the 差评整改 inbox and record page, the 12345 entry and the statistics
dashboard (docs/ratings.md §Workbench screens). Reads go through ratings.selectors, writes through
ratings.services; these views only validate input and render."""
