"""Every write of moderation: the review queue and account sanctions."""
