"""Graders outside the core: a model grader on an OpenAI-compatible chat-completions API."""
