"""What the person tells us: answers files, the interview, reading safety answers, and screening."""
