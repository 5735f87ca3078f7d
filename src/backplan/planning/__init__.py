"""From a screened person to a plan: automatic and protocol choice, the follow-up plan, the outcome models."""
