from knowledge.models.engagement import (
    ArticleFeedback,
    CreditPreference,
    FollowNotice,
    KnowledgeFollow,
    ReviewReminder,
)
from knowledge.models.pages import (
    REVIEW_MONTHS,
    ArticleCredit,
    ArticleKind,
    ArticlePage,
    ArticleSource,
    Audience,
    Authority,
    KnowledgeHomePage,
    TopicPage,
    review_due_on,
)

__all__ = [
    "REVIEW_MONTHS",
    "ArticleCredit",
    "ArticleFeedback",
    "ArticleKind",
    "ArticlePage",
    "ArticleSource",
    "Audience",
    "Authority",
    "CreditPreference",
    "FollowNotice",
    "KnowledgeFollow",
    "KnowledgeHomePage",
    "ReviewReminder",
    "TopicPage",
    "review_due_on",
]
