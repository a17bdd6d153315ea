"""Knowledge base demo data, built on top of the communities demo."""


def seed_knowledge_demo(sender=None, stdout=None, **kwargs):
    return None
