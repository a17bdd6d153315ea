from django.contrib.sitemaps.views import sitemap
from django.urls import path

from knowledge import views
from knowledge.feeds import ArticleFeed, ArticleSitemap

app_name = "knowledge"

urlpatterns = [
    path("threads/<int:thread_id>/harvest/", views.harvest, name="harvest"),
    path("meetings/<int:meeting_id>/harvest/", views.harvest_meeting, name="harvest-meeting"),
    path("articles/<int:page_id>/share/", views.share_lesson, name="share-lesson"),
    path("credit/", views.credit_preference, name="credit-preference"),
    path("articles/<int:page_id>/feedback/", views.feedback, name="feedback"),
    path("pages/<int:page_id>/follow/", views.follow, name="follow"),
    path("feed.atom", ArticleFeed(), name="feed"),
    path("sitemap.xml", sitemap, {"sitemaps": {"articles": ArticleSitemap}}, name="sitemap"),
]
