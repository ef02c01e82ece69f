"""Held-out evaluation (`mip eval`): run the split (heldout), count (metrics), tag how each
message is typed (style_tags), and write the report (report); Rasa's cross-validation beside it."""
