"""The handoff as the core sees it: the model (tickets, key persons), what is said to whom
(notices), duty hours, and the two sides of the dialogue (migrant, desk)."""
