"""Every write of the forum, one module per concept: posts, moderation, flags, watched words,
categories, watching and notifications, the good-practice library, read state, the posting gate."""
