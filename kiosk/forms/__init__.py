"""Forms: expressions, validators and (later) the question flow."""
