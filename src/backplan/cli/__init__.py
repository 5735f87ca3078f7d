"""The command line: thin Typer commands that translate options into pipeline calls."""
