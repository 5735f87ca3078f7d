"""The exercise library: the exercise model, its JSON Schema, and loading and checking the YAML files."""
