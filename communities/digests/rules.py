"""Who may see the digests' pages of a community: the questions waiting for an answer are for
its moderators and managers (and staff)."""

from communities.core.rules import can_moderate_community, register

register({"see_waiting_questions": can_moderate_community})
