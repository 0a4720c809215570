"""Layer 1: the exchange engine (allocation, strike, launch on warning, retaliation)."""
