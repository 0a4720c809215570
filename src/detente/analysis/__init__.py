"""Layer 2: analyses over the engine (assessment, comparison, batches)."""
