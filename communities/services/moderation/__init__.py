"""Moderation: flags, the moderators' actions, and the limits on new members' posting."""
