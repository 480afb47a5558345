"""Signal handlers of the news app (cache invalidation and search indexing hook in here)."""
