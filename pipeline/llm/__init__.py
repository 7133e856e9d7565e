"""The LLM client: litellm behind a cache, budgets, a shared rate limiter and retries."""
