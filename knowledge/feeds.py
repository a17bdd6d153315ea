"""The Atom feed and the sitemap: articles anybody may read, nothing else."""

from django.contrib.sitemaps import Sitemap
from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed

from knowledge import selectors

FEED_SIZE = 50
SITEMAP_LIMIT = 5000


class ArticleFeed(Feed):
    feed_type = Atom1Feed
    title = "Trellis knowledge base"
    link = "/kb/"
    subtitle = "New and updated articles from our communities."

    def items(self):
        return selectors.public_articles().order_by("-last_published_at", "-pk")[:FEED_SIZE]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.url

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at


class ArticleSitemap(Sitemap):
    limit = SITEMAP_LIMIT

    def items(self):
        return selectors.public_articles().order_by("pk")

    def location(self, item):
        return item.url

    def lastmod(self, item):
        return item.last_published_at
