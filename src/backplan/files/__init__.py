"""Reading and writing the tool's files: YAML with line numbers, plain-words problems, atomic writes."""
