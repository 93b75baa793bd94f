"""AI generation: providers with failover, cache, quota and queued jobs."""
