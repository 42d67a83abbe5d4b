"""The output contract: the JSON Schema of a record and the rules every written record meets."""
