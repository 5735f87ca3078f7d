"""The clinic's side: its profile on the handout, rosters and batch handouts."""
