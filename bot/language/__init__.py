"""Languages: the codes and names the bot speaks (codes), which one a message is in
(identify), spelling folded for matching (folding), and UI strings per language (i18n)."""
