"""Advance compensation (先行赔偿): proposal, tiered approval, payout, recovery from the deposit."""
